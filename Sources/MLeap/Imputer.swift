import ConveyorCore
import Operators

/// Reads an imputer node (`surrogate_value` or `surrogate_values`,
/// `missing_value`, `strategy`) into the Imputer kernel. MLeap's runtime
/// treats NaN as missing whatever `missing_value` is.
struct Imputer: NodeTransformer {
    let name: String
    let op = "imputer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.Imputer
    let strategy: String

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        let surrogates = attrs.has("surrogate_values")
            ? try attrs.doubles("surrogate_values") : [try attrs.double("surrogate_value")]
        // Spark's default missing value is NaN; MLeap writes NaN as null.
        let missingValue = attrs.has("missing_value") ? try attrs.double("missing_value") : .nan
        strategy = (try? attrs.string("strategy")) ?? "mean"
        guard node.inputs.count == surrogates.count, node.outputs.count == surrogates.count else {
            throw ConveyorError(
                .modelCorrupt, "MLeap node '\(node.name)' (imputer): \(surrogates.count) surrogates for \(node.inputs.count) inputs")
        }
        name = node.name
        inputNames = node.inputNames
        outputs = node.outputNames.map { ColumnSpec($0, .double) }
        kernel = Operators.Imputer(inputs: node.inputNames, outputs: node.outputNames, surrogates: surrogates,
                                   missingValue: missingValue, nanIsMissing: true)
    }

    var details: [Fact] {
        [Fact("strategy", strategy), Fact("missing value", "\(kernel.missingValue)")]
            + zip(inputNames, kernel.surrogates).map { Fact("surrogate", "\($0.1) for '\($0.0)'") }
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
