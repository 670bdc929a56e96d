import ConveyorCore

/// Spark's IDFModel: multiplies each vector element by its inverse document
/// frequency. Zeros stay zero (Spark multiplies only a sparse vector's
/// stored values).
struct IDF: NodeTransformer {
    let name: String
    let op = "idf"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let idf: [Double]

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        idf = try node.attributes.doubles("idf")
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(idf.count))]
    }

    var inputType: ColumnType { .vector(idf.count) }

    var details: [Fact] { [Fact("width", "\(idf.count)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        let column = try frame.require(inputNames[0], stage: stage)
        var block = try Inputs.block(frame, inputNames[0], width: idf.count, stage: stage)
        let width = idf.count
        for row in 0..<block.rowCount {
            let base = row * width
            for i in 0..<width where block.storage[base + i] != 0 { block.storage[base + i] *= idf[i] }
        }
        try frame.put(Column(name: outputs[0].name, type: outputs[0].type, values: .vector(block), nulls: column.nulls))
    }
}
