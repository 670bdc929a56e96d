import ConveyorTestSupport
import Foundation
import Testing
@testable import XGBoost

/// Every objective, booster and model feature of the objectives fixtures is
/// either predicted exactly as its producer predicts it — values and
/// margins, bit for bit in float32 — or refused at load with an
/// `.unsupportedModel` error in Conveyor's own words naming what is
/// unsupported. Never a raw libxgboost message, never a silent misprediction.
/// Serialized, as NativeEngineTests: cases side by side hold the test pool's
/// threads that other suites' in-process servers answer on.
@Suite(.serialized) struct ObjectiveConformanceTests {
    /// "version/model/format" of the model's files in the given formats, or in all it has.
    static func files(_ version: String, _ model: String, _ formats: [String]? = nil) -> [String] {
        (formats ?? ObjectiveFixtures.formats(version, model)).map { "\(version)/\(model)/\($0)" }
    }

    /// The files that must load and predict exactly. Changing what is
    /// supported means changing this list.
    static let supported: Set<String> = {
        var files: [String] = []
        for version in ObjectiveFixtures.versions {
            for model in ["reg_pseudohubererror", "reg_absoluteerror", "reg_gamma", "reg_tweedie", "count_poisson",
                          "binary_hinge", "survival_cox", "survival_aft", "categorical_logistic",
                          "multi_target_per_tree"] {
                files += Self.files(version, model)
            }
        }
        files += Self.files("2.1.4", "reg_squaredlogerror") + Self.files("2.1.4", "categorical_pandas")
        files += Self.files("3.4.1", "categorical_pandas", ["json"])
        files += Self.nativeOnly
        // DART (3.x and 2.x files), predicted by the native engine with its tree weights.
        files += Self.files("3.4.1", "dart_logistic") + Self.files("2.1.4", "dart_logistic", ["json", "ubj"])
        // gblinear, predicted by Conveyor's linear evaluator (libxgboost 1.7.4 cannot).
        files += Self.files("3.4.1", "gblinear_logistic") + Self.files("2.1.4", "gblinear_logistic", ["json", "ubj"])
        return Set(files)
    }()

    /// Models libxgboost 1.7.4 cannot load, read and predicted by the native
    /// engine alone (so no libxgboost reference for NativeEngineTests).
    static let nativeOnly: Set<String> = {
        var files: [String] = []
        for version in ObjectiveFixtures.versions {
            for model in ["reg_quantileerror", "rank_pairwise", "rank_ndcg", "multi_output_tree"] {
                files += Self.files(version, model, ["json", "ubj"])
            }
        }
        files += Self.files("3.4.1", "reg_squaredlogerror") + Self.files("3.4.1", "categorical_pandas", ["ubj"])
        return Set(files)
    }()

    /// The files that must be refused, with what the message must name.
    static let refused: [String: [String]] = {
        var refused: [String: [String]] = [:]
        func refuse(_ version: String, _ model: String, _ formats: [String]? = nil, naming phrases: [String]) {
            for file in files(version, model, formats) { refused[file] = phrases }
        }
        // The legacy binary format: Conveyor cannot read DART's tree weights
        // in it, and only libxgboost reads it, which lacks these objectives.
        refuse("2.1.4", "dart_logistic", ["legacy_binary"], naming: ["booster 'dart'", "JSON or UBJSON"])
        refuse("2.1.4", "gblinear_logistic", ["legacy_binary"], naming: ["booster 'gblinear'", "JSON or UBJSON"])
        for model in ["reg_quantileerror", "rank_pairwise", "rank_ndcg"] {
            let objective = model.replacingOccurrences(of: "_", with: ":")
            refuse("2.1.4", model, ["legacy_binary"],
                   naming: ["objective '\(objective)'", "legacy binary format", "JSON or UBJSON"])
        }
        return refused
    }()

    /// What libxgboost's own messages look like: "[13:16:13] ./src/x.cc:26: …".
    static let rawLibraryMarkers = [".cc:", ".h:", "typed array", "Check failed", "Invalid cast", "Unknown objective"]

