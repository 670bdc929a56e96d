import ConveyorCore
import Foundation

/// Spark's Normalizer: divides each vector by its p-norm (p = ∞: max |x|);
/// a zero vector stays zero.
struct Normalizer: NodeTransformer {
    let name: String
    let op = "normalizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let p: Double
    let width: Int?

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        p = try node.attributes.double("p_norm")
        guard p >= 1 else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (normalizer): p_norm \(p) is below 1")
        }
        width = try types.width(of: io.input) ?? node.attributes.optionalSize("input_size")
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(width))]
    }

    var inputType: ColumnType { .vector(width) }

    var details: [Fact] { [Fact("p", "\(p)"), Fact("width", width.map(String.init) ?? "?")] }

    func apply(to frame: inout Frame, stage: String) throws {
        var block = try Inputs.block(frame, inputNames[0], width: width, stage: stage)
        let w = block.width
        for row in 0..<block.rowCount {
            let range = (row * w)..<((row + 1) * w)
            var norm = 0.0
            if p == .infinity {
                for i in range { norm = max(norm, abs(block.storage[i])) }
            } else if p == 1 {
                for i in range { norm += abs(block.storage[i]) }
            } else if p == 2 {
                for i in range { norm += block.storage[i] * block.storage[i] }
                norm = norm.squareRoot()
            } else {
                for i in range { norm += pow(abs(block.storage[i]), p) }
                norm = pow(norm, 1 / p)
            }
            if norm != 0 { for i in range { block.storage[i] /= norm } }
        }
        try frame.put(.vectors(outputs[0].name, block))
    }
}
