import Codecs
import ConveyorCore
import Foundation
import Pipeline
import XGBoost

/// What one timed item does. Each is measured at every batch size.
enum Variant: String, CaseIterable, Codable {
    /// CSV bytes in → CSV bytes out: `pipeline.predict(body, as: .csv, returning: .csv)`.
    case pipeline
    /// libxgboost (`Booster.libraryPredict`) on rows already encoded as a contiguous float32 matrix.
    case raw
    /// The native tree engine (`Booster.predict`, which the pipeline calls) on the same matrix.
    case engine
    /// CSV decode + the MLeap features stage.
    case preprocess
    /// CSV decode alone.
    case decode
    /// The MLeap features stage alone, on decoded frames.
    case features
    /// The XGBoost stage alone (float conversion, libxgboost, output columns), on feature frames.
    case xgboostStage = "xgboost-stage"
    /// The MLeap labels stage alone, on the XGBoost stage's frames.
    case labels
    /// `pipeline.run` (all stages + output selection), on decoded frames.
    case stages
    /// CSV encode of the output columns alone, on result frames.
    case encode
    /// CSV bytes in → JSON Lines out with each row's explanation (`Scoring.explain`).
    case explain
    /// TreeSHAP alone (`Booster.contributions`) on the ready float32 matrix.
    case contributions
    /// The default Spark pipeline: CSV bytes in → CSV bytes out.
    case sparkPipeline = "spark-pipeline"
    /// libxgboost on the Spark model's booster and its assembled features.
    case sparkRaw = "spark-raw"
    /// The native engine on the same matrix and booster.
    case sparkEngine = "spark-engine"
    /// The Spark pipeline's `pipeline.run` on decoded frames.
    case sparkStages = "spark-stages"

    var summary: String {
        switch self {
        case .pipeline: return "CSV in → decode → 3 stages → encode → CSV out (`Pipeline.predict`)"
        case .raw: return "libxgboost (`Booster.libraryPredict`) on a ready float32 matrix (same booster, 1 thread)"
        case .engine: return "the native tree engine (`Booster.predict`, as the pipeline runs it) on the same matrix"
        case .preprocess: return "CSV decode + MLeap `features` stage"
        case .decode: return "CSV decode only (`FrameDecoder.decode`)"
        case .features: return "MLeap `features` stage only (one-hot, 21-wide vector)"
        case .xgboostStage: return "XGBoost stage only (double→float matrix, tree engine, output columns)"
        case .labels: return "MLeap `labels` stage only (index → class name)"
        case .stages: return "`Pipeline.run`: all 3 stages, no decode/encode"
        case .encode: return "CSV encode of `predicted_class,probabilities` only"
        case .explain: return "CSV in → 3 stages + TreeSHAP on the 6 input columns → JSON Lines with explanations (`Scoring.explain`)"
        case .contributions: return "TreeSHAP alone (`Booster.contributions`, 4 classes × 22) on the same matrix as raw/engine"
        case .sparkPipeline: return "the default Spark pipeline (`pipelines/car-evaluation.json`): CSV in → decode → the `sparkml` stage → encode → CSV out"
        case .sparkRaw: return "libxgboost on the Spark model's booster (120 trees) and the stage's assembled features"
        case .sparkEngine: return "the native tree engine on the same matrix and booster"
        case .sparkStages: return "the Spark pipeline's `Pipeline.run`, no decode/encode"
        }
    }
}

/// The rows of one call, prepared in every form the variants start from.
struct Batch {
    var rows: Int
    /// CSV request body.
    var body: [UInt8]
    /// The decoded request.
    var decoded: Frame
    /// After the features stage.
    var featured: Frame
    /// After the XGBoost stage.
    var scored: Frame
    /// After `pipeline.run` (output columns only).
    var result: Frame
    /// Start of this batch's rows in the shared float32 matrix.
    var matrixRow: Int
}

/// The car-evaluation pipeline, its booster and the prepared batches.
final class Workload {
    let pipeline: Pipeline
    let booster: Booster
    let boosterSource: String
    let features: any Stage
    let classifier: any Stage
    let labels: any Stage
    let outputNames: [String]
    /// Distinct data rows (1,728) and the replicated row set.
    let distinctRows: Int
    let lines: [String]
    /// The replicated rows as one row-major float32 matrix, `width` per row.
    let matrix: [Float]
    let width: Int
    /// Batches per batch size.
    private(set) var batches: [Int: [Batch]] = [:]
    /// The default Spark pipeline on the same rows and bodies.
    let spark: SparkWorkload

