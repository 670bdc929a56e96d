import Archives
import ConveyorCore
import Foundation
import Testing

@testable import MLeap

/// Every real bundle under shared/mleap-bundles either loads or is refused
/// with `.unsupportedModel` naming the op — never a crash or a corrupt-model error.
@Suite struct BundleSurveyTests {
    enum Outcome: Equatable {
        case loaded(ops: [String])
        case refused(op: String)
    }

    /// Loads a bundle without a schema; refusals must name an op we do not support.
    static func outcome(_ bundle: () throws -> MLeapBundle) throws -> Outcome {
        do {
            let stage = try MLeapStage(name: "survey", bundle: try bundle(), schema: nil)
            return .loaded(ops: stage.ops)
        } catch let error as ConveyorError where error.code == .unsupportedModel {
            let op = try #require(
                error.message.firstMatch(of: /MLeap op '([^']+)' \(node '[^']+'\)/)?.1,
                "refusal should name op and node: \(error.message)")
            #expect(!MLeapStage.supportedOps.contains(String(op)))
            return .refused(op: String(op))
        }
    }

    static func survey() throws -> [(String, Outcome)] {
        var results: [(String, Outcome)] = []
        let files = FileManager.default.enumerator(atPath: sharedBundles.path)!
        var artifacts: [String] = []
        while let path = files.nextObject() as? String {
            if path.hasPrefix("mleap-docs-spark-parity-52/bundles/") { continue }  // same as inside spark-parity.zip
            if path.hasSuffix(".zip") || path.hasSuffix("mleap_model.tar.gz") || path.hasSuffix("/model") {
                artifacts.append(path)
            }
        }
        for path in artifacts.sorted() {
            let url = sharedBundles.appendingPathComponent(path)
            if path.hasSuffix("spark-parity.zip") {
                // A zip of 52 bundle zips.
                let outer = try ArchiveReader.read(url)
                #expect(outer.paths.count == 52)
                for inner in outer.paths {
                    let data = try #require(outer[inner])
                    let name = String(inner.split(separator: "/").last!)
                    results.append((name, try outcome {
                        try MLeapBundle(tree: try ArchiveReader.read(data, source: inner))
                    }))
                }
            } else {
                results.append((path, try outcome { try MLeapBundle(url: url) }))
            }
        }
        return results
    }

    @Test func everyBundleLoadsOrNamesItsUnsupportedOp() throws {
        let results = try Self.survey()
        var loaded = 0
        var refusedOps: [String: Int] = [:]
        for (name, outcome) in results {
            switch outcome {
            case .loaded(let ops):
                loaded += 1
                print("loaded   \(name) [\(Set(ops).sorted().joined(separator: ", "))]")
            case .refused(let op):
                refusedOps[op, default: 0] += 1
                print("refused  \(name): \(op)")
            }
        }
        print("bundles: \(results.count), loaded: \(loaded), refused: \(results.count - loaded)")
        print("refusing ops: \(refusedOps.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", "))")

        let byName = Dictionary(results, uniquingKeysWith: { first, _ in first })
        #expect(results.count == 52 + 14)
        // Custom ops no standard runtime knows.
        #expect(byName["georyetti-regex-custom-ops/mleap_bundle.zip"] == .refused(op: "regex_extract"))
        #expect(byName["rugobal-custom-ops/col-perc-mleap-test-spec.model.zip"]
            == .refused(op: "column_percentage_estimator"))
        #expect(byName["mleap-xgboost-pixar-movie/pixar_movie_mleap_bundle.zip"]
            == .refused(op: "sparse_vector_assembler"))
        // Bundles made only of supported ops must load.
        for name in [
            "sagemaker-pysdk-titanic-features/mleap_model.tar.gz", "mleap-airbnb-lr/airbnb.model.lr.zip",
            "mleap-airbnb-rf/airbnb.model.rf.zip", "mleap-min-max-scaler-tf/min_max_scaler_tf.zip",
            "mleap-py-one-hot-encoder-pipeline/one_hot_encoder_pipeline.zip", "mleap-py-spring-boot-demo/demo.zip",
            "sagemaker-sparkml-container-empty-pipeline/model",
        ] {
            guard case .loaded = byName[name] else {
                Issue.record("\(name) should load: \(String(describing: byName[name]))")
                continue
            }
        }
        let parityFeatureSpecs = [
            "Binarizer", "Bucketizer", "MaxAbsScaler", "MinMaxScaler", "Normalizer", "OneHotEncoder",
            "ReverseStringIndexer", "StandardScaler", "StringIndexer", "VectorAssembler",
        ]
        for spec in parityFeatureSpecs {
            let name = "org.apache.spark.ml.parity.feature.\(spec)ParitySpec.zip"
            guard case .loaded = byName[name] else {
                Issue.record("\(name) should load: \(String(describing: byName[name]))")
                continue
            }
        }
        // Classifiers, clustering and text ops are out of scope and must be refused, not mis-run.
        #expect(byName["org.apache.spark.ml.parity.classification.LogisticRegressionParitySpec.zip"]
            == .refused(op: "logistic_regression"))
        #expect(byName["org.apache.spark.ml.parity.feature.PcaParitySpec.zip"] == .refused(op: "pca"))
    }
}
