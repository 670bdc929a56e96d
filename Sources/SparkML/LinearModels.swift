import ConveyorCore
import Foundation
import Parquet

/// `LogisticRegressionModel` (binomial and multinomial), computed as
/// Spark's raw2probability does.
struct LogisticRegressionModel: SparkTransformer {
    let metadata: SparkMetadata
    let columns: PredictionColumns
    let classes: Int
    let width: Int
    let coefficients: SparkMatrix
    let intercepts: [Double]
    let multinomial: Bool
    let threshold: Double
    let thresholds: [Double]?

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        columns = PredictionColumns(metadata)
        let row = try dir.singleRow()
        guard let numClasses = row["numClasses"]?.int, let numFeatures = row["numFeatures"]?.int,
              numClasses >= 2, numClasses < 1 << 16, numFeatures >= 0 else {
            throw metadata.failure("data lacks numClasses/numFeatures (Spark 1.x layout is not supported)")
        }
        classes = Int(numClasses)
        width = Int(numFeatures)
        coefficients = try SparkMatrix(row["coefficientMatrix"], what: dir.what("coefficientMatrix"))
        intercepts = try SparkVector(row["interceptVector"], what: dir.what("interceptVector")).dense
        multinomial = row["isMultinomial"]?.bool ?? (classes > 2)
        guard coefficients.columns == width, coefficients.rows == intercepts.count,
              coefficients.rows == (multinomial ? classes : 1) else {
            throw metadata.failure("coefficient matrix \(coefficients.rows)x\(coefficients.columns) does not fit "
                + "\(classes) classes and \(width) features")
        }
        threshold = metadata.double("threshold") ?? 0.5
        thresholds = metadata.isSet("thresholds") ? metadata.doubles("thresholds") : nil
    }

    var inputs: [ColumnSpec] { [ColumnSpec(columns.features, .vector(width))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { columns.classifierSpecs(classes: classes) }

    var dataFacts: [Fact] {
        [Fact("classes", "\(classes)"), Fact("features", "\(width)"), Fact("multinomial", "\(multinomial)")]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        let rows = try columns.featureRows(frame, width: width, stage: stage)
        var raws: [[Double]?] = [], probs: [[Double]?] = [], predictions: [Double?] = []
        for features in rows {
            guard let features else { raws.append(nil); probs.append(nil); predictions.append(nil); continue }
            if multinomial {
                let raw = (0..<classes).map { dot(coefficients.row($0), features) + intercepts[$0] }
                let maxMargin = raw.max() ?? 0
                var p = raw.map { maxMargin > 0 ? exp($0 - maxMargin) : exp($0) }
                let scale = 1 / p.reduce(0, +)
                p = p.map { $0 * scale }
                raws.append(raw); probs.append(p)
                predictions.append(sparkPrediction(p, thresholds: thresholds))
            } else {
                let margin = dot(coefficients.row(0), features) + intercepts[0]
                let raw = [-margin, margin]
                let p = raw.map { 1 / (1 + exp(-$0)) }
                raws.append(raw); probs.append(p)
                predictions.append(thresholds.map { sparkPrediction(p, thresholds: $0) } ?? (p[1] > threshold ? 1 : 0))
            }
        }
        var result = frame
        try columns.putClassifier(&result, classes: classes, raw: raws, probability: probs, prediction: predictions)
        return result
    }
}

/// `LinearRegressionModel`: dot(coefficients, features) + intercept.
struct LinearRegressionModel: SparkTransformer {
    let metadata: SparkMetadata
    let columns: PredictionColumns
    let coefficients: [Double]
    let intercept: Double

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        columns = PredictionColumns(metadata)
        let row = try dir.singleRow()
        coefficients = try SparkVector(row["coefficients"], what: dir.what("coefficients")).dense
        intercept = try metadata.require(row["intercept"]?.double, "intercept")
    }

    var inputs: [ColumnSpec] { [ColumnSpec(columns.features, .vector(coefficients.count))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { columns.regressorSpecs() }

    var dataFacts: [Fact] { [Fact("features", "\(coefficients.count)"), Fact("intercept", "\(intercept)")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        let rows = try columns.featureRows(frame, width: coefficients.count, stage: stage)
        let weights = coefficients[...]
        var result = frame
        if !columns.prediction.isEmpty {
            try result.put(Columns.doubles(columns.prediction, rows.map { $0.map { dot($0, weights) + intercept } }))
        }
        return result
    }
}
