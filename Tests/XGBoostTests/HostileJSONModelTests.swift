import Foundation
import Testing
@testable import XGBoost

/// Real fixtures edited into hostile JSON models: each is refused before
/// libxgboost sees it (which would loop forever, read out of bounds or
/// allocate gigabytes), with a message naming the tree, node or limit.
@Suite struct HostileJSONModelTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        var file = "binary_logistic.json"
        let edits: [(String, HostileModels.Value)]
        var code = XGBoostError.Code.corruptModel
        let mentioning: [String]
        var testDescription: String { name }
    }

    static let tree0 = "learner.gradient_booster.model.trees.0"
    static let model = "learner.gradient_booster.model"
    static let learnerParam = "learner.learner_model_param"

    // Tree 0 of 2.1.4 binary_logistic: a full tree of depth 3 (nodes 0-14);
    // a NaN row (the load-time probe) goes 0 → 1 → 3 → 7, so nodes 2, 4,
    // 5, 6 are off its path.
    static let cases: [Case] = [
        Case(name: "cycle back to the root", edits: [("\(tree0).right_children.2", .int(0))],
             mentioning: ["tree 0, node 2", "right child 0 is reached a second time"]),
        Case(name: "cycle inside a subtree", edits: [("\(tree0).left_children.5", .int(2))],
             mentioning: ["tree 0, node 5", "left child 2 is reached a second time"]),
        Case(name: "self loop", edits: [("\(tree0).left_children.4", .int(4))],
             mentioning: ["tree 0, node 4", "self loop"]),
        Case(name: "shared subtree", edits: [("\(tree0).right_children.2", .int(5))],
             mentioning: ["tree 0, node 2", "reached a second time"]),
        Case(name: "child out of range", edits: [("\(tree0).right_children.5", .int(1000))],
             mentioning: ["tree 0, node 5", "right child 1000 is out of range (the tree has 15 nodes)"]),
        Case(name: "child beyond Int32", edits: [("\(tree0).right_children.5", .int(1 << 40))],
             mentioning: ["tree 0, node 5", "out of range"]),
        Case(name: "negative child", edits: [("\(tree0).left_children.6", .int(-7))],
             mentioning: ["tree 0, node 6", "left child -7 is negative"]),
        Case(name: "missing child on a split", edits: [("\(tree0).right_children.6", .int(-1))],
             mentioning: ["tree 0, node 6", "right child -1 is negative"]),
        Case(name: "leaf with a right child", edits: [("\(tree0).right_children.7", .int(3))],
             mentioning: ["tree 0, node 7", "a leaf (left child -1) with right child 3"]),
        Case(name: "split feature = num_feature", edits: [("\(tree0).split_indices.2", .int(10))],
             mentioning: ["tree 0, node 2", "split feature 10 is out of range (num_feature is 10)"]),
        Case(name: "negative split feature", edits: [("\(tree0).split_indices.6", .int(-3))],
             mentioning: ["tree 0, node 6", "split feature -3"]),
        Case(name: "parent disagrees", edits: [("\(tree0).parents.12", .int(3))],
             mentioning: ["tree 0, node 12", "parent is recorded as 3 but node 5 points to it"]),
        Case(name: "parent out of range on a pruned node",
             edits: [("\(tree0).left_children.6", .int(-1)), ("\(tree0).right_children.6", .int(-1)),
                     ("\(tree0).parents.14", .int(99))],
             mentioning: ["tree 0, node 14", "parent 99 is out of range"]),
        Case(name: "huge num_feature", edits: [("\(learnerParam).num_feature", .string("4000000000"))],
             mentioning: ["num_feature 4000000000 exceeds the limit of 10000000", "maxFeatures"]),
        Case(name: "huge num_class", file: "multi_softprob.json",
             edits: [("\(learnerParam).num_class", .string("1000000000"))],
             mentioning: ["num_class 1000000000 exceeds the limit of 100000", "maxOutputGroups"]),
        Case(name: "huge num_target", edits: [("\(learnerParam).num_target", .string("3000000000"))],
             mentioning: ["num_target 3000000000 exceeds", "maxOutputGroups"]),
        Case(name: "negative num_class", edits: [("\(learnerParam).num_class", .string("-4"))],
             mentioning: ["num_class -4 is out of range"]),
        Case(name: "objective's num_class differs", file: "multi_softprob.json",
             edits: [("learner.objective.softmax_multiclass_param.num_class", .string("0"))],
             mentioning: ["objective's num_class"]),
        Case(name: "huge num_trees", edits: [("\(model).gbtree_model_param.num_trees", .string("2000000000"))],
             mentioning: ["num_trees 2000000000 exceeds the limit of 1000000", "maxTrees"]),
        Case(name: "num_trees differs from the trees", edits: [("\(model).gbtree_model_param.num_trees", .string("29"))],
             mentioning: ["num_trees is 29 but the trees array has 30 trees"]),
        Case(name: "num_parallel_tree 0", edits: [("\(model).gbtree_model_param.num_parallel_tree", .string("0"))],
             mentioning: ["num_parallel_tree 0 is out of range"]),
        Case(name: "short tree_info", edits: [("\(model).tree_info", .dropLast)],
             mentioning: ["tree_info has 29 entries but num_trees is 30"]),
        Case(name: "tree_info group out of range", edits: [("\(model).tree_info.3", .int(1))],
             mentioning: ["tree_info[3] = 1 is not a prediction group (the model has 1)"]),
        Case(name: "iteration_indptr does not end at num_trees", edits: [("\(model).iteration_indptr.30", .int(31))],
             mentioning: ["iteration_indptr"]),
        Case(name: "duplicate tree id", edits: [("\(model).trees.1.id", .int(0))],
             mentioning: ["tree 1", "id 0 differs from its position"]),
        Case(name: "huge num_nodes", edits: [("\(tree0).tree_param.num_nodes", .string("100000000"))],
             mentioning: ["num_nodes 100000000 exceeds the limit of 16777216", "maxTreeNodes"]),
        Case(name: "num_nodes larger than the arrays", edits: [("\(tree0).tree_param.num_nodes", .string("16"))],
             mentioning: ["tree 0", "has 15 entries but num_nodes is 16"]),
        Case(name: "short split_conditions", edits: [("\(tree0).split_conditions", .dropLast)],
             mentioning: ["tree 0", "split_conditions has 14 entries but num_nodes is 15"]),
        Case(name: "short left_children", edits: [("\(tree0).left_children", .dropLast)],
             mentioning: ["tree 0", "left_children has 14 entries but num_nodes is 15"]),
        Case(name: "short default_left", edits: [("\(tree0).default_left", .dropLast)],
             mentioning: ["tree 0", "default_left has 14 entries"]),
        Case(name: "short split_type", edits: [("\(tree0).split_type", .dropLast)],
             mentioning: ["tree 0", "split_type has 14 entries but the tree has 15 nodes"]),
        Case(name: "fractional child index", edits: [("\(tree0).left_children.1", .string("3"))],
             mentioning: ["tree 0", "left_children is not an array of integers"]),
        Case(name: "categorical node not listed", edits: [("\(tree0).split_type.2", .int(1))],
             mentioning: ["tree 0", "1 nodes have split_type 1 but categories_nodes lists 0"]),
        Case(name: "categories segment outside the categories",
             edits: [("\(tree0).split_type.2", .int(1)), ("\(tree0).categories_nodes", .ints([2])),
                     ("\(tree0).categories_segments", .ints([5])), ("\(tree0).categories_sizes", .ints([1])),
                     ("\(tree0).categories", .ints([1]))],
             mentioning: ["tree 0, node 2", "categories segment 5 of 1 lies outside the 1 categories"]),
        Case(name: "huge category",
             edits: [("\(tree0).split_type.2", .int(1)), ("\(tree0).categories_nodes", .ints([2])),
                     ("\(tree0).categories_segments", .ints([0])), ("\(tree0).categories_sizes", .ints([1])),
                     ("\(tree0).categories", .ints([2_000_000_000]))],
             mentioning: ["tree 0, node 2", "category 2000000000 is out of range", "maxCategory"]),
        Case(name: "nesting too deep", edits: [("learner.attributes", .nested(levels: 100))],
             mentioning: ["nesting", "maxNesting"]),
        Case(name: "dart booster", edits: [("learner.gradient_booster.name", .string("dart"))],
             code: .unsupportedModel, mentioning: ["booster 'dart' is not supported"]),
        Case(name: "vector leaves wider than the outputs",
             edits: [("\(tree0).tree_param.size_leaf_vector", .string("3"))],
             mentioning: ["tree 0", "size_leaf_vector 3 differs from the model's 1 outputs"]),
    ]

    @Test(arguments: cases)
    func hostileModelIsRefused(_ test: Case) throws {
        let bytes = try HostileModels.edited("2.1.4", test.file, test.edits)
        HostileModels.expectRefusal(bytes, test.code, mentioning: test.mentioning)
    }

    /// The edits above are what make the models fail: the same fixtures,
    /// written back through the same JSON round trip unchanged, load.
    @Test(arguments: ["binary_logistic.json", "multi_softprob.json"])
    func unchangedRoundTripLoads(_ file: String) throws {
        let booster = try Booster(modelData: try HostileModels.edited("2.1.4", file, []))
        #expect(booster.facts.trees == (file == "multi_softprob.json" ? 80 : 30))
    }
}
