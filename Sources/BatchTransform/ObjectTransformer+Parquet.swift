import Codecs
import ConveyorCore
import Foundation
import Parquet
import Pipeline
import Storage

/// `application/x-parquet` objects: read a row group at a time (only the
/// columns the pipeline and `--pass-through` name), cut into pieces scored
/// concurrently like text slices, written in order as CSV, JSON Lines or
/// Parquet (row groups of `--parquet-row-group-rows`). With `--shard-by
/// bytes` a worker takes the row groups that start in its byte range.
extension ObjectTransformer {
    /// Rows per scored piece: as many as a text slice holds, about.
    static let pieceRows = 4_096

    private struct Piece: Sendable {
        var input: Frame
        var passThrough: [Column]
    }

    private struct PieceResult: Sendable {
        var frame: Frame?
        var bytes: [UInt8] = []
        var rows = 0
        var error: ConveyorError?
    }

    func scoreParquet(_ object: InputObject, into sink: OutputStream, source: String) async throws -> Int {
        guard scorer.responseType != .json else {
            throw ConveyorError(.invalidInput, "Accept application/json is one document per object; with Parquet input "
                + "use application/jsonlines, text/csv or application/x-parquet")
        }
        let bytes = try await parquetBytes(of: object, source: source)
        let file = try ParquetDataFile(reader: bytes, source: source)
        let inputs = scorer.pipeline.decoder.inputs
        let outputs = scorer.pipeline.outputs
        if let clash = options.passThrough.first(where: { name in outputs.contains { $0.name == name } }) {
            throw ConveyorError(.invalidInput, "--pass-through column '\(clash)' has the name of a pipeline output")
        }
        // Types are checked before any row is read, so a wrong file fails at once.
        for spec in inputs {
            try Column.checkConformable(try file.columnType(spec.name), to: spec, source: source)
        }
        let passSpecs = try options.passThrough.map { ColumnSpec($0, try file.columnType($0)) }
        let needed = inputs.map(\.name) + options.passThrough.filter { name in !inputs.contains { $0.name == name } }
        let range = options.shardBy == .bytes ? options.shard.byteRange(size: Int64(bytes.size)) : nil
        let groups = (0..<file.rowGroupCount).filter { group in
            range.map { $0.contains(Int64(file.rowGroupStart(group))) } ?? true
        }
        var output = ParquetOutput(enabled: options.parquetOutput, rowGroupRows: options.parquetRowGroupRows)
        var queue: [Piece] = []
        var nextGroup = 0
        let window = 3 * max(ProcessInfo.processInfo.activeProcessorCount, 1)
        return try await withThrowingTaskGroup(of: (Int, PieceResult).self) { group in
            var issued = 0, written = 0, records = 0
            var ready: [Int: PieceResult] = [:]
            while true {
                while issued - written < window {
                    if queue.isEmpty, nextGroup < groups.count {
                        queue = try pieces(of: file, group: groups[nextGroup], needed: needed, inputs: inputs, source: source)
                        nextGroup += 1
                        continue
                    }
                    guard !queue.isEmpty else { break }
                    let piece = queue.removeFirst()
                    let index = issued
                    issued += 1
                    group.addTask { (index, await score(piece)) }
                }
                guard let (index, result) = try await group.next() else { break }
                ready[index] = result
                while let result = ready.removeValue(forKey: written) {
                    written += 1
                    if let error = result.error { throw error.offsettingRows(by: records) }
                    records += result.rows
                    try await sink.write(try output.add(frame: result.frame, bytes: result.bytes))
                    counters.add(records: result.rows, bytesRead: 0)
                }
            }
            try await sink.write(try output.finish(specs: passSpecs + outputs))
            counters.add(records: 0, bytesRead: Int64(bytes.size))
            return records
        }
    }

    /// One row group's needed columns, conformed to the pipeline's inputs and cut into pieces.
    private func pieces(of file: ParquetDataFile, group: Int, needed: [String], inputs: [ColumnSpec],
                        source: String) throws -> [Piece] {
        let rows = file.rowGroupRows(group)
        guard rows > 0 else { return [] }
        let columns = try file.readRowGroup(group, columns: needed)
        let byName = Dictionary(zip(needed, columns), uniquingKeysWith: { a, _ in a })
        let conformed = try inputs.map { spec in try byName[spec.name].map { try $0.conformed(to: spec, source: source) } }
            .compactMap { $0 }
        let passing = options.passThrough.compactMap { byName[$0] }
        return try stride(from: 0, to: rows, by: Self.pieceRows).map { start in
            let range = start..<min(rows, start + Self.pieceRows)
            return Piece(input: try Frame(columns: conformed.map { $0.rows(range) }),
                         passThrough: passing.map { $0.rows(range) })
        }
    }

    /// Runs the pipeline on a piece; pass-through columns follow the rows it kept.
    private func score(_ piece: Piece) async -> PieceResult {
        do {
            let result = try await scorer.pipeline.run(piece.input)
            var columns = piece.passThrough
            if !columns.isEmpty && result.rowCount != piece.input.rowCount {
                columns = columns.map { $0.picking(result.rowNumbers) }
            }
            let frame = try Frame(columns: columns + result.columns)
            if options.parquetOutput { return PieceResult(frame: frame, rows: piece.input.rowCount) }
            let names = frame.columnNames
            let bytes = try FrameEncoder().encode(frame, columns: names, as: scorer.responseType)
            return PieceResult(bytes: bytes, rows: piece.input.rowCount)
        } catch {
            return PieceResult(error: ConveyorError.wrap(error, code: .invalidInput))
        }
    }

    /// The object as random-access bytes: a local file is read in place;
    /// any other is spooled to a temporary file first (removed at once,
    /// kept open), so a large object never sits in memory.
    private func parquetBytes(of object: InputObject, source: String) async throws -> any ParquetByteSource {
        if case .local = object.location.scheme {
            return try ParquetFileSource(path: "/" + object.location.prefix)
        }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("conveyor-parquet-\(UUID().uuidString)").path
        guard let handle = FileHandle.newFile(atPath: path) else {
            throw ConveyorError(.storageFailed, "cannot create a temporary file to spool \(source)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try await inputStore.open(key: object.location.prefix)
        do {
            while let chunk = try await reader.next() { try handle.write(contentsOf: chunk) }
            try handle.close()
        } catch {
            await reader.close()
            throw ConveyorError.wrap(error, code: .storageFailed)
        }
        await reader.close()
        return try ParquetFileSource(path: path)
    }
}
