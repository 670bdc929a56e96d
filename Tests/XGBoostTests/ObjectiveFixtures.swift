import Foundation
import Testing

/// The objective and booster fixtures in Tests/Fixtures/xgboost-objectives
/// (training/xgboost_objectives.py; see its README.md): one small model per
/// objective, booster and model feature, by XGBoost 2.1.4 and 3.4.1.
enum ObjectiveFixtures {
    static let directory = Fixtures.root.appendingPathComponent("Tests/Fixtures/xgboost-objectives")
    static let versions = ["2.1.4", "3.4.1"]
    /// Models the legacy binary format cannot hold (2.1.4 refuses to write them).
    static let notInLegacyBinary: Set<String> = ["categorical_logistic", "categorical_pandas", "multi_output_tree"]

    /// The formats of one model: JSON and UBJSON, and the legacy binary
    /// format from 2.1.4 (3.4.1 cannot write it).
    static func formats(_ version: String, _ model: String) -> [String] {
        version == "2.1.4" && !notInLegacyBinary.contains(model) ? ["json", "legacy_binary", "ubj"] : ["json", "ubj"]
    }

    /// Every model each version's manifest must list, written down here so a
    /// missing manifest or model fails instead of shrinking the test.
    static let models = [
        "reg_squaredlogerror", "reg_pseudohubererror", "reg_absoluteerror", "reg_quantileerror", "reg_gamma",
        "reg_tweedie", "count_poisson", "binary_hinge", "rank_pairwise", "rank_ndcg", "survival_cox",
        "survival_aft", "gblinear_logistic", "dart_logistic", "categorical_logistic", "categorical_pandas",
        "multi_target_per_tree", "multi_output_tree",
    ]

    /// "version/model/format" of every case: 2 versions × 18 models × JSON
    /// and UBJSON, and 15 legacy binary files of 2.1.4: 87.
    static let expectedCases: Set<String> = Set(versions.flatMap { version in
        models.flatMap { model in formats(version, model).map { "\(version)/\(model)/\($0)" } }
    })

    struct Manifest: Decodable {
        let xgboost_version: String
        let models: [Model]
    }

    struct Model: Decodable {
        let name: String
        let objective: String
        let files: [String: String]
        let booster: String?
        let num_feature: Int?
        let num_target: Int?
        let num_boosted_rounds: Int?
        let input: String?
        let pred: String?
        let pred_columns: Int?
        let margin: String?
        let margin_columns: Int?
    }

    /// One model file of one producer version.
    struct Case: CustomTestStringConvertible, Sendable {
        let version: String
        let format: String
        let file: String
        let model: String
        let objective: String
        let numFeature: Int
        let numTarget: Int
        let rounds: Int
        let input: String
        let pred: String
        let predColumns: Int
        let margin: String
        let marginColumns: Int

        var key: String { "\(version)/\(model)/\(format)" }
        var testDescription: String { "\(version)/\(file)" }
        var url: URL { ObjectiveFixtures.url(version, file) }
    }

    static func url(_ version: String, _ file: String) -> URL {
        directory.appendingPathComponent(version).appendingPathComponent(file)
    }

    /// The cases of every manifest, and why a manifest or model entry could
    /// not be read (reported by a test, since `@Test(arguments:)` cannot throw).
    static let loaded: (cases: [Case], problems: [String]) = {
        var cases: [Case] = []
        var problems: [String] = []
        for version in versions {
            do {
                let data = try Data(contentsOf: url(version, "manifest.json"))
                let manifest = try JSONDecoder().decode(Manifest.self, from: data)
                if manifest.xgboost_version != version {
                    problems.append("\(version)/manifest.json: xgboost_version \(manifest.xgboost_version)")
                }
                for model in manifest.models {
                    guard let numFeature = model.num_feature, let rounds = model.num_boosted_rounds,
                          let input = model.input, let pred = model.pred, let predColumns = model.pred_columns,
                          let margin = model.margin, let marginColumns = model.margin_columns else {
                        problems.append("\(version)/\(model.name): no predictions in the manifest")
                        continue
                    }
                    for (format, file) in model.files.sorted(by: { $0.key < $1.key }) {
                        cases.append(Case(
                            version: version, format: format, file: file, model: model.name,
                            objective: model.objective, numFeature: numFeature, numTarget: model.num_target ?? 1,
                            rounds: rounds, input: input, pred: pred, predColumns: predColumns, margin: margin,
                            marginColumns: marginColumns))
                    }
                }
            } catch {
                problems.append("\(version)/manifest.json: \(error)")
            }
        }
        return (cases, problems)
    }()

    static var cases: [Case] { loaded.cases }
}
