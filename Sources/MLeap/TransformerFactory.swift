import ConveyorCore

/// Builds transformers for bundle nodes, refusing ops Conveyor does not run.
enum TransformerFactory {
    /// Every op Conveyor executes, as bundles name them.
    static let supportedOps: [String] = [
        "binarizer", "bucketizer", "chi_sq_selector", "dct", "decision_tree_classifier",
        "decision_tree_regression", "elementwise_product", "gbt_classifier", "gbt_regression", "imputer",
        "interaction", "linear_regression", "logistic_regression", "math_binary", "math_unary",
        "max_abs_scaler", "min_max_scaler", "multi_layer_perceptron_classifier", "naive_bayes", "normalizer",
        "one_hot_encoder", "one_vs_rest", "pca", "polynomial_expansion", "random_forest_classifier",
        "random_forest_regression", "reverse_string_indexer", "standard_scaler", "string_indexer",
        "vector_assembler", "vector_indexer", "vector_slicer",
        // parity-models: regressions and SVMs
        "aft_survival_regression", "generalized_linear_regression", "isotonic_regression",
        "support_vector_machine", "svm",
    ]

    /// The classifier ops, whose nodes share raw/probability/prediction outputs.
    static func classifierModel(_ node: BundleNode) throws -> any ClassifierModel {
        switch node.op {
        case "logistic_regression": return try LogisticRegression(node)
        case "decision_tree_classifier", "random_forest_classifier", "gbt_classifier": return try TreeClassifier(node)
        case "multi_layer_perceptron_classifier": return try MultiLayerPerceptron(node)
        case "naive_bayes": return try NaiveBayes(node)
        case "support_vector_machine", "svm": return try SupportVectorMachine(node)
        default: throw unsupported(node)
        }
    }

    static func unsupported(_ node: BundleNode) -> ConveyorError {
        ConveyorError(
            .unsupportedModel,
            "MLeap op '\(node.op)' (node '\(node.name)') is not supported; supported ops: "
                + (supportedOps + textOps).sorted().joined(separator: ", "))
    }

    static func make(_ node: BundleNode, types: TypeEnvironment) throws -> any NodeTransformer {
        switch node.op {
        case "string_indexer": return try StringIndexer(node)
        case "reverse_string_indexer": return try ReverseStringIndexer(node)
        case "one_hot_encoder": return try OneHotEncoder(node)
        case "vector_assembler": return try VectorAssembler(node, types: types)
        case "standard_scaler", "min_max_scaler", "max_abs_scaler": return try Scaler(node)
        case "imputer": return try Imputer(node)
        case "bucketizer": return try Bucketizer(node)
        case "binarizer": return try Binarizer(node, types: types)
        case "normalizer": return try Normalizer(node, types: types)
        case "linear_regression": return try LinearRegression(node)
        case "generalized_linear_regression": return try GeneralizedLinearRegression(node)
        case "aft_survival_regression": return try AFTSurvivalRegression(node)
        case "isotonic_regression": return try IsotonicRegression(node, types: types)
        case "decision_tree_regression", "random_forest_regression", "gbt_regression":
            return try TreeRegression(node)
        case "logistic_regression", "decision_tree_classifier", "random_forest_classifier", "gbt_classifier",
             "multi_layer_perceptron_classifier", "naive_bayes", "support_vector_machine", "svm":
            return try ClassifierNode(node, model: try classifierModel(node))
        case "one_vs_rest": return try OneVsRest(node)
        case "pca": return try PCA(node)
        case "vector_slicer", "chi_sq_selector": return try VectorSelect(node, types: types)
        case "vector_indexer": return try VectorIndexer(node)
        case "elementwise_product": return try ElementwiseProduct(node)
        case "dct": return try DCT(node, types: types)
        case "polynomial_expansion": return try PolynomialExpansion(node, types: types)
        case "interaction": return try Interaction(node)
        case "math_unary": return try MathUnary(node)
        case "math_binary": return try MathBinary(node)
        default:
            if let text = try makeText(node) { return text }
            throw unsupported(node)
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
            try MLeapLimits.checkOutputs(transformer)
            types.add(transformer.outputs)
            built.append(transformer)
        }
        return built
    }
}
