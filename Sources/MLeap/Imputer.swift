import ConveyorCore

/// Spark's ImputerModel: a missing value — null, NaN, or `missing_value` —
/// becomes the surrogate computed at training (mean, median or mode).
struct Imputer: NodeTransformer {
    let name: String
    let op = "imputer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let surrogates: [Double]
    let missingValue: Double
    let strategy: String

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        surrogates = attrs.has("surrogate_values")
            ? try attrs.doubles("surrogate_values") : [try attrs.double("surrogate_value")]
        // Spark's default missing value is NaN; MLeap writes NaN as null.
        missingValue = attrs.has("missing_value") ? try attrs.double("missing_value") : .nan
        strategy = (try? attrs.string("strategy")) ?? "mean"
        guard node.inputs.count == surrogates.count, node.outputs.count == surrogates.count else {
            throw ConveyorError(
                .modelCorrupt, "MLeap node '\(node.name)' (imputer): \(surrogates.count) surrogates for \(node.inputs.count) inputs")
        }
        name = node.name
        inputNames = node.inputNames
        outputs = node.outputNames.map { ColumnSpec($0, .double) }
    }

    var details: [Fact] {
        [Fact("strategy", strategy), Fact("missing value", "\(missingValue)")]
            + zip(inputNames, surrogates).map { Fact("surrogate", "\($0.1) for '\($0.0)'") }
    }

    func apply(to frame: inout Frame, stage: String) throws {
        for (index, input) in inputNames.enumerated() {
            var values = try Inputs.doubles(frame, input, stage: stage)
            let surrogate = surrogates[index]
            for row in 0..<values.count where values[row].isNaN || values[row] == missingValue {
                values[row] = surrogate
            }
            try frame.put(.doubles(outputs[index].name, values))
        }
    }
}
