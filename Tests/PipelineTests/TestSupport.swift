import ConveyorCore
import Foundation
import Testing

/// The project root (this file is Tests/PipelineTests/TestSupport.swift).
let projectRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let sharedRoot = projectRoot.deletingLastPathComponent().appendingPathComponent("shared")

func repoFile(_ path: String) -> URL { projectRoot.appendingPathComponent(path) }
func sharedFile(_ path: String) -> URL { sharedRoot.appendingPathComponent(path) }

/// Lines of a text file without the trailing empty line.
func lines(_ url: URL) throws -> [String] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init).filter { !$0.isEmpty }
}

/// Fixture CSVs here have no quoted fields.
func fields(_ line: String) -> [String] {
    line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
}

/// A fresh temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes a pipeline file into `folder` and returns its URL.
func writePipeline(_ json: String, in folder: URL, named name: String = "pipeline.json") throws -> URL {
    let url = folder.appendingPathComponent(name)
    try Data(json.utf8).write(to: url)
    return url
}

/// The ConveyorError `body` throws; records an issue if it throws nothing or something else.
func conveyorError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> ConveyorError? {
    do {
        try body()
        Issue.record("expected a ConveyorError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as ConveyorError {
        return error
    } catch {
        Issue.record("expected a ConveyorError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The ConveyorError an async `body` throws.
func conveyorError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async -> ConveyorError? {
    do {
        try await body()
        Issue.record("expected a ConveyorError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as ConveyorError {
        return error
    } catch {
        Issue.record("expected a ConveyorError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The car pipeline's features stage, as JSON, with an absolute model path.
let carFeaturesStage = """
    {"name": "features", "kind": "mleap", "model": "\(repoFile("models/car-evaluation/features.zip").path)",
     "schema": {"input": [{"name": "buying", "type": "string"}, {"name": "maint", "type": "string"},
                          {"name": "doors", "type": "string"}, {"name": "persons", "type": "string"},
                          {"name": "lug_boots", "type": "string"}, {"name": "safety", "type": "string"}],
                "output": {"name": "features", "type": "double", "struct": "vector"}}}
    """
