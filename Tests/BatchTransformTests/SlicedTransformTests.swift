import BatchTransform
import ConveyorCore
import Foundation
import Storage
import Testing

/// SplitType Line + MultiRecord scores an object as many small slices at
/// once (ObjectTransformer+Slices): outputs must stay in input order, and
/// record numbers, isolation and errors must be those of a serial run.
@Suite struct SlicedTransformTests {
    /// 10 × the 1,728 car rows: about 420 KB, so several 64 KB slices are in flight.
    static let repeats = 10
    var rows: [CarRow] { Array((0..<Self.repeats).map { _ in carRows }.joined()) }

    @Test func manySlicesInFlightKeepInputOrder() async throws {
        let root = try temporaryFolder()
        let rows = rows
        try write(rows.map { $0.csv + "\n" }.joined(), to: root.appendingPathComponent("in/cars.csv"))
        let summary = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out"))
        #expect(summary.isSuccess && summary.records == rows.count)
        let text = try read(root.appendingPathComponent("out/cars.csv.out"))
        expectCarOutput(text.split(separator: "\n"), rows[...])
        // Tiny slices (MaxPayloadInMB caps them) give the same bytes.
        let tiny = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out-tiny")) {
            $0.maxPayloadBytes = 700
        }
        #expect(tiny.isSuccess && tiny.records == rows.count)
        #expect(try read(root.appendingPathComponent("out-tiny/cars.csv.out")) == text)
    }

    /// The failure names the first bad record in input order, even when a
    /// later slice fails first or the reader hits an over-long record.
    @Test func aBadRecordDeepInTheObjectIsNumberedAsInASerialRun() async throws {
        let root = try temporaryFolder()
        var lines = rows.map(\.csv)
        lines[15_000] = "vhigh,vhigh,2"  // record 15,001
        lines[16_500] = "nonsense"  // record 16,501, later
        lines.append(String(repeating: "x", count: 150_000))  // longer than MaxPayloadInMB below
        try write(lines.joined(separator: "\n") + "\n", to: root.appendingPathComponent("in/bad.csv"))
        let summary = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.maxPayloadBytes = 100_000
        }
        let failure = try #require(summary.failures.first)
        #expect(summary.failed == 1 && failure.record == 15_001 && failure.reason.contains("3 fields"))
        #expect(files(under: root.appendingPathComponent("out")).isEmpty)
        // Without the bad records, the over-long one is the failure.
        lines[15_000] = carRows[0].csv
        lines[16_500] = carRows[0].csv
        try write(lines.joined(separator: "\n") + "\n", to: root.appendingPathComponent("in/bad.csv"))
        let long = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.maxPayloadBytes = 100_000
        }
        #expect(long.failed == 1 && long.failures.first?.reason.contains("longer than MaxPayloadInMB") == true)
        #expect(files(under: root.appendingPathComponent("out")).isEmpty)
    }

    /// Isolation across slices: failed records listed in order with their
    /// numbers in the object, a record longer than a slice still scored.
    @Test func isolateAcrossSlicesListsFailuresInOrder() async throws {
        let root = try temporaryFolder()
        let rows = rows
        var lines = rows.map(\.csv)
        let bad = [2, 9_000, 17_000]
        for index in bad { lines[index] = "vhigh,vhigh,2" }
        // A 100 KB record (longer than a 64 KB slice): an unseen label, so it fails alone.
        let long = 12_000
        lines[long] = "\"" + String(repeating: "y", count: 100_000) + "\",vhigh,2,2,small,low"
        try write(lines.joined(separator: "\n") + "\n", to: root.appendingPathComponent("in/x.csv"))
        let summary = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.recordErrors = .isolate
        }
        #expect(summary.isSuccess && summary.records == rows.count && summary.failedRecords == 4)
        let errors = try read(root.appendingPathComponent("out/x.csv.err")).split(separator: "\n")
        let numbers = errors.map { $0.dropFirst("record ".count).prefix { $0 != ":" } }
        #expect(numbers == ["3", "9001", "12001", "17001"])
        #expect(errors[2].contains("unseen label"))
        let failed = Set(bad + [long])
        let good = rows.enumerated().filter { !failed.contains($0.offset) }.map(\.element)
        expectCarOutput(try read(root.appendingPathComponent("out/x.csv.out")).split(separator: "\n"), good[...])
    }
}