    init(options: Options) async throws {
        let pipelineURL = options.resolve("pipelines/car-evaluation-sklearn.json")
        pipeline = try PipelineLoader().load(contentsOf: pipelineURL)
        guard pipeline.stages.count == 3 else {
            throw BenchmarkError("expected 3 stages in \(pipelineURL.path), found \(pipeline.stages.count)")
        }
        features = pipeline.stages[0]
        classifier = pipeline.stages[1]
        labels = pipeline.stages[2]
        outputNames = pipeline.outputs.map(\.name)

        // The pipeline's own booster (XGBoostStage.booster, loaded with the
        // default Options: 1 prediction thread). Read by reflection so that
        // this target needs no dependency on XGBoostStage.
        if let stageBooster = Mirror(reflecting: classifier).children.first(where: { $0.label == "booster" })?.value as? Booster {
            booster = stageBooster
            boosterSource = "the pipeline's XGBoostStage.booster (Booster.Options() default: predictionThreads 1)"
        } else {
            booster = try Booster(contentsOf: options.resolve("models/car-evaluation/xgboost.json"),
                                  options: Booster.Options(predictionThreads: 1))
            boosterSource = "models/car-evaluation/xgboost.json loaded with Booster.Options(predictionThreads: 1)"
        }
        width = booster.facts.numFeature

        // car.csv: header, then 6 inputs + `class`. Drop both.
        let dataURL = options.resolve(options.data)
        let text = try String(contentsOf: dataURL, encoding: .utf8)
        var records = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !records.isEmpty else { throw BenchmarkError("\(dataURL.path) is empty") }
        records.removeFirst()
        let inputCount = pipeline.inputs.count
        let distinct = try records.map { record -> String in
            let fields = record.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == inputCount + 1 else {
                throw BenchmarkError("\(dataURL.lastPathComponent): '\(record)' has \(fields.count) fields, expected \(inputCount + 1)")
            }
            return fields.dropLast().joined(separator: ",")
        }
        distinctRows = distinct.count
        lines = Array((0..<options.replicate).map { _ in distinct }.joined())

        // Encode every row once, through the pipeline's own decoder and
        // features stage, into the float32 matrix the raw variant reads.
        let allFeatures = try await features.transform(try pipeline.decoder.decode(Self.body(lines[...]), as: .csv))
        let inputName = classifier.inputs[0].name
        guard let block = try allFeatures.column(inputName)?.vectorBlock(), block.width == width,
              block.rowCount == lines.count
        else {
            throw BenchmarkError("the features stage did not produce \(lines.count) rows of '\(inputName)' × \(width)")
        }
        matrix = block.storage.map { Float($0) }
        spark = try await SparkWorkload(options: options, lines: lines)
    }

