import ConveyorCore

/// Spark's LinearRegressionModel: coefficients · features + intercept.
struct LinearRegression: NodeTransformer {
    let name: String
    let op = "linear_regression"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let coefficients: [Double]
    let intercept: Double

    init(_ node: BundleNode) throws {
        guard let features = node.input(port: "features") ?? node.inputNames.first,
              let prediction = node.output(port: "prediction") ?? node.outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (linear_regression) has no features/prediction")
        }
        coefficients = try node.attributes.doubles("coefficients")
        intercept = try node.attributes.double("intercept")
        name = node.name
        inputNames = [features]
        outputs = [ColumnSpec(prediction, .double)]
    }

    var inputType: ColumnType { .vector(coefficients.count) }

    var details: [Fact] { [Fact("features", "\(coefficients.count)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        let block = try Inputs.block(frame, inputNames[0], width: coefficients.count, stage: stage)
        var out = [Double](repeating: intercept, count: block.rowCount)
        let w = coefficients.count
        block.storage.withUnsafeBufferPointer { x in
            for row in 0..<out.count {
                var sum = 0.0
                for i in 0..<w { sum += x[row * w + i] * coefficients[i] }
                out[row] += sum
            }
        }
        try frame.put(.doubles(outputs[0].name, out))
    }
}
