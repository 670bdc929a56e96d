import ConveyorTestSupport
import Foundation
import Testing

/// `conveyor transform` as a process: crash safety, resume, sharding via
/// the environment, the summary file and exit codes.
@Suite struct TransformCommandTests {
    /// Objects of car rows, scored one record per request so the job runs long enough to be killed.
    func makeInput(_ folder: URL, objects: Int, rows: Int) throws {
        let lines = try String(contentsOf: projectRoot.appendingPathComponent("models/car-evaluation/expected.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(6).joined(separator: ",") }
        for index in 0..<objects {
            let url = folder.appendingPathComponent(String(format: "batch-%02d/part-%03d.csv", index % 3, index))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let body = (0..<rows).map { lines[(index * 37 + $0) % lines.count] + "\n" }.joined()
            try Data(body.utf8).write(to: url)
        }
    }

    /// The relative paths of complete-looking outputs (`.out`, not a hidden temporary), without reading them.
    func visibleOutputs(_ folder: URL) -> Set<String> {
        var result: Set<String> = []
        let walker = FileManager.default.enumerator(atPath: folder.path)
        while let path = walker?.nextObject() as? String {
            if path.hasSuffix(".out") && !path.contains("/.") && !path.hasPrefix(".") { result.insert(path) }
        }
        return result
    }

    func outputs(_ folder: URL) -> [String: Data] {
        var result: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: folder.path)
        while let path = walker?.nextObject() as? String {
            let url = folder.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[path] = (try? Data(contentsOf: url)) ?? Data()
            }
        }
        return result
    }

    @Test func killNineMidJobThenRerunGivesByteIdenticalOutputs() async throws {
        let root = try temporaryFolder()
        // One record per request, one request at a time: slow enough (seconds) that the kill lands mid-job
        // however fast the machine is; the watch below is cheap so it sees the first outputs early.
        // 2,000 rows an object: at 1,000 a faster single-row path finished all 24 objects (under a
        // second) before a watch delayed by a busy CI machine could kill the job. The suite runs on
        // its own in CI (.ci/test.sh), so the watch is not starved and the job starves no one.
        try makeInput(root.appendingPathComponent("in"), objects: 24, rows: 2000)
        let arguments = ["transform", "--input", "in", "--split-type", "Line", "--batch-strategy", "SingleRecord",
                         "--max-concurrent-transforms", "1"]
        let reference = try await conveyor(arguments + ["--output", "reference"], directory: root)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = outputs(root.appendingPathComponent("reference"))
        #expect(expected.count == 24)

        let process = Process()
        process.executableURL = conveyorExecutable
        process.arguments = arguments + ["--output", "crashed"]
        process.currentDirectoryURL = root
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Watch the output prefix; every visible .out must already be complete.
        var sawIncomplete = false
        var checked: Set<String> = []
        for _ in 0..<6000 {
            let visible = visibleOutputs(root.appendingPathComponent("crashed"))
            for key in visible.subtracting(checked) {
                let data = try? Data(contentsOf: root.appendingPathComponent("crashed").appendingPathComponent(key))
                sawIncomplete = sawIncomplete || expected[key] != data
                checked.insert(key)
            }
            if visible.count >= 3 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        kill(process.processIdentifier, SIGKILL)
        try await waitUntilExit(process)
        #expect(!sawIncomplete, "a partial .out was visible")
        let afterCrash = outputs(root.appendingPathComponent("crashed")).filter { $0.key.hasSuffix(".out") && !$0.key.contains("/.") }
        #expect(afterCrash.count >= 3 && afterCrash.count < 24, "killed mid-job: \(afterCrash.count) of 24 done")
        #expect(afterCrash.allSatisfy { expected[$0.key] == $0.value })

        let rerun = try await conveyor(arguments + ["--output", "crashed", "--summary", "summary.json"], directory: root)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(outputs(root.appendingPathComponent("crashed")) == expected, "byte-identical, and no temporary files left")
        let summary = try ExactJSON.object(with: Data(contentsOf: root.appendingPathComponent("summary.json"))) as? [String: Any]
        #expect(summary?["skipped"] as? Int == afterCrash.count)
        #expect(summary?["succeeded"] as? Int == 24 - afterCrash.count)
        #expect(summary?["failed"] as? Int == 0)
    }

    @Test func shardsFromTheIndexedJobEnvironmentCoverEveryObjectOnce() async throws {
        let root = try temporaryFolder()
        try makeInput(root.appendingPathComponent("in"), objects: 20, rows: 3)
        var union: [String: Data] = [:]
        for index in 0..<4 {
            let result = try await conveyor(["transform", "--input", "in", "--output", "out", "--split-type", "Line"], directory: root,
                                      environment: ["JOB_COMPLETION_INDEX": String(index), "CONVEYOR_SHARD_COUNT": "4"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("skipped (already complete), 0 failed"))
        }
        union = outputs(root.appendingPathComponent("out"))
        let whole = try await conveyor(["transform", "--input", "in", "--output", "whole", "--split-type", "Line"], directory: root)
        #expect(whole.status == 0)
        #expect(union == outputs(root.appendingPathComponent("whole")))
        let noCount = try await conveyor(["transform", "--input", "in", "--output", "x"], directory: root,
                                   environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "1"])
        #expect(noCount.status == 1 && noCount.stderr.contains("no shard count"))
    }

    @Test func failedObjectsGiveExitCodeOneAndAReport() async throws {
        let root = try temporaryFolder()
        try makeInput(root.appendingPathComponent("in"), objects: 2, rows: 5)
        try Data("vhigh,vhigh,2,2,small,low\nbroken\n".utf8).write(to: root.appendingPathComponent("in/bad.csv"))
        let result = try await conveyor(["transform", "--input", "in", "--output", "out", "--split-type", "Line"], directory: root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("2 of 3 objects done"))
        #expect(result.stderr.contains("in/bad.csv record 2:"))
        let missing = try await conveyor(["transform", "--input", "nowhere", "--output", "out"], directory: root)
        #expect(missing.status == 4 && missing.stderr.contains("no such file or directory"))
    }
}
