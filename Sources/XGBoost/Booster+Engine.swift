import CXGBoost
import TreeEngine

extension Booster {
    /// Which predictor a booster uses.
    public enum Engine: String, Sendable, CaseIterable {
        /// Conveyor's tree engine, bit-identical to libxgboost, where it
        /// supports the model; libxgboost otherwise.
        case native
        /// libxgboost for every prediction.
        case libxgboost
    }

    /// The native engine, unless the options say libxgboost or the engine
    /// cannot run the model. A model with tree weights (DART) must run on the
    /// engine: libxgboost 1.7.4 ignores 3.x files' weights and is off in the
    /// last bits on 1.x/2.x files.
    static func chooseEngine(_ handle: BoosterHandle, facts: ModelFacts, options: Options,
                             treeWeights: [Float]?) throws(XGBoostError) -> (TreeEnsemble<Float>?, String) {
        func dart(_ why: String) -> XGBoostError {
            XGBoostError(.unsupportedModel,
                         "DART model (per-tree weight_drop): \(why); "
                             + "libxgboost 1.7.4 does not reproduce DART predictions (3.x files: it ignores the "
                             + "tree weights; 1.x/2.x files: off in the last bits)")
        }
        if let treeWeights {
            guard treeWeights.count == facts.trees else {
                throw dart("weight_drop has \(treeWeights.count) readable weights for \(facts.trees) trees")
            }
            guard treeWeights.allSatisfy(\.isFinite) else { throw dart("weight_drop holds a weight that is not finite") }
        }
        switch options.engine {
        case .libxgboost:
            if treeWeights != nil { throw dart("only the native engine predicts it, and libxgboost was chosen") }
            return (nil, "libxgboost (chosen)")
        case .native:
            do {
                return (try compileEngine(handle, facts: facts, treeWeights: treeWeights), "native")
            } catch {
                if treeWeights != nil { throw dart("the native engine lacks \(error)") }
                return (nil, "libxgboost (the native engine lacks \(error))")
            }
        }
    }

    /// Compiles the model libxgboost loaded into the native engine. The trees
    /// are read from libxgboost's own UBJSON export of the model, so every
    /// format it reads (JSON, UBJSON, legacy binary) gives the engine exactly
    /// the float32 thresholds and leaves libxgboost predicts with.
    static func compileEngine(_ handle: BoosterHandle, facts: ModelFacts, treeWeights: [Float]? = nil,
                              completeDepthLimit: Int = TreeEnsemble<Float>.maxCompleteDepth) throws(TreeEngineError) -> TreeEnsemble<Float> {
        let document = try exportedModel(handle)
        guard let booster = document.at("learner", "gradient_booster") else {
            throw TreeEngineError("the export has no gradient_booster")
        }
        let name = booster["name"]?.string ?? "(none)"
        // A `dart` booster keeps its trees in a gbtree (the weights come from
        // Conveyor's own parse, as for 3.x).
        guard let model = name == "gbtree" ? booster["model"] : name == "dart" ? booster.at("gbtree", "model") : nil else {
            throw TreeEngineError("booster '\(name)'")
        }
        guard let trees = model["trees"]?.items, let info = model["tree_info"]?.int32Items,
              info.count == trees.count else {
            throw TreeEngineError("the export's trees and tree_info disagree")
        }
        var definitions: [TreeDefinition<Float>] = []
        definitions.reserveCapacity(trees.count)
        for (index, tree) in trees.enumerated() {
            var tree = try definition(tree, index: index, group: Int(info[index]))
            // XGBoost 3.x adds `leaf * weight`, rounded to float, per tree.
            if let weight = treeWeights?[index] { tree.leafValue = tree.leafValue.map { $0 * weight } }
            definitions.append(tree)
        }
        return try TreeEnsemble(trees: definitions, numFeature: facts.numFeature,
                                baseMargins: try baseMargins(document, facts: facts),
                                completeDepthLimit: completeDepthLimit)
    }

