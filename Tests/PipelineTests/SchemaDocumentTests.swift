import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import Pipeline

/// docs/pipeline.schema.json must accept every bundled pipeline and refuse
/// what the loader refuses, so the published schema cannot drift from the
/// reader. Checked with Python's jsonschema, an independent validator.
@Suite struct SchemaDocumentTests {
    static let schema = repoFile("docs/pipeline.schema.json")

    /// The blocking part runs off the cooperative pool.
    static func validate(_ document: URL) async throws -> (status: Int32, message: String) {
        try await offPool { try validateBlocking(document) }
    }

    static func validateBlocking(_ document: URL) throws -> (status: Int32, message: String) {
        let process = Process()
        // The venv .ci/clients-setup.sh makes (boto3, awscli, jsonschema).
        process.executableURL = repoFile("training/.venvs/clients/bin/python")
        process.arguments = ["-c", """
            import json, sys, jsonschema
            jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
            """, document.path, schema.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, message)
    }

    @Test func everyBundledPipelineMatchesTheSchema() async throws {
        let folder = repoFile("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 2)
        for file in files {
            let result = try await Self.validate(folder.appendingPathComponent(file))
            #expect(result.status == 0, "\(file): \(result.message)")
        }
    }

    @Test func theSchemaRefusesWhatTheLoaderRefuses() async throws {
        let folder = try temporaryFolder()
        let bad = [
            #"{"name": "p", "stages": []}"#,
            #"{"name": "p", "stages": [{"name": "a", "kind": "mleap", "modle": "m.zip", "model": "m"}]}"#,
            #"{"name": "p", "stages": [{"name": "a", "kind": "tensorflow", "model": "m"}]}"#,
            #"{"stages": [{"name": "a", "kind": "xgboost", "model": "m"}]}"#,
        ]
        for (index, json) in bad.enumerated() {
            let url = try writePipeline(json, in: folder, named: "bad\(index).json")
            #expect(try await Self.validate(url).status != 0, "schema accepted \(json)")
            #expect(throws: ConveyorError.self) { _ = try PipelineLoader().load(contentsOf: url) }
        }
    }
}
