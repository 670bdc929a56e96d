import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Pipeline
import SparkML
import XGBoost

/// The default pipeline, `pipelines/car-evaluation.json`: the Spark
/// PipelineModel directory (StringIndexer → OneHotEncoder → VectorAssembler
/// → SparkXGBClassifier → IndexToString) as one `sparkml` stage, on the same
/// rows and request bodies as the scikit-learn pipeline (both read the six
/// Car columns under the same names).
final class SparkWorkload {
    let pipeline: Pipeline
    /// The SparkXGBClassifier's booster inside the stage (1 prediction thread).
    let booster: Booster
    /// Every replicated row's assembled `features`, float32, row-major.
    let matrix: [Float]
    let width: Int

    init(options: Options, lines: [String]) async throws {
        let url = options.resolve("pipelines/car-evaluation.json")
        pipeline = try PipelineLoader().load(contentsOf: url)
        guard pipeline.stages.count == 1, let stage = pipeline.stages[0] as? SparkMLStage else {
            throw BenchmarkError("expected one sparkml stage in \(url.path)")
        }
        // Read by reflection: the model is internal to SparkML.
        guard let found = Self.booster(in: stage) else {
            throw BenchmarkError("no XGBoost booster inside the Spark stage of \(url.path)")
        }
        booster = found
        width = found.facts.numFeature
        let decoded = try pipeline.decoder.decode(Workload.body(lines[...]), as: .csv)
        let all = try stage.transformAll(decoded)
        guard let block = try all.column("features")?.vectorBlock(), block.width == width, block.rowCount == lines.count else {
            throw BenchmarkError("the Spark stage did not assemble \(lines.count) rows of 'features' × \(width)")
        }
        matrix = block.storage.map { Float($0) }
    }

    private static func booster(in value: Any, depth: Int = 0) -> Booster? {
        if let booster = value as? Booster { return booster }
        guard depth < 8 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = booster(in: child.value, depth: depth + 1) { return found }
        }
        return nil
    }
}

/// Before timing the Spark variants: the pipeline gives PySpark's answers
/// on the rows PySpark scored (`models/car-evaluation-spark/expected.json`),
/// its probabilities on every Car row equal libxgboost's for the same
/// booster, and the engine equals libxgboost bit for bit.
struct SparkChecks: Codable {
    var pysparkRows: Int
    var pysparkCheck: String
    var rawCheck: String
    var engineCheck: String
    var passed: Bool

    init(spark: SparkWorkload, lines: [String], distinctRows: Int, options: Options) async throws {
        // PySpark's own transform of its held-back rows.
        let url = options.resolve("models/car-evaluation-spark/expected.json")
        guard let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any],
              let inputs = document["rows"] as? [[Any]], let expected = document["expected"] as? [[String: Any]]
        else { throw BenchmarkError("\(url.path): no rows and expected outputs") }
        let scored = expected.compactMap { entry -> (row: Int, label: String, probability: [Double])? in
            guard let row = entry["row"] as? Int, let values = entry["values"] as? [String: Any],
                  let label = values["predicted_class"] as? String, let probability = values["probability"] as? [Double]
            else { return nil }
            return (row, label, probability)
        }
        guard !scored.isEmpty, scored.allSatisfy({ inputs.indices.contains($0.row) }) else {
            throw BenchmarkError("\(url.path): no usable expected rows")
        }
        // A JSON null is an empty CSV field, which the decoder reads as null.
        let body = Array(scored.map { entry in
            inputs[entry.row].map { $0 as? String ?? "" }.joined(separator: ",") + "\n"
        }.joined().utf8)
        let result = try await spark.pipeline.run(try spark.pipeline.decoder.decode(body, as: .csv))
        guard case .string(let labels)? = result.column("predicted_class")?.values,
              let probabilities = try result.column("probability")?.vectorBlock()
        else { throw BenchmarkError("the Spark pipeline has no predicted_class or probability output") }
        let labelMismatches = zip(labels, scored).filter { $0 != $1.label }.count
        let vsPySpark = NumericComparison(probabilities.storage, scored.flatMap(\.probability), tolerance: .absolute(1e-6),
                                          columns: probabilities.width, label: "Spark pipeline probability vs PySpark")
        pysparkRows = scored.count
        pysparkCheck = "\(labelMismatches) predicted_class mismatches; \(vsPySpark.description)"

        // Every Car row: the pipeline against libxgboost on the same booster, and the engine against libxgboost.
        let rows = distinctRows
        let all = try await spark.pipeline.run(try spark.pipeline.decoder.decode(Workload.body(lines[0..<rows]), as: .csv))
        guard let pipelineProbabilities = try all.column("probability")?.vectorBlock() else {
            throw BenchmarkError("the Spark pipeline has no probability output")
        }
        let (raw, engine) = try spark.matrix.withUnsafeBufferPointer { matrix in
            let slice = UnsafeBufferPointer(rebasing: matrix[0..<(rows * spark.width)])
            return (try spark.booster.libraryPredict(slice, rows: rows), try spark.booster.predict(slice, rows: rows))
        }
        // xgboost.spark takes its own float32 softmax of the margins: equal to libxgboost's to float32 rounding.
        let rawComparison = NumericComparison(pipelineProbabilities.storage, raw.values.map(Double.init), tolerance: .absolute(1e-6),
                                              columns: raw.groups, label: "Spark pipeline probability vs libxgboost")
        rawCheck = rawComparison.description
        let engineComparison = NumericComparison(engine.values.map(Double.init), raw.values.map(Double.init), tolerance: .exact,
                                                 columns: raw.groups, label: "native engine vs libxgboost (Spark booster)")
        engineCheck = engineComparison.description
        passed = labelMismatches == 0 && vsPySpark.matches && rawComparison.matches && engineComparison.matches
            && engine.values.map(\.bitPattern) == raw.values.map(\.bitPattern)
    }
}
