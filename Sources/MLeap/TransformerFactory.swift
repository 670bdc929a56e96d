import ConveyorCore

/// Builds transformers for bundle nodes, refusing ops Conveyor does not run.
enum TransformerFactory {
    /// Every op Conveyor executes, as bundles name them.
    static let supportedOps: [String] = [
        "binarizer", "bucketizer", "decision_tree_regression", "gbt_regression", "imputer",
        "linear_regression", "max_abs_scaler", "min_max_scaler", "normalizer", "one_hot_encoder",
        "random_forest_regression", "reverse_string_indexer", "standard_scaler", "string_indexer",
        "vector_assembler",
    ]

    static func make(_ node: BundleNode, types: TypeEnvironment) throws -> any NodeTransformer {
        switch node.op {
        case "string_indexer": return try StringIndexer(node)
        case "reverse_string_indexer": return try ReverseStringIndexer(node)
        case "one_hot_encoder": return try OneHotEncoder(node)
        case "vector_assembler": return try VectorAssembler(node, types: types)
        case "standard_scaler": return try StandardScaler(node)
        case "min_max_scaler": return try MinMaxScaler(node)
        case "max_abs_scaler": return try MaxAbsScaler(node)
        case "imputer": return try Imputer(node)
        case "bucketizer": return try Bucketizer(node)
        case "binarizer": return try Binarizer(node, types: types)
        case "normalizer": return try Normalizer(node, types: types)
        case "linear_regression": return try LinearRegression(node)
        case "decision_tree_regression", "random_forest_regression", "gbt_regression":
            return try TreeEnsemble(node)
        default:
            throw ConveyorError(
                .unsupportedModel,
                "MLeap op '\(node.op)' (node '\(node.name)') is not supported; supported ops: "
                    + supportedOps.joined(separator: ", "))
        }
    }

    /// Builds every node in order, tracking column types so that vector
    /// widths are known before any data arrives.
    static func makeAll(_ nodes: [BundleNode], inputTypes: [String: ColumnType]) throws
        -> [any NodeTransformer]
    {
        var types = TypeEnvironment(types: inputTypes)
        var built: [any NodeTransformer] = []
        for node in nodes {
            let transformer = try make(node, types: types)
            types.add(transformer.outputs)
            built.append(transformer)
        }
        return built
    }
}
