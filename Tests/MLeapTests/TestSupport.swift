import ConveyorCore
import Foundation
import Testing

@testable import MLeap

/// The project root (this file is Tests/MLeapTests/TestSupport.swift).
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
/// Shared read-only material beside the project.
let sharedBundles = projectRoot.deletingLastPathComponent().appendingPathComponent("shared/mleap-bundles")

func shared(_ path: String) -> URL { sharedBundles.appendingPathComponent(path) }

/// Splits simple CSV (no quoted fields: the fixtures used here have none).
func csvRows(_ url: URL) throws -> [[String]] {
    try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

/// Builds a frame the way a CSV codec would for `fields`: strings stay
/// strings, numbers are parsed; an empty or unparsable number is a null.
func frame(_ rows: [[String]], fields: [SchemaField]) throws -> Frame {
    let columns = fields.enumerated().map { index, field -> Column in
        let texts = rows.map { index < $0.count ? $0[index] : "" }
        if field.type == .string {
            return Column.strings(field.name, texts, nulls: texts.map(\.isEmpty))
        }
        let numbers = texts.map { Double($0) }
        return Column.doubles(field.name, numbers.map { $0 ?? .nan }, nulls: numbers.map { $0 == nil })
    }
    return try Frame(columns: columns)
}

/// The ConveyorError thrown by `body`, or a recorded issue.
func conveyorError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation)
    -> ConveyorError?
{
    do {
        try body()
        Issue.record("expected a ConveyorError", sourceLocation: sourceLocation)
    } catch let error as ConveyorError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

func vectorRow(_ frame: Frame, _ column: String, _ row: Int = 0) throws -> [Double] {
    let block = try #require(frame.column(column)).vectorBlock()
    return Array(block.row(row))
}

func scalar(_ frame: Frame, _ column: String, _ row: Int = 0) throws -> Double {
    try #require(frame.column(column)).scalarDoubles()[row]
}

/// Writes a directory bundle: `nodes` are (name, op, attributes JSON,
/// inputs, outputs) run in order under a root pipeline.
func writeBundle(
    _ nodes: [(name: String, op: String, attributes: String, inputs: [String], outputs: [String])],
    format: String = "json"
) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mleap-test-\(UUID())")
    let root = dir.appendingPathComponent("root")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    func write(_ text: String, _ url: URL) throws { try Data(text.utf8).write(to: url) }
    try write(#"{"format": "\#(format)", "name": "test_bundle", "version": "0.8.0", "uid": "x"}"#,
              dir.appendingPathComponent("bundle.json"))
    let names = nodes.map { "\"\($0.name)\"" }.joined(separator: ", ")
    try write(#"{"op": "pipeline", "attributes": {"nodes": {"type": "list", "string": [\#(names)]}}}"#,
              root.appendingPathComponent("model.json"))
    try write(#"{"name": "pipeline", "shape": {"inputs": [], "outputs": []}}"#, root.appendingPathComponent("node.json"))
    for node in nodes {
        let nodeDir = root.appendingPathComponent("\(node.name).node")
        try FileManager.default.createDirectory(at: nodeDir, withIntermediateDirectories: true)
        try write(#"{"op": "\#(node.op)", "attributes": {\#(node.attributes)}}"#, nodeDir.appendingPathComponent("model.json"))
        func sockets(_ names: [String], _ port: String) -> String {
            names.enumerated().map { index, name in
                let portName = names.count == 1 ? port : "\(port)\(index)"
                return #"{"port": "\#(portName)", "name": "\#(name)"}"#
            }.joined(separator: ", ")
        }
        try write(
            #"{"name": "\#(node.name)", "shape": {"inputs": [\#(sockets(node.inputs, "input"))], "outputs": [\#(sockets(node.outputs, "output"))]}}"#,
            nodeDir.appendingPathComponent("node.json"))
    }
    return dir
}
