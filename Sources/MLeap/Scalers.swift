import ConveyorCore
import Operators

/// Reads standard_scaler (`mean` and/or `std`), min_max_scaler (`min`,
/// `max`, optional `min_value`/`max_value`) and max_abs_scaler (`maxAbs`)
/// nodes into the VectorScaler kernel.
struct Scaler: NodeTransformer {
    let name: String
    let op: String
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: VectorScaler

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        let attrs = node.attributes
        let scaling: VectorScaler.Scaling
        switch node.op {
        case "standard_scaler":
            let mean = attrs.has("mean") ? try attrs.doubles("mean") : nil
            let std = attrs.has("std") ? try attrs.doubles("std") : nil
            scaling = .standard(mean: mean, std: std)
        case "min_max_scaler":
            scaling = .minMax(
                originalMin: try attrs.doubles("min"), originalMax: try attrs.doubles("max"),
                low: attrs.has("min_value") ? try attrs.double("min_value") : 0,
                high: attrs.has("max_value") ? try attrs.double("max_value") : 1)
        default:
            scaling = .maxAbs(try attrs.doubles("maxAbs"))
        }
        guard let kernel = VectorScaler(input: io.input, output: io.output, scaling: scaling) else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)): its statistics differ in width")
        }
        name = node.name
        op = node.op
        self.kernel = kernel
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(kernel.width))]
    }

    var details: [Fact] { [Fact("width", "\(kernel.width)")] }
    var inputType: ColumnType { .vector(kernel.width) }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
