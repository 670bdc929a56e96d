import ConveyorCore
import Operators
import Parquet

/// A Spark regressor read into a kernel: GeneralizedLinearRegressionModel,
/// AFTSurvivalRegressionModel, IsotonicRegressionModel, FMRegressionModel
/// (and FMClassificationModel, read into a classifier).
struct RegressionModel: SparkTransformer {
    let metadata: SparkMetadata
    let features: String
    /// Nil when the features column may be a scalar (isotonic).
    let featuresType: ColumnType
    let specs: [ColumnSpec]
    let kernel: any Kernel
    let facts: [Fact]
    /// Spark's UDF fails on a null vector; isotonic's on a null double gives null.
    let refusesNullVectors: Bool

    var inputs: [ColumnSpec] { [ColumnSpec(features, featuresType)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { specs }

    var dataFacts: [Fact] { facts }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        if refusesNullVectors, let column = frame.column(features), column.type.isVector,
           let row = column.nulls?.firstIndex(of: true) {
            throw ConveyorError(.invalidInput, "the feature vector is null", stage: stage, row: frame.inputRow(row),
                                column: features)
        }
        return try kernel.transform(frame, stage: stage)
    }
}

extension RegressionModel {
    /// Spark leaves a column out when its name is empty or the param is unset.
    static func optionalColumn(_ metadata: SparkMetadata, _ param: String) -> String? {
        metadata.string(param).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `GeneralizedLinearRegressionModel`: `coefficients`, `intercept`;
    /// `family`, `link` (tweedie: `linkPower`, else 1 − `variancePower`),
    /// `linkPredictionCol`. An `offsetCol` is refused.
    static func generalizedLinear(_ dir: SparkStageDirectory) throws -> RegressionModel {
        let metadata = dir.metadata
        if let offset = optionalColumn(metadata, "offsetCol") {
            throw metadata.unsupported("offsetCol", "an offset column ('\(offset)') is not supported")
        }
        let row = try dir.singleRow()
        let coefficients = try SparkVector(row["coefficients"], what: dir.what("coefficients")).dense
        let familyName = (metadata.string("family") ?? "gaussian").lowercased()
        guard let family = GeneralizedLinearRegression.Family(rawValue: familyName) else {
            throw metadata.unsupported("family", "'\(familyName)' is not one of "
                + GeneralizedLinearRegression.Family.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let link: GeneralizedLinearRegression.Link
        if family == .tweedie {
            link = .tweedie(linkPower: metadata.double("linkPower") ?? 1 - (metadata.double("variancePower") ?? 0))
        } else if let name = metadata.string("link") {
            guard let named = GeneralizedLinearRegression.Link(name: name.lowercased()) else {
                throw metadata.unsupported("link", "'\(name)' is not one of "
                    + GeneralizedLinearRegression.Link.names.joined(separator: ", "))
            }
            link = named
        } else {
            link = family.canonicalLink
        }
        let columns = PredictionColumns(metadata)
        let prediction = columns.prediction.isEmpty ? nil : columns.prediction
        let linkPrediction = optionalColumn(metadata, "linkPredictionCol")
        let kernel = GeneralizedLinearRegression(
            features: columns.features, prediction: prediction, linkPrediction: linkPrediction, coefficients: coefficients,
            intercept: try metadata.require(row["intercept"]?.double, "intercept"), family: family, link: link)
        return RegressionModel(
            metadata: metadata, features: columns.features, featuresType: .vector(coefficients.count),
            specs: [prediction, linkPrediction].compactMap { $0 }.map { ColumnSpec($0, .double) }, kernel: kernel,
            facts: [Fact("features", "\(coefficients.count)"), Fact("family", family.rawValue),
                    Fact("link", link.description)],
            refusesNullVectors: true)
    }

    /// `AFTSurvivalRegressionModel`: `coefficients`, `intercept`, `scale`;
    /// `quantileProbabilities`, `quantilesCol`.
    static func aftSurvival(_ dir: SparkStageDirectory) throws -> RegressionModel {
        let metadata = dir.metadata
        let row = try dir.singleRow()
        let coefficients = try SparkVector(row["coefficients"], what: dir.what("coefficients")).dense
        let columns = PredictionColumns(metadata)
        let probabilities = metadata.doubles("quantileProbabilities") ?? AFTSurvivalRegression.defaultProbabilities
        let prediction = columns.prediction.isEmpty ? nil : columns.prediction
        let quantiles = optionalColumn(metadata, "quantilesCol")
        let kernel = AFTSurvivalRegression(
            features: columns.features, prediction: prediction, quantiles: quantiles, coefficients: coefficients,
            intercept: try metadata.require(row["intercept"]?.double, "intercept"),
            scale: try metadata.require(row["scale"]?.double, "scale"), probabilities: probabilities)
        var specs: [ColumnSpec] = []
        if let prediction { specs.append(ColumnSpec(prediction, .double)) }
        if let quantiles { specs.append(ColumnSpec(quantiles, .vector(probabilities.count))) }
        return RegressionModel(
            metadata: metadata, features: columns.features, featuresType: .vector(coefficients.count), specs: specs,
            kernel: kernel, facts: [Fact("features", "\(coefficients.count)"), Fact("scale", "\(kernel.scale)")],
            refusesNullVectors: true)
    }

    /// `IsotonicRegressionModel`: `boundaries`, `predictions`; `featureIndex`
    /// for a vector input.
    static func isotonic(_ dir: SparkStageDirectory) throws -> RegressionModel {
        let metadata = dir.metadata
        let row = try dir.singleRow()
        func doubles(_ name: String) throws -> [Double] {
            try (row[name]?.list ?? []).map { try metadata.require($0.double, name) }
        }
        let columns = PredictionColumns(metadata)
        let index = try metadata.int("featureIndex", in: 0...(1 << 24)) ?? 0
        guard let kernel = IsotonicRegression(
            feature: columns.features, prediction: columns.prediction, boundaries: try doubles("boundaries"),
            predictions: try doubles("predictions"), featureIndex: index) else {
            throw metadata.failure("boundaries must be sorted, non-empty and as many as predictions")
        }
        return RegressionModel(
            metadata: metadata, features: columns.features, featuresType: .vector(nil),
            specs: [ColumnSpec(columns.prediction, .double)], kernel: kernel,
            facts: [Fact("boundaries", "\(kernel.boundaries.count)"), Fact("featureIndex", "\(index)")],
            refusesNullVectors: true)
    }

    /// `FMRegressionModel` / `FMClassificationModel` data: `intercept`, `linear`, `factors`.
    static func factorizationMachine(_ dir: SparkStageDirectory) throws -> FactorizationMachine {
        let metadata = dir.metadata
        let row = try dir.singleRow()
        let linear = try SparkVector(row["linear"], what: dir.what("linear")).dense
        let factors = try SparkMatrix(row["factors"], what: dir.what("factors"))
        guard let model = FactorizationMachine(
            intercept: try metadata.require(row["intercept"]?.double, "intercept"), linear: linear,
            factors: factors.values, numFeatures: factors.rows, numFactors: factors.columns) else {
            throw metadata.failure("linear (\(linear.count)) and factors (\(factors.rows)x\(factors.columns)) do not fit")
        }
        return model
    }

    static func fmRegressor(_ dir: SparkStageDirectory) throws -> RegressionModel {
        let model = try factorizationMachine(dir)
        let columns = PredictionColumns(dir.metadata)
        return RegressionModel(
            metadata: dir.metadata, features: columns.features, featuresType: .vector(model.numFeatures),
            specs: columns.regressorSpecs(),
            kernel: ScoredRegressor(scorer: model, features: columns.features, prediction: columns.prediction),
            facts: [Fact("features", "\(model.numFeatures)"), Fact("factors", "\(model.numFactors)")],
            refusesNullVectors: true)
    }
}

extension ClassifierModel {
    /// `FMClassificationModel`: a binary classifier over the factorization machine.
    static func fmClassifier(_ dir: SparkStageDirectory) throws -> ClassifierModel {
        let model = try RegressionModel.factorizationMachine(dir)
        return try ClassifierModel(dir.metadata, scorer: model,
                                   facts: [Fact("factors", "\(model.numFactors)")])
    }
}
