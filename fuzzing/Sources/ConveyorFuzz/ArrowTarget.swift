import Codecs
import ConveyorCore

/// Arrow IPC streams (`application/vnd.apache.arrow.stream`): the decoder with every layout
/// TextTargets uses plus the Car inputs and one column of each type the reader takes; the record
/// splitter and the splicer `conveyor pipe` uses; and what decodes is written and read back.
enum ArrowTarget {
    static let layouts: [[ColumnSpec]] = TextTargets.layouts + [
        ["buying", "maint", "doors", "persons", "lug_boots", "safety"].map { ColumnSpec($0, .string) },
        [ColumnSpec("b", ColumnType(.boolean)), ColumnSpec("i8", ColumnType(.byte)), ColumnSpec("u64", ColumnType(.long)),
         ColumnSpec("f32", ColumnType(.float)), ColumnSpec("f64", .double), ColumnSpec("ls", .string),
         ColumnSpec("v", .vector(nil)), ColumnSpec("vf", .vector(nil)), ColumnSpec("vx", .vector(2))],
    ]

    static func run(_ bytes: [UInt8]) {
        for layout in layouts {
            guard let frame = try? FrameDecoder(inputs: layout).decode(bytes, as: .arrowStream) else { continue }
            // A stream Conveyor writes must read back with as many rows.
            guard let written = try? FrameEncoder().encode(frame, columns: frame.columnNames, as: .arrowStream) else { continue }
            let back = try? FrameDecoder(inputs: frame.columns.map(\.spec)).decode(written, as: .arrowStream)
            precondition(back?.rowCount == frame.rowCount, "Conveyor's own stream did not read back")
        }
        let prefix = RecordSplitter.completePrefixLength(bytes, type: .arrowStream)
        precondition(prefix >= 0 && prefix <= bytes.count, "prefix \(prefix) outside 0...\(bytes.count)")
        var splicer = ArrowStreamSplicer()
        _ = try? splicer.splice(bytes)
        _ = try? ArrowStreamSplicer.firstMessageLength(bytes)
    }
}
