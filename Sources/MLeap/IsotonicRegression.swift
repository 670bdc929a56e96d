import ConveyorCore

/// Spark's IsotonicRegressionModel: piecewise-linear interpolation between
/// `boundaries` and `predictions`, constant outside them. The lookup is
/// Java's `Arrays.binarySearch` step for step, so that repeated boundaries
/// pick the same point Spark picks. The input is a scalar column, or
/// element `feature_index` of a vector column.
struct IsotonicRegression: NodeTransformer {
    let name: String
    let op = "isotonic_regression"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let boundaries: [Double]
    let predictions: [Double]
    let isotonic: Bool
    let featureIndex: Int?
    let inputWidth: Int?

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let (features, prediction) = try node.featuresAndPrediction()
        boundaries = try node.attributes.doubles("boundaries")
        predictions = try node.attributes.doubles("predictions")
        isotonic = try node.attributes.bool("isotonic", default: true)
        guard !boundaries.isEmpty, boundaries.count == predictions.count,
              zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (\(node.op)): \(boundaries.count) boundaries (must be sorted) for "
                    + "\(predictions.count) predictions")
        }
        featureIndex = node.attributes["feature_index"]?.int
        let type = types.types[features]
        inputWidth = type?.isVector == true ? type?.vectorWidth : nil
        name = node.name
        inputNames = [features]
        outputs = [ColumnSpec(prediction, .double)]
    }

    var inputType: ColumnType { inputWidth.map { .vector($0) } ?? .double }

    var details: [Fact] {
        [Fact("boundaries", "\(boundaries.count)"), Fact("isotonic", "\(isotonic)")]
    }

    /// `java.util.Arrays.binarySearch(double[], double)`.
    static func javaBinarySearch(_ a: [Double], _ key: Double) -> Int {
        var low = 0
        var high = a.count - 1
        while low <= high {
            let mid = (low + high) >> 1
            let value = a[mid]
            if value < key {
                low = mid + 1
            } else if value > key {
                high = mid - 1
            } else {
                // Java compares bit patterns on equality (−0.0 < 0.0; NaN equals NaN).
                let valueBits = value.isNaN ? Double.nan.bitPattern : value.bitPattern
                let keyBits = key.isNaN ? Double.nan.bitPattern : key.bitPattern
                if valueBits == keyBits { return mid }
                if Int64(bitPattern: valueBits) < Int64(bitPattern: keyBits) { low = mid + 1 } else { high = mid - 1 }
            }
        }
        return -(low + 1)
    }

    func predict(_ x: Double) -> Double {
        let found = Self.javaBinarySearch(boundaries, x)
        let insert = -found - 1
        if insert == 0 { return predictions[0] }
        if insert == boundaries.count { return predictions[predictions.count - 1] }
        if found >= 0 { return predictions[found] }
        let (x1, y1, x2, y2) = (boundaries[insert - 1], predictions[insert - 1], boundaries[insert], predictions[insert])
        return y1 + (y2 - y1) * (x - x1) / (x2 - x1)
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let column = try frame.require(inputNames[0], stage: stage)
        let values: [Double]
        if column.type.isVector {
            let block = try column.vectorBlock(stage: stage)
            let index = featureIndex ?? 0
            guard index < block.width else {
                throw ConveyorError(
                    .invalidInput, "feature_index \(index) is outside a vector of width \(block.width)",
                    stage: stage, column: inputNames[0])
            }
            values = (0..<block.rowCount).map { block.row($0)[block.row($0).startIndex + index] }
        } else {
            values = try column.scalarDoubles(stage: stage)
        }
        try frame.put(.doubles(outputs[0].name, values.map(predict)))
    }
}
