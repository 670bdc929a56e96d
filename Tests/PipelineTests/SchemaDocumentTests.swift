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

    /// Exit status of the script when the schema refuses the document; any
    /// other failure (a crash, a missing module, an unreadable file) exits 1.
    static let refusedStatus: Int32 = 3

    static func validateBlocking(_ document: URL) throws -> (status: Int32, message: String) {
        let process = Process()
        // The venv .ci/clients-setup.sh makes (boto3, awscli, jsonschema).
        process.executableURL = repoFile("training/.venvs/clients/bin/python")
        process.arguments = ["-c", """
            import json, sys, jsonschema
            try:
                jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
            except jsonschema.ValidationError as error:
                path = "/".join(str(part) for part in error.absolute_path)
                print(f"refused: {error.validator} at /{path}: {error.message}", file=sys.stderr)
                sys.exit(3)
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
        // Each document with the schema rule that must refuse it (not just any failure).
        let bad = [
            (#"{"name": "p", "stages": []}"#, "refused: minItems at /stages:"),
            (#"{"name": "p", "stages": [{"name": "a", "kind": "mleap", "modle": "m.zip", "model": "m"}]}"#,
             "refused: additionalProperties at /stages/0: Additional properties are not allowed ('modle' was unexpected)"),
            (#"{"name": "p", "stages": [{"name": "a", "kind": "tensorflow", "model": "m"}]}"#,
             "refused: enum at /stages/0/kind: 'tensorflow' is not one of"),
            (#"{"stages": [{"name": "a", "kind": "xgboost", "model": "m"}]}"#,
             "refused: required at /: 'name' is a required property"),
        ]
        for (index, (json, reason)) in bad.enumerated() {
            let url = try writePipeline(json, in: folder, named: "bad\(index).json")
            let result = try await Self.validate(url)
            #expect(result.status == Self.refusedStatus, "schema accepted \(json), or the check failed: \(result.message)")
            #expect(result.message.hasPrefix(reason), "\(json): \(result.message)")
            #expect(throws: ConveyorError.self) { _ = try PipelineLoader().load(contentsOf: url) }
        }
    }
}
