import ConveyorCore

/// Spark's Binarizer: 1 where the value is above the threshold, else 0;
/// works on a scalar or element-wise on a vector.
struct Binarizer: NodeTransformer {
    let name: String
    let op = "binarizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let threshold: Double

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        threshold = try node.attributes.double("threshold")
        name = node.name
        inputNames = [io.input]
        let shape = node.attributes["input_shape"]?.raw["data_shape"]
        let inputType = types.types[io.input]
        if let inputType, inputType.isVector {
            outputs = [ColumnSpec(io.output, inputType)]
        } else if shape?["base"]?.string == "tensor" {
            let width = shape?["tensorShape"]?["dimensions"]?.array?.first?["size"]?.double.flatMap { Int(exactly: $0) }
                .map { Swift.min(Swift.max($0, -1), MLeapLimits.maxWidth + 1) }
            outputs = [ColumnSpec(io.output, .vector(width))]
        } else {
            outputs = [ColumnSpec(io.output, .double)]
        }
    }

    var details: [Fact] { [Fact("threshold", "\(threshold)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        let column = try frame.require(inputNames[0], stage: stage)
        if case .vector(var block) = column.values {
            for i in 0..<block.storage.count { block.storage[i] = block.storage[i] > threshold ? 1 : 0 }
            try frame.put(.vectors(outputs[0].name, block))
        } else {
            let values = try column.scalarDoubles(stage: stage)
            try frame.put(.doubles(outputs[0].name, values.map { $0 > threshold ? 1 : 0 }))
        }
    }
}
