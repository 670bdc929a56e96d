import ConveyorCore
import Foundation
import XGBoost

/// xgboost.spark's `SparkXGBClassifierModel` / `SparkXGBRegressorModel`:
/// the booster is saved as JSON text under `model/` (saveAsTextFile chunks).
/// Features are passed dense, as xgboost.spark does: zeros are values and
/// only NaN — or the model's own `missing` value — is missing.
struct SparkXGBModel: SparkTransformer {
    let metadata: SparkMetadata
    let columns: PredictionColumns
    let classifier: Bool
    let booster: Booster
    let missing: Double

    init(_ dir: SparkStageDirectory, classifier: Bool) throws {
        metadata = dir.metadata
        self.classifier = classifier
        columns = PredictionColumns(metadata)
        missing = metadata.double("missing") ?? .nan
        let text = try dir.textLines("model").joined()
        do {
            booster = try Booster(modelData: Array(text.utf8))
        } catch {
            throw ConveyorError(.modelCorrupt, "\(metadata.className) '\(metadata.uid)': cannot load the booster "
                + "under model/: \(error)", cause: SendableDescription(error))
        }
        guard (metadata.string("base_margin_col") ?? "").isEmpty else {
            throw ConveyorError(.unsupportedModel, "\(metadata.className) '\(metadata.uid)': base_margin_col is not supported")
        }
    }

    var width: Int { booster.facts.numFeature }
    var classes: Int { max(2, booster.facts.outputGroups) }

    var inputs: [ColumnSpec] { [ColumnSpec(columns.features, .vector(width))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        classifier ? columns.classifierSpecs(classes: classes) : columns.regressorSpecs()
    }

    var dataFacts: [Fact] {
        [Fact("objective", "\(booster.facts.objective)"), Fact("features", "\(width)"),
         Fact("missing", "\(missing)")] + (classifier ? [Fact("classes", "\(classes)")] : [])
    }

    /// The features as the booster takes them: float32, row-major, NaN
    /// for missing (and for every value of a null row).
    func featureMatrix(_ frame: Frame, stage: String) throws -> (values: [Float], nulls: [Bool]) {
        let rows = try columns.featureRows(frame, width: width, stage: stage)
        var matrix = [Float]()
        matrix.reserveCapacity(rows.count * width)
        for row in rows {
            guard let row else { matrix += repeatElement(Float.nan, count: width); continue }
            for value in row {
                let isMissing = missing.isNaN ? value.isNaN : (value == missing || value.isNaN)
                matrix.append(isMissing ? .nan : Float(value))
            }
        }
        return (matrix, rows.map { $0 == nil })
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        let (matrix, nulls) = try featureMatrix(frame, stage: stage)
        var result = frame
        do {
            if !classifier {
                let prediction = try booster.predict(matrix, rows: nulls.count, output: .value)
                let values: [Double?] = (0..<nulls.count).map { nulls[$0] ? nil : Double(prediction.row($0).first ?? .nan) }
                if !columns.prediction.isEmpty { try result.put(Columns.doubles(columns.prediction, values)) }
                return result
            }
            let margins = try booster.predict(matrix, rows: nulls.count, output: .margin)
            var raws: [[Double]?] = [], probs: [[Double]?] = [], predictions: [Double?] = []
            for row in 0..<nulls.count {
                guard !nulls[row] else { raws.append(nil); probs.append(nil); predictions.append(nil); continue }
                let margin = Array(margins.row(row))
                // As xgboost.spark's transform_margin: float32 expit / softmax.
                let raw: [Float], probability: [Float]
                if margin.count == 1 {
                    let p1 = 1 / (1 + Foundation.exp(-margin[0]))
                    raw = [-margin[0], margin[0]]
                    probability = [1 - p1, p1]
                } else {
                    let top = margin.max() ?? 0
                    let exps = margin.map { Foundation.exp($0 - top) }
                    let sum = exps.reduce(0, +)
                    raw = margin
                    probability = exps.map { $0 / sum }
                }
                raws.append(raw.map(Double.init))
                probs.append(probability.map(Double.init))
                predictions.append(sparkPrediction(probability.map(Double.init), thresholds: nil))
            }
            try columns.putClassifier(&result, classes: classes, raw: raws, probability: probs, prediction: predictions)
        } catch let error as ConveyorError {
            throw error
        } catch {
            throw ConveyorError(.stageFailed, "XGBoost prediction failed: \(error)", stage: stage, cause: SendableDescription(error))
        }
        return result
    }
}
