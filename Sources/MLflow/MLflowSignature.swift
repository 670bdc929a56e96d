import ConveyorCore
import Foundation

/// An MLmodel `signature`: its `inputs` and `outputs` are JSON strings
/// inside the YAML, each a list of column specs or tensor specs.
public struct MLflowSignature: Sendable, Equatable {
    public var inputs: [MLflowColumn]
    public var outputs: [MLflowColumn]

    /// The input columns as a stage declares them: unnamed specs get
    /// `input` (one) or `input_1`… (several).
    public var inputSpecs: [ColumnSpec] {
        inputs.enumerated().map { index, column in
            ColumnSpec(column.name ?? (inputs.count == 1 ? "input" : "input_\(index + 1)"), column.type)
        }
    }

    init(inputs: String, outputs: String) throws {
        self.inputs = try Self.parse(inputs, side: "inputs")
        self.outputs = try Self.parse(outputs, side: "outputs")
        guard !self.inputs.isEmpty else { throw ConveyorError(.modelCorrupt, "the signature has no inputs") }
        guard !self.outputs.isEmpty else { throw ConveyorError(.modelCorrupt, "the signature has no outputs") }
        let names = inputSpecs.map(\.name)
        guard Set(names).count == names.count else {
            throw ConveyorError(.modelCorrupt, "the signature names an input column twice")
        }
        let tensors = self.inputs.filter { $0.mlflowType.hasPrefix("tensor") }
        guard tensors.isEmpty || tensors.count == self.inputs.count else {
            throw ConveyorError(.unsupportedModel, "the signature mixes column specs and tensor specs in its inputs")
        }
    }

    private static func parse(_ text: String, side: String) throws -> [MLflowColumn] {
        let parsed = try BoundedJSON.parse(Data(text.utf8), what: "the signature's \(side)")
        guard let list = parsed as? [Any] else {
            throw ConveyorError(.modelCorrupt, "the signature's \(side) is not a JSON list of column specs")
        }
        guard list.count <= MLflowLimits.maxColumns else {
            throw ConveyorError(.unsupportedModel, "the signature's \(side) has \(list.count) columns; the limit is \(MLflowLimits.maxColumns)")
        }
        return try list.enumerated().map { try MLflowColumn(spec: $1, index: $0, side: side) }
    }
}
