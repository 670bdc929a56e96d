import Foundation
import Testing

/// The XGBoost conformance fixtures in Tests/Fixtures/xgboost: models and
/// predictions written by real XGBoost releases (see its README.md).
enum Fixtures {
    /// Repository root: three levels up from this file.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = root.appendingPathComponent("Tests/Fixtures/xgboost")

    struct Manifest: Decodable {
        let xgboost_version: String
        let models: [Model]
    }

    struct Model: Decodable {
        let name: String
        let objective: String
        let files: [String: String]
        let num_feature: Int
        let num_class: Int
        let base_score: String
        let num_boosted_rounds: Int
        let input: String
        let pred: String
        let pred_columns: Int
        let margin: String
        let margin_columns: Int
    }

    /// One model file of one producer version.
    struct Case: CustomTestStringConvertible, Sendable {
        let version: String
        let format: String
        let file: String
        let model: String
        let objective: String
        let numFeature: Int
        let numClass: Int
        let baseScore: String
        let rounds: Int
        let input: String
        let pred: String
        let predColumns: Int
        let margin: String
        let marginColumns: Int

        var testDescription: String { "\(version)/\(file)" }
        var folder: URL { directory.appendingPathComponent(version) }
        var url: URL { folder.appendingPathComponent(file) }
    }

    static let versions: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(directory.path)/\($0)/manifest.json") }.sorted()
    }()

    static func manifest(_ version: String) -> Manifest? {
        let url = directory.appendingPathComponent(version).appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: data)
    }

    /// Every version × model × format in the manifests.
    static let cases: [Case] = versions.flatMap { version -> [Case] in
        guard let manifest = manifest(version) else { return [] }
        return manifest.models.flatMap { model in
            model.files.sorted { $0.key < $1.key }.map { format, file in
                Case(version: version, format: format, file: file, model: model.name, objective: model.objective,
                     numFeature: model.num_feature, numClass: model.num_class, baseScore: model.base_score,
                     rounds: model.num_boosted_rounds, input: model.input, pred: model.pred,
                     predColumns: model.pred_columns, margin: model.margin, marginColumns: model.margin_columns)
            }
        }
    }

    /// A fixture CSV: no header, an empty field is NaN.
    static func csv(_ url: URL) throws -> [[Double]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                field.isEmpty ? .nan : Double(field)!
            }
        }
    }

    /// Inputs as the row-major float32 buffer a booster takes.
    static func floatMatrix(_ rows: [[Double]]) -> [Float] {
        rows.flatMap { $0.map { Float($0) } }
    }

    static func url(_ version: String, _ file: String) -> URL {
        directory.appendingPathComponent(version).appendingPathComponent(file)
    }
}
