import BatchTransform
import ConveyorCore
import Foundation
import Storage
import Testing

/// Failures lose nothing and leave nothing half-written.
@Suite struct FailureTests {
    /// SageMaker's default: the object with a bad record gets no output,
    /// the others do, and the failure names the object and the record.
    @Test func aMalformedRecordFailsItsObjectOnly() async throws {
        let root = try temporaryFolder()
        let input = root.appendingPathComponent("in")
        var lines = carRows[0..<100].map(\.csv)
        lines[56] = "vhigh,vhigh,2"  // record 57 has 3 fields instead of 6
        try write(lines.joined(separator: "\n") + "\n", to: input.appendingPathComponent("bad.csv"))
        _ = try writeCarObjects(input, names: ["good.csv"], sizes: [100])
        let summary = try await transform(input, root.appendingPathComponent("out")) { $0.maxPayloadBytes = 1500 }
        #expect(summary.failed == 1 && summary.succeeded == 1 && !summary.isSuccess)
        let failure = try #require(summary.failures.first)
        #expect(failure.object.hasSuffix("in/bad.csv") && failure.record == 57)
        #expect(failure.reason.contains("3 fields"))
        #expect(files(under: root.appendingPathComponent("out")) == ["good.csv.out"])
        #expect(summary.text().contains("bad.csv record 57"))
    }

    /// Opt-in isolation: good records in order in `.out`, bad ones in `.err`.
    @Test func isolateWritesGoodRecordsAndAnErrorFile() async throws {
        let root = try temporaryFolder()
        var lines = carRows[0..<40].map(\.csv)
        lines[9] = "vhigh,vhigh,2"
        lines[30] = "nonsense"
        try write(lines.joined(separator: "\n") + "\n", to: root.appendingPathComponent("in/x.csv"))
        let summary = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            $0.recordErrors = .isolate
            $0.maxPayloadBytes = 600
        }
        #expect(summary.isSuccess && summary.failedRecords == 2 && summary.records == 40)
        let good = carRows[0..<40].enumerated().filter { $0.offset != 9 && $0.offset != 30 }.map(\.element)
        expectCarOutput(try read(root.appendingPathComponent("out/x.csv.out")).split(separator: "\n"), good[...])
        let errors = try read(root.appendingPathComponent("out/x.csv.err")).split(separator: "\n")
        #expect(errors.count == 2 && errors[0].hasPrefix("record 10: ") && errors[1].hasPrefix("record 31: "))
    }

    @Test func aKeyThatWouldEscapeTheOutputPrefixIsRefused() async throws {
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("data"), names: ["ok.csv", "sneaky.csv"], sizes: [2, 2])
        let manifest = #"[{"prefix": "\#(root.path)/data/"}, "ok.csv", "../data/sneaky.csv"]"#
        try write(manifest, to: root.appendingPathComponent("input.manifest"))
        let summary = try await transform(root.appendingPathComponent("input.manifest"), root.appendingPathComponent("out/inner"),
                                          manifest: true)
        #expect(summary.succeeded == 1 && summary.failed == 1)
        #expect(summary.failures.first?.reason.contains("would escape the output prefix") == true)
        #expect(files(under: root.appendingPathComponent("out")) == ["inner/ok.csv.out"])
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/data/sneaky.csv.out").path))
    }

    @Test func anUnreadableOrEmptyPrefixStopsTheJob() async throws {
        let root = try temporaryFolder()
        let missing = await #expect(throws: ConveyorError.self) {
            _ = try await transform(root.appendingPathComponent("nope"), root.appendingPathComponent("out"))
        }
        #expect(missing?.message.contains("no such file or directory") == true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let empty = await #expect(throws: ConveyorError.self) {
            _ = try await transform(root.appendingPathComponent("empty"), root.appendingPathComponent("out"))
        }
        #expect(empty?.message.contains("no objects") == true)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
    }

    /// A rerun skips objects whose output exists and leaves them untouched.
    @Test func aRerunSkipsCompletedOutputs() async throws {
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("in"), names: ["a.csv", "b.csv"], sizes: [20, 20])
        let first = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out"))
        #expect(first.succeeded == 2)
        try write("sentinel", to: root.appendingPathComponent("out/a.csv.out"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("out/b.csv.out"))
        let second = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out"))
        #expect(second.skipped == 1 && second.succeeded == 1 && second.records == 20)
        #expect(try read(root.appendingPathComponent("out/a.csv.out")) == "sentinel")
        expectCarOutput(try read(root.appendingPathComponent("out/b.csv.out")).split(separator: "\n"), carRows[20..<40])
    }
}
