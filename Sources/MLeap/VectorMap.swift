import ConveyorCore

/// A node that maps one vector column to another of the same width,
/// element by element (the scalers).
protocol VectorMap: NodeTransformer {
    var width: Int { get }
    /// Maps one row in place.
    func map(_ row: inout ArraySlice<Double>)
}

extension VectorMap {
    var details: [Fact] { [Fact("width", "\(width)")] }
    var inputType: ColumnType { .vector(width) }

    func apply(to frame: inout Frame, stage: String) throws {
        var block = try Inputs.block(frame, inputNames[0], width: width, stage: stage)
        for row in 0..<block.rowCount {
            let range = (row * width)..<((row + 1) * width)
            map(&block.storage[range])
        }
        try frame.put(.vectors(outputs[0].name, block))
    }
}

extension BundleNode {
    /// The single input and output of a one-to-one node.
    func singleIO() throws -> (input: String, output: String) {
        guard let input = inputNames.first, let output = outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(name)' (\(op)) has no input or output")
        }
        return (input, output)
    }
}

/// Spark's StandardScalerModel: (x − mean) · (1 / std); either part is
/// absent when with_mean / with_std was false. A zero std scales to 0.
struct StandardScaler: VectorMap {
    let name: String
    let op = "standard_scaler"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let width: Int
    let mean: [Double]?
    let inverseStd: [Double]?

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        let attrs = node.attributes
        mean = attrs.has("mean") ? try attrs.doubles("mean") : nil
        let std = attrs.has("std") ? try attrs.doubles("std") : nil
        inverseStd = std?.map { $0 != 0 ? 1 / $0 : 0 }
        let sameWidth = mean.map { m in std.map { $0.count == m.count } ?? true } ?? true
        guard let count = mean?.count ?? std?.count, sameWidth else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (standard_scaler) needs mean and/or std of one width")
        }
        name = node.name
        width = count
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(count))]
    }

    func map(_ row: inout ArraySlice<Double>) {
        let base = row.startIndex
        for i in 0..<width {
            var x = row[base + i]
            if let mean { x -= mean[i] }
            if let inverseStd { x *= inverseStd[i] }
            row[base + i] = x
        }
    }
}

/// Spark's MinMaxScalerModel: rescales each feature from the training
/// [min, max] to [min_value, max_value] (default [0, 1]); a constant
/// feature maps to the middle. NaN stays NaN.
struct MinMaxScaler: VectorMap {
    let name: String
    let op = "min_max_scaler"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let width: Int
    let originalMin: [Double]
    let range: [Double]
    let targetMin: Double
    let targetRange: Double

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        let attrs = node.attributes
        originalMin = try attrs.doubles("min")
        let originalMax = try attrs.doubles("max")
        guard originalMin.count == originalMax.count else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (min_max_scaler): min and max differ in width")
        }
        range = zip(originalMax, originalMin).map { $0 - $1 }
        targetMin = attrs.has("min_value") ? try attrs.double("min_value") : 0
        targetRange = (attrs.has("max_value") ? try attrs.double("max_value") : 1) - targetMin
        name = node.name
        width = originalMin.count
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(width))]
    }

    func map(_ row: inout ArraySlice<Double>) {
        let base = row.startIndex
        for i in 0..<width where !row[base + i].isNaN {
            let raw = range[i] != 0 ? (row[base + i] - originalMin[i]) / range[i] : 0.5
            row[base + i] = raw * targetRange + targetMin
        }
    }
}

/// Spark's MaxAbsScalerModel: x / max|x|, leaving features whose max is 0.
struct MaxAbsScaler: VectorMap {
    let name: String
    let op = "max_abs_scaler"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let width: Int
    let scale: [Double]

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        let maxAbs = try node.attributes.doubles("maxAbs")
        scale = maxAbs.map { $0 != 0 ? 1 / $0 : 1 }
        name = node.name
        width = maxAbs.count
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(width))]
    }

    func map(_ row: inout ArraySlice<Double>) {
        let base = row.startIndex
        for i in 0..<width { row[base + i] *= scale[i] }
    }
}
