import Foundation

/// Tests/Fixtures/mlflow, written by training/mlflow_models.py: MLflow 3.17
/// model directories and what mlflow.pyfunc's predict returned for them.
enum MLflowFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/mlflow")

    static func model(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// A fixture CSV (no quoted fields): the header and the rows' fields.
    static func csv(_ file: String) throws -> (header: [String], rows: [[String]]) {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (lines.first ?? [], Array(lines.dropFirst()))
    }

    /// A copy of a fixture model in a fresh temporary folder, to break.
    static func copy(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-mlflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: model(name), to: target)
        return target
    }

    /// Rewrites a copied model's MLmodel file.
    static func edit(_ model: URL, _ change: (String) -> String) throws {
        let file = model.appendingPathComponent("MLmodel")
        let text = try String(contentsOf: file, encoding: .utf8)
        let changed = change(text)
        precondition(changed != text, "the edit changed nothing")
        try Data(changed.utf8).write(to: file)
    }
}
