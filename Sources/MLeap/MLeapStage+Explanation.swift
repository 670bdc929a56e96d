import ConveyorCore
import Operators

/// The model of an MLeap node Conveyor explains: a logistic or linear
/// regression (method `linear`, `LinearAttribution`), or a tree model
/// (TreeSHAP; the classifiers' splits weighed by their leaves' class counts,
/// the regression trees refused: MLeap keeps no counts for them).
enum NodeModel {
    case logistic(Operators.LogisticRegression)
    case linear(Operators.LinearRegression)
    case trees(Operators.TreeModel)

    init?(_ transformer: any NodeTransformer) {
        if let node = transformer as? ClassifierNode, let kernel = node.kernel as? Operators.LogisticRegression {
            self = .logistic(kernel)
        } else if let node = transformer as? ClassifierNode, let kernel = node.kernel as? Operators.TreeModel {
            self = .trees(kernel)
        } else if let node = transformer as? LinearRegression {
            self = .linear(node.kernel)
        } else if let node = transformer as? TreeRegression {
            self = .trees(node.kernel)
        } else {
            return nil
        }
    }

    /// The column of class indices a reverse string indexer may name.
    var predictionColumn: String? {
        switch self {
        case .logistic(let kernel): return kernel.columns.prediction
        case .trees(let kernel): return kernel.isClassifier ? kernel.columns.prediction : nil
        case .linear: return nil
        }
    }
}

extension MLeapStage: ExplainableStage {
    /// Runs the nodes up to the first model it explains, recording where each
    /// column comes from, then attributes the model's margins to this
    /// stage's input columns. Every node before the model must trace; the
    /// first that cannot is named.
    public func explain(_ frame: Frame, lineage start: Lineage) throws -> Explanation {
        guard let modelIndex, let model = NodeModel(transformers[modelIndex]) else { throw Self.noModel(stage: name) }
        var frame = frame
        var lineage = start
        for transformer in transformers[..<modelIndex] { try traceNode(transformer, &frame, &lineage) }
        let labels = model.predictionColumn.flatMap { column in
            transformers[(modelIndex + 1)...].lazy.compactMap(\.classNamer).first { $0.input == column }?.labels
        }
        do {
            switch model {
            case .logistic(let kernel):
                return try kernel.explanation(frame, lineage: lineage, labels: labels, stage: name)
            case .linear(let kernel):
                return try kernel.explanation(frame, lineage: lineage, stage: name)
            case .trees(let kernel):
                return try kernel.explanation(frame, lineage: lineage, labels: labels,
                                              prediction: kernel.columns.prediction ?? "", stage: name)
            }
        } catch let error as ConveyorError {
            throw error.inStage(name)
        }
    }

    static func noModel(stage: String) -> ConveyorError {
        ConveyorError(.notExplainable, "cannot explain: the MLeap bundle holds no model Conveyor explains "
            + "(logistic and linear regressions, tree models)", stage: stage)
    }

    /// Whether a node holds a model it explains; a bundle of feature nodes
    /// only (before an `xgboost` stage) is traced instead.
    public var explainsModel: Bool { modelIndex != nil }
}
