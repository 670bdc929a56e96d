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
    /// `trees` gives the model document the engine reads its trees from:
    /// libxgboost's own export when libxgboost loaded the model, else
    /// Conveyor's parse of the file (`Booster.init`).
    static func chooseEngine(_ trees: () throws(TreeEngineError) -> ModelValue, facts: ModelFacts, options: Options,
                             treeWeights: [Float]?) throws(XGBoostError) -> NativeChoice {
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
            return NativeChoice(ensemble: nil, description: "libxgboost (chosen)",
                                explainer: .failure(TreeEngineError("explanations need the native engine, and libxgboost was chosen")))
        case .native:
            do {
                let trees = try nativeTrees(try trees(), facts: facts, treeWeights: treeWeights)
                let ensemble = try TreeEnsemble(trees: trees.definitions, numFeature: facts.numFeature,
                                                baseMargins: trees.baseMargins)
                // A model the engine predicts but cannot explain (no covers,
                // trees too deep) still loads; explaining it is refused.
                let explainer = Result { () throws(TreeEngineError) in
                    try TreeExplainer(trees: trees.definitions, numFeature: facts.numFeature,
                                      baseMargins: trees.baseMargins.map(Double.init))
                }
                return NativeChoice(ensemble: ensemble, description: "native", explainer: explainer)
            } catch {
                if treeWeights != nil { throw dart("the native engine lacks \(error)") }
                return NativeChoice(ensemble: nil, description: "libxgboost (the native engine lacks \(error))",
                                    explainer: .failure(TreeEngineError("explanations need the native engine, which lacks \(error)")))
            }
        }
    }

    /// What `chooseEngine` decided.
    struct NativeChoice {
        var ensemble: TreeEnsemble<Float>?
        var description: String
        var explainer: Result<TreeExplainer<Float>, TreeEngineError>
    }

    /// The model's trees and base margins as the engine takes them.
    struct NativeTrees {
        var definitions: [TreeDefinition<Float>]
        var baseMargins: [Float]
    }

    /// Compiles the model libxgboost loaded into the native engine. The trees
    /// are read from libxgboost's own UBJSON export of the model, so every
    /// format it reads (JSON, UBJSON, legacy binary) gives the engine exactly
    /// the float32 thresholds and leaves libxgboost predicts with.
    static func compileEngine(_ handle: BoosterHandle, facts: ModelFacts, treeWeights: [Float]? = nil,
                              completeDepthLimit: Int = TreeEnsemble<Float>.maxCompleteDepth,
                              conditionTables: Bool = true) throws(TreeEngineError) -> TreeEnsemble<Float> {
        let trees = try nativeTrees(try exportedModel(handle), facts: facts, treeWeights: treeWeights)
        return try TreeEnsemble(trees: trees.definitions, numFeature: facts.numFeature, baseMargins: trees.baseMargins,
                                completeDepthLimit: completeDepthLimit, conditionTables: conditionTables)
    }

    /// The trees and base margins of a model document: libxgboost's export
    /// of the model it loaded (see `compileEngine`), or, for a model it
    /// cannot load, Conveyor's own checked parse of the file (UBJSON floats
    /// exact; JSON's shortest float32 texts parsed through double).
    static func nativeTrees(_ document: ModelValue, facts: ModelFacts,
                            treeWeights: [Float]?) throws(TreeEngineError) -> NativeTrees {
        guard let booster = document.at("learner", "gradient_booster") else {
            throw TreeEngineError("the model has no gradient_booster")
        }
        let name = booster["name"]?.string ?? "(none)"
        // A `dart` booster keeps its trees in a gbtree (the weights come from
        // Conveyor's own parse, as for 3.x).
        guard let model = name == "gbtree" ? booster["model"] : name == "dart" ? booster.at("gbtree", "model") : nil else {
            throw TreeEngineError("booster '\(name)'")
        }
        guard let trees = model["trees"]?.items, let info = model["tree_info"]?.int32Items,
              info.count == trees.count else {
            throw TreeEngineError("the model's trees and tree_info disagree")
        }
        var definitions: [TreeDefinition<Float>] = []
        definitions.reserveCapacity(trees.count)
        for (index, tree) in trees.enumerated() {
            var tree = try definition(tree, index: index, group: Int(info[index]), groups: facts.outputGroups)
            // XGBoost 3.x adds `leaf * weight`, rounded to float, per tree.
            if let weight = treeWeights?[index] { tree.leafValue = tree.leafValue.map { $0 * weight } }
            definitions.append(tree)
        }
        return NativeTrees(definitions: definitions, baseMargins: try baseMargins(document, facts: facts))
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

    /// One tree of the model as the engine's definition; a vector-leaf tree
    /// (`VectorLeaves`) adds its `groups` values from output 0 on.
    static func definition(_ tree: ModelValue, index: Int, group: Int,
                           groups: Int) throws(TreeEngineError) -> TreeDefinition<Float> {
        guard let left = tree["left_children"]?.int32Items, let right = tree["right_children"]?.int32Items,
              let feature = tree["split_indices"]?.int32Items, let conditions = tree["split_conditions"]?.floatItems,
              let defaults = tree["default_left"]?.int32Items else {
            throw TreeEngineError("tree \(index): node arrays missing from the model")
        }
        // Covers only serve explanations: without them the model still predicts.
        let covers = tree["sum_hessian"]?.floatItems?.map(Double.init) ?? []
        if let width = tree.at("tree_param", "size_leaf_vector")?.integer, width > 1 {
            let leaves: VectorLeaves
            do {
                leaves = try VectorLeaves(tree, index: index, nodes: left.count, width: width, left: left, right: right)
            } catch {
                throw TreeEngineError(error.message)
            }
            return TreeDefinition(left: left, right: leaves.right, feature: feature, threshold: conditions,
                                  defaultLeft: defaults.map { $0 != 0 }, leafValue: leaves.values, leafWidth: width,
                                  group: 0, cover: covers)
        }
        // A leaf's value is stored in its split condition.
        return TreeDefinition(left: left, right: right, feature: feature, threshold: conditions,
                              defaultLeft: defaults.map { $0 != 0 }, leafValue: conditions, group: group,
                              categorical: try categoricalSplits(tree, index: index, nodes: left.count),
                              cover: covers)
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
            throw TreeEngineError("tree \(index): the model's categorical split arrays disagree")
        }
        var splits: [Int: CategorySplit] = [:]
        for (position, node) in nodes.enumerated() {
            let start = Int(segments[position]), size = Int(sizes[position])
            guard node >= 0, Int(node) < count, types[Int(node)] == 1, start >= 0, size >= 0,
                  start <= categories.count - size else {
                throw TreeEngineError("tree \(index): categorical split \(position) lies outside the model's arrays")
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
