import ConveyorTestSupport
import Foundation
import Testing

/// `conveyor pipe` as a process: CSV and JSON Lines against the scikit-learn example's
/// training outputs, errors isolated or fatal, Arrow refusals; pyarrow and the python/ package
/// (run_pipe_clients.py) and real PySpark (PipeSparkTests) drive the rest.
@Suite struct PipeCommandTests {
    let sklearn = ["pipe", "--pipeline", "pipelines/car-evaluation-sklearn.json"]

    /// training/car_evaluation.py's rows: six inputs, then the predicted class at index 7.
    static let expected: [[String]] = (try? String(
        contentsOf: projectRoot.appendingPathComponent("models/car-evaluation/expected.csv"), encoding: .utf8))
        .map { $0.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) } } ?? []

    static var csv: String { expected.map { $0[0..<6].joined(separator: ",") }.joined(separator: "\n") + "\n" }

    @Test func csvRowsKeepTheirOrderAcrossSmallReads() async throws {
        let result = try await conveyor(sklearn + ["--chunk-bytes", "1024"], input: Self.csv)
        #expect(result.status == 0, "\(result.stderr)")
        let classes = result.stdout.split(separator: "\n").map { String($0.split(separator: ",")[0]) }
        #expect(classes.count == 1728)
        #expect(classes == Self.expected.map { $0[7] })
    }

    @Test func jsonLinesInAndOut() async throws {
        let rows = Self.expected.prefix(3)
        let input = rows.map { row in
            "{\"buying\":\"\(row[0])\",\"maint\":\"\(row[1])\",\"doors\":\"\(row[2])\",\"persons\":\"\(row[3])\","
                + "\"lug_boots\":\"\(row[4])\",\"safety\":\"\(row[5])\"}\n"
        }.joined()
        let result = try await conveyor(sklearn + ["--content-type", "application/jsonlines", "--accept", "application/jsonlines"],
                                        input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        for (line, row) in zip(lines, rows) { #expect(line.hasPrefix("{\"predicted_class\":\"\(row[7])\"")) }
    }

    @Test func emptyInputGivesEmptyOutput() async throws {
        for type in ["text/csv", "application/vnd.apache.arrow.stream"] {
            let result = try await conveyor(sklearn + ["--content-type", type], input: "")
            #expect(result.status == 0, "\(type): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func jsonDocumentsAreNotAStream() async throws {
        let result = try await conveyor(sklearn + ["--accept", "application/json"], input: "low,low,5more,more,big,high\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("use application/jsonlines"), "\(result.stderr)")
    }

    @Test func isolatedRecordsAreListedInTheErrorsFile() async throws {
        var rows = Self.expected.prefix(300).map { $0[0..<6].joined(separator: ",") }
        rows[150] = "low,low,5more,more,huge,high"
        rows[151] = "low,low"
        let errors = try temporaryFolder().appendingPathComponent("errors.txt")
        let result = try await conveyor(sklearn + ["--record-errors", "isolate", "--errors", errors.path, "--chunk-bytes", "1024"],
                                        input: rows.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let classes = result.stdout.split(separator: "\n").map { String($0.split(separator: ",")[0]) }
        let wanted = Self.expected.prefix(300).enumerated().filter { $0.offset != 150 && $0.offset != 151 }.map { $0.element[7] }
        #expect(classes == wanted)
        let listed = try String(contentsOf: errors, encoding: .utf8).split(separator: "\n")
        #expect(listed.count == 2)
        #expect(listed.first?.hasPrefix("record 151: stage 'features', column 'lug_boots'") == true, "\(listed)")
        #expect(listed.last?.hasPrefix("record 152: ") == true, "\(listed)")
        #expect(result.stderr.contains("2 of 300 records failed"), "\(result.stderr)")
    }

    @Test func aCutArrowStreamExitsOne() async throws {
        let stream = try Data(contentsOf: projectRoot.appendingPathComponent("Tests/Fixtures/arrow/car-44.arrows"))
        let result = try await runConveyor(["pipe", "--content-type", "application/vnd.apache.arrow.stream"],
                                           input: stream.prefix(stream.count - 30))
        #expect(result.status == 1)
        #expect(result.stderr.contains("is cut short"), "\(result.stderr)")
    }

    /// pyarrow writes streams, `conveyor pipe` answers, pyarrow reads them; the python/ package's
    /// score_table and Ray batch callable (Tests/PythonClients/run_pipe_clients.py).
    @Test func pyarrowAndThePythonPackage() async throws {
        let python = projectRoot.appendingPathComponent("training/.venvs/clients/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "run `bash .ci/clients-setup.sh` first (.ci/test.sh does)")
        let (status, output) = try await offPool {
            try runCombiningOutput(python, [projectRoot.appendingPathComponent("Tests/PythonClients/run_pipe_clients.py").path,
                                            "--conveyor", conveyorExecutable.path])
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
    }
}

/// `conveyor` with binary standard input (an Arrow stream).
func runConveyor(_ arguments: [String], input: Data) async throws -> (status: Int32, stdout: Data, stderr: String) {
    try await offPool {
        let process = Process()
        process.executableURL = conveyorExecutable
        process.arguments = arguments
        process.currentDirectoryURL = projectRoot
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let outputs = ReadBoth(stdout: stdout, stderr: stderr)
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        let (out, err) = outputs.wait()
        return (process.terminationStatus, Data(out.utf8), err)
    }
}
