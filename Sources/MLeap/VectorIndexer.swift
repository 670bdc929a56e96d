import ConveyorCore
import Operators

/// Spark's VectorIndexerModel: each categorical feature (`keys`) maps its
/// value to a category index through `key_<k>_keys` → `key_<k>_values`;
/// the other features pass through. A value outside a feature's map (NaN
/// included, as in Scala's map lookup) follows `handle_invalid`: error,
/// keep (index = the map's size) or skip (the row is dropped). MLeap 0.8
/// writes no `handle_invalid`: Spark's default, error.
struct VectorIndexer: NodeTransformer {
    struct Feature: Sendable {
        let index: Int
        let categories: [Double: Double]
    }

    let name: String
    let op = "vector_indexer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let width: Int
    let features: [Feature]
    let handleInvalid: HandleInvalid

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        let attrs = node.attributes
        let width = try attrs.size("num_features")
        // Spark writes an empty list as `{"type": "list"}`, with no values at all.
        let nodeName = node.name
        let keys = try (attrs["keys"]?.doubles ?? []).map { number in
            guard let key = Int(exactly: number) else {
                throw ConveyorError(.modelCorrupt, "MLeap node '\(nodeName)' (vector_indexer): key \(number) is not an integer")
            }
            return key
        }
        features = try keys.map { key in
            let values = try attrs.doubles("key_\(key)_keys")
            let indices = try attrs.doubles("key_\(key)_values")
            guard key >= 0, key < width, values.count == indices.count else {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(nodeName)' (vector_indexer): feature \(key) has \(values.count) values and "
                        + "\(indices.count) indices for a vector of width \(width)")
            }
            return Feature(index: key, categories: Dictionary(zip(values, indices), uniquingKeysWith: { first, _ in first }))
        }
        handleInvalid = try attrs.handleInvalid()
        self.width = width
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(width))]
    }

    var inputType: ColumnType { .vector(width) }
    var details: [Fact] {
        [Fact("width", "\(width)"),
         Fact("categorical", features.map { "\($0.index) (\($0.categories.count))" }.joined(separator: ", ")),
         Fact("handle_invalid", handleInvalid.rawValue)]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        var block = try Inputs.block(frame, inputNames[0], width: width, stage: stage)
        var keep: [Bool]?
        for row in 0..<block.rowCount {
            for feature in features {
                let value = block[row, feature.index]
                if let category = feature.categories[value] {
                    block[row, feature.index] = category
                    continue
                }
                switch handleInvalid {
                case .keep: block[row, feature.index] = Double(feature.categories.count)
                case .skip:
                    if keep == nil { keep = [Bool](repeating: true, count: frame.rowCount) }
                    keep?[row] = false
                case .error:
                    throw invalid(
                        "value \(value) of feature \(feature.index) is not one of its \(feature.categories.count) "
                            + "categories (handle_invalid=error)", frame, row: row, column: inputNames[0], stage: stage)
                }
            }
        }
        try frame.put(.vectors(outputs[0].name, block))
        if let keep { frame = frame.filtered(keeping: keep) }
    }
}