    /// libxgboost's own UBJSON export of the model it loaded, parsed.
    static func exportedModel(_ handle: BoosterHandle) throws(TreeEngineError) -> ModelValue {
        var length: bst_ulong = 0
        var pointer: UnsafePointer<CChar>?
        guard XGBoosterSaveModelToBuffer(handle, #"{"format":"ubj"}"#, &length, &pointer) == 0, let pointer else {
            throw TreeEngineError("libxgboost could not export the model")
        }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: pointer, count: Int(length)))
        do {
            return try UBJSONReader.parse(bytes)
        } catch {
            throw TreeEngineError("libxgboost's export of the model is unreadable: \(error)")
        }
    }

    /// One exported tree as the engine's definition.
    static func definition(_ tree: ModelValue, index: Int, group: Int) throws(TreeEngineError) -> TreeDefinition<Float> {
        if let vector = tree.at("tree_param", "size_leaf_vector")?.integer, vector > 1 {
            throw TreeEngineError("vector leaves")
        }
        guard let left = tree["left_children"]?.int32Items, let right = tree["right_children"]?.int32Items,
              let feature = tree["split_indices"]?.int32Items, let conditions = tree["split_conditions"]?.floatItems,
              let defaults = tree["default_left"]?.int32Items else {
            throw TreeEngineError("tree \(index): node arrays missing from the export")
        }
        // A leaf's value is stored in its split condition.
        return TreeDefinition(left: left, right: right, feature: feature, threshold: conditions,
                              defaultLeft: defaults.map { $0 != 0 }, leafValue: conditions, group: group,
                              categorical: try categoricalSplits(tree, index: index, nodes: left.count))
    }

    /// A tree's categorical splits as XGBoost decides them (`common::Decision`
    /// in 1.7.4): the listed categories go right; any other value — negative,
    /// past the largest category, not below 2^24 — goes left; a fraction is
    /// truncated to its category; a missing value goes the default way.
    static func categoricalSplits(_ tree: ModelValue, index: Int,
                                  nodes count: Int) throws(TreeEngineError) -> [Int: CategorySplit] {
        guard let types = tree["split_type"]?.int32Items, types.contains(where: { $0 != 0 }) else { return [:] }
        guard let nodes = tree["categories_nodes"]?.int32Items, let segments = tree["categories_segments"]?.int32Items,
              let sizes = tree["categories_sizes"]?.int32Items, let categories = tree["categories"]?.int32Items,
              types.count == count, segments.count == nodes.count, sizes.count == nodes.count else {
            throw TreeEngineError("tree \(index): the export's categorical split arrays disagree")
        }
        var splits: [Int: CategorySplit] = [:]
        for (position, node) in nodes.enumerated() {
            let start = Int(segments[position]), size = Int(sizes[position])
            guard node >= 0, Int(node) < count, types[Int(node)] == 1, start >= 0, size >= 0,
                  start <= categories.count - size else {
                throw TreeEngineError("tree \(index): categorical split \(position) lies outside the export's arrays")
            }
            splits[Int(node)] = CategorySplit(categories: categories[start..<(start + size)].map(Int.init),
                                              listedGoRight: true, truncatesValues: true)
        }
        guard splits.count == types.filter({ $0 == 1 }).count else {
            throw TreeEngineError("tree \(index): split_type and categories_nodes disagree")
        }
        return splits
    }

    /// The margin each output starts from: the corrected intercepts of a
    /// 3.1+ vector base_score, else libxgboost's base_score through the
    /// objective's link (XGBoost's `ProbToMargin`), in float32.
    static func baseMargins(_ document: ModelValue, facts: ModelFacts) throws(TreeEngineError) -> [Float] {
        if let corrected = facts.correctedBaseMargins { return corrected }
        guard let text = document.at("learner", "learner_model_param", "base_score")?.string,
              case .scalar(let score) = BaseScore(stored: text) else {
            throw TreeEngineError("libxgboost's base_score is not a number")
        }
        guard let margin = facts.objective.margin(fromBaseScore: score) else {
            throw TreeEngineError("base_score \(score) has no margin for \(facts.objective)")
        }
        return [Float](repeating: margin, count: facts.outputGroups)
    }
}
