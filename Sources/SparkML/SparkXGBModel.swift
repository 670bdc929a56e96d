import ConveyorCore
import Foundation
import Operators
import XGBoost

/// xgboost.spark's `SparkXGBClassifierModel` / `SparkXGBRegressorModel`:
/// the booster is saved as JSON text under `model/` (saveAsTextFile chunks).
/// Features are passed dense, as xgboost.spark does: zeros are values and
/// only NaN — or the model's own `missing` value — is missing.
struct SparkXGBModel: SparkTransformer {
    let metadata: SparkMetadata
    private(set) var columns: PredictionColumns
    /// The features and output columns, hashed once.
    let names: (features: Frame.Name, rawPrediction: Frame.Name, probability: Frame.Name, prediction: Frame.Name)
    let classifier: Bool
    let booster: Booster
    let missing: Double

    init(_ dir: SparkStageDirectory, classifier: Bool) throws {
        metadata = dir.metadata
        self.classifier = classifier
        columns = PredictionColumns(metadata)
        names = (Frame.Name(columns.features), Frame.Name(columns.rawPrediction), Frame.Name(columns.probability),
                 Frame.Name(columns.prediction))
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

    /// Without the outputs nothing reads: the default pipeline's classifier
    /// then builds no rawPrediction column for a stage that drops it.
    func writing(only needed: Set<String>) -> (any SparkTransformer)? {
        var narrowed = self
        narrowed.columns = columns.keeping(needed)
        return narrowed.columns == columns ? nil : narrowed
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
    /// for missing (and for every value of a null row); which rows are null
    /// (nil: none, as in most requests, without an array of falses).
    func featureMatrix(_ frame: Frame, stage: String) throws -> (values: [Float], nulls: [Bool]?, rows: Int) {
        let column = try frame.require(names.features, stage: stage)
        let block = try column.vectorBlock(stage: stage)
        let rows = block.rowCount
        guard block.width == width || rows == 0 else {
            throw ConveyorError(.invalidInput, "expected feature vectors of \(width) values, got \(block.width)",
                                stage: stage, column: columns.features)
        }
        let nulls = column.nulls
        let matrix = block.float32Matrix(nullRows: nulls, missing: missing)
        return (matrix, nulls, rows)
    }

    /// Flat over all rows (no array per row): the margins become Spark's
    /// rawPrediction, probability and prediction as xgboost.spark computes
    /// them, in float32; null feature rows give null outputs.
    func transform(_ frame: consuming Frame, stage: String) throws -> Frame {
        let (matrix, nulls, rows) = try featureMatrix(frame, stage: stage)
        var result = consume frame
        do {
            if !classifier {
                let prediction = try booster.predict(matrix, rows: rows, output: .value)
                guard !columns.prediction.isEmpty else { return result }
                let values = (0..<rows).map { nulls?[$0] == true ? Double.nan : Double(prediction.row($0).first ?? .nan) }
                try result.put(Column(name: columns.prediction, type: .double, values: .double(values), nulls: nulls),
                               as: names.prediction)
                return result
            }
            let margins = try booster.predict(matrix, rows: rows, output: .margin)
            let (raw, probability, prediction) = classify(margins, rows: rows, nulls: nulls)
            let classes = self.classes
            func vectors(_ name: String, _ storage: [Double]) -> Column {
                Column(name: name, type: .vector(classes),
                       values: .vector(VectorBlock(width: classes, storage: storage, rows: rows)), nulls: nulls)
            }
            if !columns.rawPrediction.isEmpty { try result.put(vectors(columns.rawPrediction, raw), as: names.rawPrediction) }
            if !columns.prediction.isEmpty {
                try result.put(Column(name: columns.prediction, type: .double, values: .double(prediction), nulls: nulls),
                               as: names.prediction)
            }
            if !columns.probability.isEmpty { try result.put(vectors(columns.probability, probability), as: names.probability) }
        } catch let error as ConveyorError {
            throw error
        } catch {
            throw ConveyorError(.stageFailed, "XGBoost prediction failed: \(error)", stage: stage, cause: SendableDescription(error))
        }
        return result
    }

    /// As xgboost.spark's transform_margin: one margin m gives raw [-m, m]
    /// and probability [1 - p, p] with p the float32 expit; several give
    /// the margins and their float32 softmax. The prediction is the first
    /// largest probability. Null rows are NaN throughout.
    private func classify(_ margins: Prediction, rows: Int, nulls: [Bool]?)
        -> (raw: [Double], probability: [Double], prediction: [Double])
    {
        let classes = self.classes
        let groups = margins.groups
        var raw = [Double](filled: .nan, count: rows * classes)
        var probability = [Double](filled: .nan, count: rows * classes)
        var prediction = [Double](filled: .nan, count: rows)
        // Through buffers: a row's margins as an ArraySlice retained and
        // released the margins once per row, and each store checked that
        // its array was unique.
        margins.values.withUnsafeBufferPointer { margins in
            raw.withUnsafeMutableBufferPointer { raw in
                probability.withUnsafeMutableBufferPointer { probability in
                    prediction.withUnsafeMutableBufferPointer { prediction in
                        // The softmax's scratch on the stack: an array per call was one more allocation.
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(groups, 1)) { exps in
                            for row in 0..<rows where nulls?[row] != true {
                                let margin = UnsafeBufferPointer(rebasing: margins[(row * groups)..<((row + 1) * groups)])
                                let slots = (row * classes)..<((row + 1) * classes)
                                let scores = UnsafeMutableBufferPointer(rebasing: probability[slots])
                                Self.classify(margin, raw: UnsafeMutableBufferPointer(rebasing: raw[slots]), probability: scores,
                                              exps: exps)
                                prediction[row] = Double(Classification.argmax(UnsafeBufferPointer(scores)))
                            }
                        }
                    }
                }
            }
        }
        return (raw, probability, prediction)
    }

    /// One row: its margins (one, or one per class) to raw scores and
    /// probabilities (one per class) at `raw` and `probability`.
    @inline(__always)
    private static func classify(_ margin: UnsafeBufferPointer<Float>, raw: UnsafeMutableBufferPointer<Double>,
                                 probability: UnsafeMutableBufferPointer<Double>, exps: UnsafeMutableBufferPointer<Float>) {
        if margin.count == 1 {
            let m = margin[0]
            let p1 = 1 / (1 + Foundation.exp(-m))
            raw[0] = Double(-m)
            raw[1] = Double(m)
            probability[0] = Double(1 - p1)
            probability[1] = Double(p1)
            return
        }
        // The same operations in the same order as `max()`, `map` and `reduce(0, +)`.
        var top = margin[0]
        for value in margin where top < value { top = value }
        var sum: Float = 0
        for offset in margin.indices {
            exps[offset] = Foundation.exp(margin[offset] - top)
            sum += exps[offset]
        }
        for offset in margin.indices {
            raw[offset] = Double(margin[offset])
            probability[offset] = Double(exps[offset] / sum)
        }
    }
}