    static func body(_ lines: ArraySlice<String>) -> [UInt8] {
        var bytes: [UInt8] = []
        for line in lines {
            bytes.append(contentsOf: line.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// Batch size 1: `calls` single-row calls over the replicated rows in
    /// order (wrapping). Larger: consecutive chunks of `size` rows; a
    /// remainder shorter than `size` is left out.
    func prepare(batchSize size: Int, singleCalls: Int) async throws {
        let starts: [Int] = size == 1
            ? (0..<singleCalls).map { $0 % lines.count }
            : Array(stride(from: 0, through: lines.count - size, by: size))
        guard !starts.isEmpty else {
            throw BenchmarkError("batch size \(size) is larger than the \(lines.count) rows")
        }
        var prepared: [Batch] = []
        prepared.reserveCapacity(starts.count)
        for start in starts {
            let body = Self.body(lines[start..<(start + size)])
            let decoded = try pipeline.decoder.decode(body, as: .csv)
            let featured = try await features.transform(decoded)
            let scored = try await classifier.transform(featured)
            let result = try await pipeline.run(decoded)
            prepared.append(Batch(rows: size, body: body, decoded: decoded, featured: featured,
                                  scored: scored, result: result, matrixRow: start))
        }
        batches[size] = prepared
    }

    /// Runs `variant` over every batch of `size` once; returns a value
    /// derived from the outputs so no work can be skipped.
    func run(_ variant: Variant, batchSize size: Int) async throws -> Int {
        // Batches are read in place (`list[index].body`): `for batch in list`
        // copied each batch, retaining its six arrays, inside the timed loop.
        let list = batches[size]!
        var sink = 0
        switch variant {
        case .pipeline:
            for index in list.indices {
                sink &+= try await pipeline.predict(list[index].body, as: .csv, returning: .csv).count
            }
        case .raw:
            sink &+= try predictMatrix(list) { try booster.libraryPredict($0, rows: $1) }
        case .engine:
            sink &+= try predictMatrix(list) { try booster.predict($0, rows: $1) }
        case .sparkPipeline:
            for index in list.indices {
                sink &+= try await spark.pipeline.predict(list[index].body, as: .csv, returning: .csv).count
            }
        case .sparkRaw:
            sink &+= try predictMatrix(list, spark.matrix, width: spark.width) { try spark.booster.libraryPredict($0, rows: $1) }
        case .sparkEngine:
            sink &+= try predictMatrix(list, spark.matrix, width: spark.width) { try spark.booster.predict($0, rows: $1) }
        case .sparkStages:
            for index in list.indices {
                sink &+= try await spark.pipeline.run(list[index].decoded).columns.count
            }
        case .preprocess:
            for index in list.indices {
                let frame = try pipeline.decoder.decode(list[index].body, as: .csv)
                // Handed over, as Pipeline.run hands frames to its stages.
                sink &+= try await features.transform(consume frame).columns.count
            }
        case .decode:
            for index in list.indices {
                sink &+= try pipeline.decoder.decode(list[index].body, as: .csv).rowCount
            }
        case .features:
            for index in list.indices {
                sink &+= try await features.transform(list[index].decoded).columns.count
            }
        case .xgboostStage:
            for index in list.indices {
                sink &+= try await classifier.transform(list[index].featured).columns.count
            }
        case .labels:
            for index in list.indices {
                sink &+= try await labels.transform(list[index].scored).columns.count
            }
        case .stages:
            for index in list.indices {
                sink &+= try await pipeline.run(list[index].decoded).columns.count
            }
        case .encode:
            let encoder = FrameEncoder()
            for index in list.indices {
                sink &+= try encoder.encode(list[index].result, columns: outputNames, as: .csv).count
            }
        case .explain:
            var scoring = Scoring(pipeline: pipeline, requestType: .csv, responseType: .jsonLines)
            scoring.explain = true
            for index in list.indices {
                sink &+= try await scoring.respond(to: list[index].body).body.count
            }
        case .contributions:
            let width = self.width
            try matrix.withUnsafeBufferPointer { all in
                for index in list.indices {
                    let rows = (list[index].matrixRow * width)..<((list[index].matrixRow + list[index].rows) * width)
                    sink &+= try booster.contributions(UnsafeBufferPointer(rebasing: all[rows]), rows: list[index].rows).count
                }
            }
        }
        return sink
    }

    /// Runs `predict` over each batch's rows of the shared float32 matrix.
    private func predictMatrix(_ list: [Batch],
                               _ predict: (UnsafeBufferPointer<Float>, Int) throws -> Prediction) throws -> Int {
        try predictMatrix(list, matrix, width: width, predict)
    }

    /// Runs `predict` over each batch's rows of `matrix` (`width` per row).
    private func predictMatrix(_ list: [Batch], _ matrix: [Float], width: Int,
                               _ predict: (UnsafeBufferPointer<Float>, Int) throws -> Prediction) throws -> Int {
        var sink = 0
        try matrix.withUnsafeBufferPointer { all in
            for index in list.indices {
                let (first, count) = (list[index].matrixRow, list[index].rows)
                let rows = (first * width)..<((first + count) * width)
                sink &+= try predict(UnsafeBufferPointer(rebasing: all[rows]), count).values.count
            }
        }
        return sink
    }

    func calls(batchSize size: Int) -> Int { batches[size]?.count ?? 0 }
}
