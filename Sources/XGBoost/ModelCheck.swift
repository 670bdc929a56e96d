/// Checks a parsed JSON or UBJSON model before libxgboost 1.7.4 sees it:
/// declared sizes within `ModelLimits`, counts that agree with each other
/// (trees, tree_info, iteration_indptr) and every tree's structure
/// (`TreeShape`). Anything libxgboost would index or allocate from is
/// checked here, since it checks almost nothing itself.
enum ModelCheck {
    /// The sizes every tree is checked against.
    struct Sizes {
        var numFeature: Int
        /// Prediction groups: max(num_class, num_target, 1); tree_info
        /// entries index them.
        var groups: Int
    }

    static func check(_ document: ModelValue) throws(XGBoostError) {
        guard nesting(document, limit: ModelLimits.maxNesting) <= ModelLimits.maxNesting else {
            throw ModelLimits.exceeded("the document's nesting", ModelLimits.maxNesting + 1,
                                       ModelLimits.maxNesting, "maxNesting")
        }
        guard let learner = document["learner"] else { throw corrupt("no learner") }
        let sizes = try learnerSizes(learner)
        // Booster, DART weights, objective: refused by name before libxgboost sees them.
        try ModelSupport.check(learner)
        let boosterName = learner.at("gradient_booster", "name")?.string
        if boosterName == "gblinear" { return try checkLinear(learner.at("gradient_booster", "model"), sizes: sizes) }
        // A `dart` booster (XGBoost 1.x/2.x) keeps its trees in a gbtree.
        let isDart = boosterName == "dart"
        guard let model = isDart ? learner.at("gradient_booster", "gbtree", "model") : learner.at("gradient_booster", "model"),
              case .object = model else {
            throw corrupt("gradient_booster has no model")
        }
        try checkTrees(model, sizes: sizes)
    }

    static func corrupt(_ problem: String) -> XGBoostError { XGBoostError(.corruptModel, problem) }

    /// An integer parameter (XGBoost stores them as strings) within `range`.
    static func parameter(_ value: ModelValue?, _ name: String, in range: ClosedRange<Int>,
                          limitName: String? = nil) throws(XGBoostError) -> Int {
        guard let value else { throw corrupt("\(name) is missing") }
        guard let number = value.integer else { throw corrupt("\(name) is not an integer") }
        if let limitName, number > range.upperBound {
            throw ModelLimits.exceeded(name, number, range.upperBound, limitName)
        }
        guard range.contains(number) else {
            throw corrupt("\(name) \(number) is out of range (\(range.lowerBound) to \(range.upperBound))")
        }
        return number
    }

    static func learnerSizes(_ learner: ModelValue) throws(XGBoostError) -> Sizes {
        let parameters = learner["learner_model_param"]
        let numFeature = try parameter(parameters?["num_feature"], "num_feature", in: 0...ModelLimits.maxFeatures,
                                       limitName: "maxFeatures")
        let numClass = try parameter(parameters?["num_class"], "num_class", in: 0...ModelLimits.maxOutputGroups,
                                     limitName: "maxOutputGroups")
        var numTarget = 1
        if let target = parameters?["num_target"] {
            numTarget = max(try parameter(target, "num_target", in: 0...ModelLimits.maxOutputGroups,
                                          limitName: "maxOutputGroups"), 1)
        }
        guard numClass <= 1 || numTarget <= 1 else {
            throw corrupt("num_class \(numClass) and num_target \(numTarget): a model cannot have both")
        }
        // The objective's own class count must agree: its transform divides by it.
        if let objectiveClasses = learner.at("objective", "softmax_multiclass_param", "num_class") {
            guard objectiveClasses.integer == numClass else {
                throw corrupt("the objective's num_class differs from learner_model_param num_class \(numClass)")
            }
        }
        return Sizes(numFeature: numFeature, groups: max(numClass, numTarget, 1))
    }

    /// A gblinear model: one weight per feature and output group, then one
    /// bias per group.
    static func checkLinear(_ model: ModelValue?, sizes: Sizes) throws(XGBoostError) {
        guard let weights = model?["weights"]?.floatItems else { throw corrupt("the linear model has no weights array") }
        let (features, overflow) = (sizes.numFeature + 1).multipliedReportingOverflow(by: sizes.groups)
        guard !overflow, weights.count == features else {
            throw corrupt("the linear model has \(weights.count) weights; \(sizes.numFeature) features and "
                + "\(sizes.groups) output groups need (features + 1) × groups")
        }
    }

    static func checkTrees(_ model: ModelValue, sizes: Sizes) throws(XGBoostError) {
        let parameters = model["gbtree_model_param"]
        let numTrees = try parameter(parameters?["num_trees"], "num_trees", in: 0...ModelLimits.maxTrees,
                                     limitName: "maxTrees")
        if let parallel = parameters?["num_parallel_tree"] {
            _ = try parameter(parallel, "num_parallel_tree", in: 1...ModelLimits.maxTrees, limitName: "maxTrees")
        }
        guard let trees = model["trees"]?.items else { throw corrupt("the model has no trees array") }
        guard trees.count == numTrees else {
            throw corrupt("num_trees is \(numTrees) but the trees array has \(trees.count) trees")
        }
        guard let info = model["tree_info"]?.int32Items else { throw corrupt("tree_info is missing or not integers") }
        guard info.count == numTrees else {
            throw corrupt("tree_info has \(info.count) entries but num_trees is \(numTrees)")
        }
        for (tree, group) in info.enumerated() where group < 0 || group >= sizes.groups {
            throw corrupt("tree_info[\(tree)] = \(group) is not a prediction group (the model has \(sizes.groups))")
        }
        if let indptr = model["iteration_indptr"] {
            try checkIterations(indptr, numTrees: numTrees)
        }
        var categoryBudget = ModelLimits.maxCategoryBitfieldBytes
        for (index, tree) in trees.enumerated() {
            try shape(of: tree, index: index, groups: sizes.groups).check(numFeature: sizes.numFeature, categoryBudget: &categoryBudget)
        }
    }

    /// `iteration_indptr` (2.0+): the first tree of each boosting round.
    static func checkIterations(_ value: ModelValue, numTrees: Int) throws(XGBoostError) {
        guard let starts = value.int32Items, let first = starts.first, let last = starts.last else {
            throw corrupt("iteration_indptr is empty or not integers")
        }
        guard first == 0, last == numTrees, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw corrupt("iteration_indptr does not rise from 0 to num_trees \(numTrees)")
        }
    }

    /// Depth of the value, counting no further than `limit + 1`.
    static func nesting(_ value: ModelValue, limit: Int) -> Int {
        guard limit >= 0 else { return 1 }
        switch value {
        case .object(let members):
            return 1 + (members.values.map { nesting($0, limit: limit - 1) }.max() ?? 0)
        case .array(let items):
            return 1 + (items.map { nesting($0, limit: limit - 1) }.max() ?? 0)
        default:
            return 0
        }
    }
}
