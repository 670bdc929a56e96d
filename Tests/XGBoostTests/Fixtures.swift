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

    /// The fixture set, written down here rather than read from the manifests
    /// (README.md): 8 models per version; JSON, UBJSON and the legacy binary
    /// format from 1.7.6, 2.1.4 and 3.0.5; 3.4.1 cannot write the legacy binary.
    static let expectedModels = [
        "binary_logistic", "binary_logitraw", "reg_squarederror", "reg_logistic", "multi_softprob", "multi_softmax",
        "binary_logistic_imbalanced", "multi_softprob_imbalanced",
    ]
    static let expectedFormats: [String: [String]] = [
        "1.7.6": ["json", "legacy_binary", "ubj"], "2.1.4": ["json", "legacy_binary", "ubj"],
        "3.0.5": ["json", "legacy_binary", "ubj"], "3.4.1": ["json", "ubj"],
    ]
    /// Every "version/model/format" the manifests must list: 88.
    static let expectedCases: Set<String> = Set(expectedFormats.flatMap { version, formats in
        expectedModels.flatMap { model in formats.map { "\(version)/\(model)/\($0)" } }
    })

    static let versions: [String] = expectedFormats.keys.sorted()

    static func manifest(_ version: String) throws -> Manifest {
        let url = directory.appendingPathComponent(version).appendingPathComponent("manifest.json")
        return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url))
    }

    /// Every version × model × format in the manifests, and why a manifest could
    /// not be read: `@Test(arguments:)` cannot throw, so a missing or broken
    /// manifest is reported by `fixturesArePresent` instead of dropping its cases.
    static let loaded: (cases: [Case], problems: [String]) = {
        var cases: [Case] = []
        var problems: [String] = []
        for version in versions {
            do {
                let manifest = try manifest(version)
                if manifest.xgboost_version != version {
                    problems.append("\(version)/manifest.json: xgboost_version \(manifest.xgboost_version)")
                }
                for model in manifest.models {
                    for (format, file) in model.files.sorted(by: { $0.key < $1.key }) {
                        cases.append(Case(
                            version: version, format: format, file: file, model: model.name, objective: model.objective,
                            numFeature: model.num_feature, numClass: model.num_class, baseScore: model.base_score,
                            rounds: model.num_boosted_rounds, input: model.input, pred: model.pred,
                            predColumns: model.pred_columns, margin: model.margin, marginColumns: model.margin_columns))
                    }
                }
            } catch {
                problems.append("\(version)/manifest.json: \(error)")
            }
        }
        return (cases, problems)
    }()

    static var cases: [Case] { loaded.cases }

    struct BadField: Error, CustomStringConvertible {
        let url: URL
        let line: Int
        let field: String
        var description: String { "\(url.lastPathComponent) line \(line): \"\(field)\" is not a number" }
    }

    /// A fixture CSV: no header, an empty field is NaN, anything else that is
    /// not a number is an error (never NaN).
    static func csv(_ url: URL) throws -> [[Double]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).enumerated().map { index, line in
            try line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                if field.isEmpty { return .nan }
                guard let value = Double(field) else { throw BadField(url: url, line: index + 1, field: String(field)) }
                return value
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