    @Test func fixturesArePresent() throws {
        #expect(ObjectiveFixtures.loaded.problems.isEmpty, "\(ObjectiveFixtures.loaded.problems)")
        let found = ObjectiveFixtures.cases.map(\.key)
        #expect(found.count == 87 && ObjectiveFixtures.expectedCases.count == 87)
        let missing = ObjectiveFixtures.expectedCases.subtracting(found).sorted()
        let extra = Set(found).subtracting(ObjectiveFixtures.expectedCases).sorted()
        #expect(missing.isEmpty && extra.isEmpty, "missing: \(missing), extra: \(extra)")
        for fixture in ObjectiveFixtures.cases {
            #expect(FileManager.default.fileExists(atPath: fixture.url.path), "\(fixture) is not on disk")
        }
        // Every file is either supported or refused, never both, never neither.
        #expect(Self.supported.count + Self.refused.count == 87)
        #expect(Self.supported.isDisjoint(with: Self.refused.keys))
        #expect(Self.supported.union(Self.refused.keys) == ObjectiveFixtures.expectedCases)
    }

    @Test(arguments: ObjectiveFixtures.cases)
    func predictedExactlyOrRefusedByName(_ fixture: ObjectiveFixtures.Case) throws {
        let booster: Booster
        do {
            booster = try Booster(contentsOf: fixture.url)
        } catch {
            let phrases = try #require(Self.refused[fixture.key], "\(fixture) must load but is refused: \(error)")
            #expect(error.code == .unsupportedModel, "\(fixture): \(error)")
            #expect(error.function == nil, "\(fixture) refused by libxgboost, not by Conveyor: \(error)")
            for phrase in phrases {
                #expect(error.message.contains(phrase), "\(fixture): '\(error.message)' does not name '\(phrase)'")
            }
            for marker in Self.rawLibraryMarkers {
                #expect(!error.message.contains(marker), "\(fixture): a raw libxgboost message: \(error.message)")
            }
            #expect(error.message.range(of: #"\[\d\d:\d\d:\d\d\]"#, options: .regularExpression) == nil,
                    "\(fixture): a raw libxgboost message: \(error.message)")
            return
        }
        #expect(Self.supported.contains(fixture.key), "\(fixture) must be refused but loads")
        #expect(booster.facts.objective.rawValue == fixture.objective)
        #expect(booster.facts.format.rawValue
                == ["json": "json", "ubj": "ubjson", "legacy_binary": "legacy_binary"][fixture.format])
        #expect(booster.facts.numFeature == fixture.numFeature)
        #expect(booster.facts.numTarget == fixture.numTarget)
        #expect(booster.facts.boostedRounds == fixture.rounds)
        #expect(booster.facts.outputGroups == fixture.predColumns)

        let inputs = try Fixtures.csv(ObjectiveFixtures.url(fixture.version, fixture.input))
        let features = Fixtures.floatMatrix(inputs)
        let prediction = try booster.predict(features, rows: inputs.count)
        try expectExact(prediction, try Fixtures.csv(ObjectiveFixtures.url(fixture.version, fixture.pred)),
                        columns: fixture.predColumns, what: "\(fixture) prediction")
        let margins = try booster.predict(features, rows: inputs.count, output: .margin)
        try expectExact(margins, try Fixtures.csv(ObjectiveFixtures.url(fixture.version, fixture.margin)),
                        columns: fixture.marginColumns, what: "\(fixture) margin")
    }

    /// What libxgboost 1.7.4 cannot load is predicted by the native engine
    /// alone, says so, and is refused when libxgboost is forced.
    @Test func modelsLibxgboostCannotLoadNameWhyAndRefuseTheLibrary() throws {
        let gaps = [("2.1.4", "reg_quantileerror", "json", "objective 'reg:quantileerror'"),
                    ("3.4.1", "rank_ndcg", "ubj", "lambdarank_param"),
                    ("3.4.1", "reg_squaredlogerror", "json", "without 'reg_loss_param'"),
                    ("2.1.4", "multi_output_tree", "ubj", "vector-leaf trees (size_leaf_vector 2"),
                    ("3.4.1", "multi_output_tree", "json", "vector-leaf trees (size_leaf_vector 2"),
                    ("3.4.1", "categorical_pandas", "ubj", "typed arrays of int8")]
        for (version, model, format, phrase) in gaps {
            let url = ObjectiveFixtures.url(version, "\(model).\(format)")
            let booster = try Booster(contentsOf: url)
            #expect(booster.libraryGap?.contains(phrase) == true, "\(model): \(booster.libraryGap ?? "nil")")
            #expect(booster.engineDescription.hasPrefix("native (libxgboost 1.7.4 cannot load this model: "))
            #expect(booster.nativeEngine != nil)
            let row = [Float](repeating: 1, count: booster.facts.numFeature)
            #expect(throws: XGBoostError.self) { try row.withUnsafeBufferPointer { buffer in
                try booster.libraryPredict(buffer, rows: 1)
            } }
            do {
                _ = try Booster(contentsOf: url, options: .init(engine: .libxgboost))
                Issue.record("\(model): loaded with libxgboost forced")
            } catch {
                #expect(error.code == .unsupportedModel && error.message.contains(phrase)
                        && error.message.contains("libxgboost was chosen"), "\(error)")
            }
        }
        // A model libxgboost loads has no gap.
        #expect(try Booster(contentsOf: ObjectiveFixtures.url("3.4.1", "reg_gamma.json")).libraryGap == nil)
    }

    /// XGBoost 3.4.0 and later sort each row's quantiles (3.4.1's fixture
    /// has crossing rows, so predicting it unsorted fails above); earlier
    /// versions do not. The sort is XGBoost's insertion sort: a NaN is never
    /// larger, so nothing moves past it.
    @Test func quantilesAreSortedFromXGBoost340On() throws {
        #expect(try Booster(contentsOf: ObjectiveFixtures.url("3.4.1", "reg_quantileerror.json")).facts.sortsQuantiles)
        #expect(try !Booster(contentsOf: ObjectiveFixtures.url("2.1.4", "reg_quantileerror.json")).facts.sortsQuantiles)
        #expect(try !Booster(contentsOf: ObjectiveFixtures.url("3.4.1", "multi_output_tree.json")).facts.sortsQuantiles)
        var values: [Float] = [3, 1, 2, 5, .nan, 4, -1, -1, -2]
        Objective.sortRows(&values, rows: 3, groups: 3)
        #expect(values[0..<3] == [1, 2, 3] && values[6..<9] == [-2, -1, -1])
        #expect(values[3] == 5 && values[4].isNaN && values[5] == 4)
    }

    /// The DART fixtures exercise the weights: some differ from 1, so
    /// predicting them as plain gbtree would be wrong.
    @Test func dartFixturesHaveNonTrivialTreeWeights() throws {
        struct Manifest: Decodable {
            struct Model: Decodable { let name: String; let weight_drop: [Double]? }
            let models: [Model]
        }
        for version in ObjectiveFixtures.versions {
            let data = try Data(contentsOf: ObjectiveFixtures.url(version, "manifest.json"))
            let dart = try #require(try JSONDecoder().decode(Manifest.self, from: data).models
                .first { $0.name == "dart_logistic" })
            let weights = try #require(dart.weight_drop, "\(version): no weight_drop")
            #expect(weights.count == 20 && weights.filter { $0 != 1 }.count >= 10, "\(version): \(weights)")
        }
    }

    /// The prob→margin links of a 3.1+ vector base_score at their edges (the
    /// fixtures show the links exact on real intercepts).
    @Test func baseScoreLinksRefuseWhatHasNoAgreedMargin() {
        for objective in [Objective.regGamma, .regTweedie, .countPoisson, .survivalCox, .survivalAFT] {
            #expect(objective.margin(fromBaseScore: 1) == 0, "\(objective): log 1")
            #expect(objective.margin(fromBaseScore: 0) == nil && objective.margin(fromBaseScore: -2) == nil)
            #expect(objective.margin(fromBaseScore: .infinity) == nil)
        }
        for objective in [Objective.regPseudoHuberError, .regAbsoluteError, .regSquaredLogError, .binaryHinge] {
            #expect(objective.margin(fromBaseScore: -3.5) == -3.5, "\(objective): identity")
        }
        // 3.2+ clamp a logistic base_score into [1e-6, 1 - 1e-6], 3.1 does not: refused outside.
        #expect(Objective.binaryLogistic.margin(fromBaseScore: 1e-7) == nil)
        #expect(Objective.binaryLogistic.margin(fromBaseScore: 0.5) == 0)
    }

    private func expectExact(_ prediction: Prediction, _ expected: [[Double]], columns: Int, what: String) throws {
        try #require(prediction.rows == expected.count && expected.count == 200, "\(what): row count")
        try #require(prediction.groups == columns, "\(what): values per row")
        let flat = expected.flatMap { $0 }
        try #require(flat.count == expected.count * columns, "\(what): ragged expected rows")
        // The producer wrote float32 results widened to double.
        #expect(flat.allSatisfy { $0.isNaN || Double(Float($0)) == $0 }, "\(what): not float32 values")
        let result = NumericComparison(prediction.values, flat, tolerance: .exact, columns: columns, label: what)
        #expect(result.matches, "\(result)")
    }
}
