import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing

/// Arrow IPC streams written by pyarrow 26.0.1 (Tests/Fixtures/arrow/make_fixtures.py) read
/// through `FrameDecoder`, against the values pyarrow was given (types.json); Conveyor's own
/// streams read back by Conveyor here, and by pyarrow in PipeCommandTests.
@Suite struct ArrowStreamTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/arrow")

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static let arrow = MediaType.arrowStream

    /// The specs types.json names: scalars by Conveyor's type name, vectors by width.
    static func specs(_ expected: [String: Any]) -> [ColumnSpec] {
        expected.keys.sorted().map { name in
            let type = (expected[name] as? [String: Any])?["type"] as? String ?? ""
            switch (name, type) {
            case ("vx", _): return ColumnSpec(name, .vector(2))
            case (_, "vector"): return ColumnSpec(name, .vector(nil))
            default: return ColumnSpec(name, ColumnType(ScalarType(schemaName: type) ?? .string))
            }
        }
    }

    @Test func readsEveryTypePyarrowWrote() throws {
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.fixtures.appendingPathComponent("types.json"))) as? [String: Any])
        let frame = try FrameDecoder(inputs: Self.specs(expected)).decode(try Self.fixture("types.arrows"), as: Self.arrow)
        #expect(frame.rowCount == 5)
        for (name, entry) in expected {
            let values = try #require((entry as? [String: Any])?["values"] as? [Any], "\(name)")
            let column = try #require(frame.column(name), "\(name)")
            let nulls = values.map { $0 is NSNull }
            #expect((column.nulls ?? Array(repeating: false, count: 5)) == nulls, "\(name) nulls")
            switch column.values {
            case .string(let actual):
                let wanted = values.map { $0 as? String ?? "" }
                #expect(actual.strings == wanted, "\(name)")
            case .bool(let actual):
                #expect(actual == values.map { ($0 as? Bool) ?? false }, "\(name)")
            case .int(let actual):
                // JSON numbers arrive as NSNumber: compared exactly through their Int64 value.
                #expect(actual == values.map { ($0 as? NSNumber)?.int64Value ?? 0 }, "\(name)")
            case .double(let actual):
                let comparison = NumericComparison(
                    zip(actual, nulls).filter { !$0.1 }.map { .number($0.0) },
                    values.filter { !($0 is NSNull) }.map(Self.compared), tolerance: .exact, label: name)
                #expect(comparison.matches, "\(comparison)")
            case .vector(let block):
                let wanted = values.flatMap { value -> [ComparedValue] in
                    guard let list = value as? [Any] else { return Array(repeating: .number(.nan), count: block.width) }
                    return list.map { $0 is NSNull ? .number(.nan) : Self.compared($0) }
                }
                let comparison = NumericComparison(block.storage.map { .number($0) }, wanted, tolerance: .exact, label: name)
                #expect(comparison.matches, "\(comparison)")
            default:
                Issue.record("unexpected column kind for \(name)")
            }
        }
    }

    static func compared(_ value: Any) -> ComparedValue {
        if let text = value as? String { return ComparedValue(parsing: text) }
        if let number = value as? NSNumber { return .number(number.doubleValue) }
        return .missing
    }

    @Test func carRowsSkipColumnsThePipelineDoesNotRead() throws {
        let names = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
        let frame = try FrameDecoder(inputs: names.map { ColumnSpec($0, .string) })
            .decode(try Self.fixture("car-44.arrows"), as: Self.arrow)
        #expect(frame.rowCount == 44)
        #expect(strings(frame, "buying")?.first == "vhigh")
        // The last row of models/car-evaluation-spark/expected.json: low, low, then four nulls.
        #expect(strings(frame, "maint")?.last == "low")
        #expect(frame.column("safety")?.isNull(43) == true)
        #expect(frame.column("buying")?.isNull(43) == false)
    }

    @Test func conveyorsStreamReadsBack() throws {
        let block = VectorBlock(width: 3, storage: [1, .nan, 3, 4, 5, -0.0])
        let frame = try Frame(columns: [
            .strings("s", ["a", ""], nulls: [false, true]), .doubles("d", [.infinity, 2.5]),
            Column(name: "i", type: ColumnType(.short), values: .int([-3, 300])),
            Column(name: "b", type: ColumnType(.boolean), values: .bool([true, false]), nulls: [false, true]),
            Column(name: "f", type: ColumnType(.float), values: .double([0.1, 7])), .vectors("v", block)])
        let bytes = try FrameEncoder().encode(frame, columns: ["s", "d", "i", "b", "f", "v"], as: Self.arrow)
        let specs = [ColumnSpec("s", .string), ColumnSpec("d", .double), ColumnSpec("i", ColumnType(.short)),
                     ColumnSpec("b", ColumnType(.boolean)), ColumnSpec("f", ColumnType(.float)), ColumnSpec("v", .vector(3))]
        let back = try FrameDecoder(inputs: specs).decode(bytes, as: Self.arrow)
        #expect(strings(back, "s") == ["a", ""])
        #expect(back.column("s")?.nulls == [false, true])
        #expect(doubles(back, "d") == [.infinity, 2.5])
        #expect(ints(back, "i") == [-3, 300])
        #expect(back.column("b")?.nulls == [false, true])
        #expect(doubles(back, "f") == [Double(Float(0.1)), 7])
        guard case .vector(let read)? = back.column("v")?.values else { Issue.record("no vector"); return }
        #expect(read.storage.map(\.bitPattern) == block.storage.map(\.bitPattern))
    }

    @Test(arguments: [("dictionary.arrows", "dictionary-encoded"), ("lz4.arrows", "compressed")])
    func refusesWhatItDoesNotRead(file: String, words: String) throws {
        let error = conveyorError {
            _ = try FrameDecoder(inputs: [ColumnSpec("buying", .string)]).decode(try Self.fixture(file), as: Self.arrow)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.description.contains(words) == true, "\(String(describing: error))")
        #expect(error?.description.contains("buying") == true || file == "lz4.arrows", "\(String(describing: error))")
    }

    @Test func namesAMissingColumnAndAWrongType() throws {
        let bytes = try Self.fixture("types.arrows")
        let missing = conveyorError { _ = try FrameDecoder(inputs: [ColumnSpec("nope", .string)]).decode(bytes, as: Self.arrow) }
        #expect(missing?.column == "nope")
        #expect(missing?.message.contains("it has: b, i8") == true, "\(String(describing: missing))")
        let wrong = conveyorError { _ = try FrameDecoder(inputs: [ColumnSpec("s", .double)]).decode(bytes, as: Self.arrow) }
        #expect(wrong?.description == "column 's': the Arrow stream has it as utf8; the pipeline reads double",
                "\(String(describing: wrong))")
    }

    /// Every prefix of a real stream and every single-byte change of its first 600 bytes is refused
    /// with an error or read; none crashes (the libFuzzer target `arrow` goes further).
    @Test func truncationsAndFlippedBytesAreRefusedCleanly() throws {
        let bytes = try Self.fixture("car-44.arrows")
        let decoder = FrameDecoder(inputs: ["buying", "safety"].map { ColumnSpec($0, .string) })
        for length in stride(from: 0, to: bytes.count, by: 7) {
            // A prefix ending at a message end is a shorter stream; any other is refused.
            do {
                #expect(try decoder.decode(Array(bytes[..<length]), as: Self.arrow).rowCount < 44)
            } catch {
                #expect(error is ConveyorError, "\(error)")
            }
        }
        for index in 0..<min(600, bytes.count) {
            var copy = bytes
            copy[index] ^= 0xA5
            _ = try? decoder.decode(copy, as: Self.arrow)
        }
        #expect(try decoder.decode(bytes, as: Self.arrow).rowCount == 44)
    }

    @Test func recordSplitterCutsAtMessageEnds() throws {
        let bytes = try Self.fixture("car-44.arrows")
        let whole = RecordSplitter.completePrefixLength(bytes, type: Self.arrow)
        #expect(whole == bytes.count)
        let part = RecordSplitter.completePrefixLength(Array(bytes[..<(bytes.count - 20)]), type: Self.arrow)
        #expect(part > 0 && part < bytes.count - 20)
        #expect(try ArrowStreamSplicer.firstMessageLength(Array(bytes[..<part])) ?? 0 < part)
    }
}
