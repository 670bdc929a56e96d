import ConveyorCore
import Operators
import Parquet

/// Reads a saved `LogisticRegressionModel` (binomial and multinomial; Spark
/// 2.1+'s coefficientMatrix layout, and Spark 2.0's binomial `coefficients`
/// vector and `intercept`) into the LogisticRegression kernel.
struct LogisticRegressionModel: SparkTransformer {
    let metadata: SparkMetadata
    let columns: PredictionColumns
    let kernel: LogisticRegression

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        columns = PredictionColumns(metadata)
        let row = try dir.singleRow()
        guard let numClasses = row["numClasses"]?.int, let numFeatures = row["numFeatures"]?.int,
              numClasses >= 2, numClasses < 1 << 16, numFeatures >= 0 else {
            throw metadata.failure("data lacks numClasses/numFeatures (Spark 1.x layout is not supported)")
        }
        let classes = Int(numClasses)
        let width = Int(numFeatures)
        let coefficients: (rows: Int, columns: Int, values: [Double])
        let intercepts: [Double]
        if row["coefficientMatrix"] == nil, let vector = row["coefficients"], let intercept = row["intercept"]?.double {
            // Spark 2.0 (LogisticRegressionModelReader, version 2.0): binomial only, one row of coefficients.
            let values = try SparkVector(vector, what: dir.what("coefficients")).dense
            coefficients = (rows: 1, columns: values.count, values: values)
            intercepts = [intercept]
        } else {
            let matrix = try SparkMatrix(row["coefficientMatrix"], what: dir.what("coefficientMatrix"))
            coefficients = (rows: matrix.rows, columns: matrix.columns, values: matrix.values)
            intercepts = try SparkVector(row["interceptVector"], what: dir.what("interceptVector")).dense
        }
        let multinomial = row["isMultinomial"]?.bool ?? (classes > 2)
        let thresholds = metadata.isSet("thresholds") ? metadata.doubles("thresholds") : nil
        guard coefficients.columns == width, let kernel = LogisticRegression(
            columns: .init(features: columns.features, rawPrediction: Self.named(columns.rawPrediction),
                           probability: Self.named(columns.probability), prediction: Self.named(columns.prediction)),
            numClasses: classes, numFeatures: width, weights: coefficients.values, intercepts: intercepts,
            multinomial: multinomial, threshold: metadata.double("threshold") ?? 0.5, thresholds: thresholds)
        else {
            throw metadata.failure("coefficient matrix \(coefficients.rows)x\(coefficients.columns), \(intercepts.count) "
                + "intercepts and \(thresholds?.count ?? 0) thresholds do not fit \(classes) classes and \(width) features")
        }
        self.kernel = kernel
    }

    /// Spark leaves a column out when its name is empty.
    static func named(_ column: String) -> String? { column.isEmpty ? nil : column }

    var inputs: [ColumnSpec] { [ColumnSpec(columns.features, .vector(kernel.numFeatures))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { columns.classifierSpecs(classes: kernel.numClasses) }

    var dataFacts: [Fact] {
        [Fact("classes", "\(kernel.numClasses)"), Fact("features", "\(kernel.numFeatures)"),
         Fact("multinomial", "\(kernel.multinomial)")]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
}

/// Reads a saved `LinearRegressionModel` into the LinearRegression kernel.
struct LinearRegressionModel: SparkTransformer {
    let metadata: SparkMetadata
    let columns: PredictionColumns
    let kernel: LinearRegression

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        columns = PredictionColumns(metadata)
        let row = try dir.singleRow()
        kernel = LinearRegression(
            features: columns.features, prediction: columns.prediction,
            coefficients: try SparkVector(row["coefficients"], what: dir.what("coefficients")).dense,
            intercept: try metadata.require(row["intercept"]?.double, "intercept"))
    }

    var inputs: [ColumnSpec] { [ColumnSpec(columns.features, .vector(kernel.coefficients.count))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { columns.regressorSpecs() }

    var dataFacts: [Fact] { [Fact("features", "\(kernel.coefficients.count)"), Fact("intercept", "\(kernel.intercept)")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        // An empty predictionCol: Spark adds nothing.
        columns.prediction.isEmpty ? frame : try kernel.transform(frame, stage: stage)
    }
}
