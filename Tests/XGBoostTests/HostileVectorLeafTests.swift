import Testing
@testable import XGBoost

/// Vector-leaf trees (multi_strategy="multi_output_tree") are read by
/// Conveyor alone (libxgboost 1.7.4 cannot load them), so every index and
/// length in them is checked before the engine follows it.
struct HostileVectorLeafTests {
    /// The objectives fixtures, through `Fixtures.url`'s version folder.
    static func edited(_ version: String, _ edits: [(String, HostileModels.Value)]) throws -> [UInt8] {
        try HostileModels.edited("../xgboost-objectives/\(version)", "multi_output_tree.json", edits)
    }

    static let tree0 = "learner.gradient_booster.model.trees.0"

    @Test func theUneditedFixturesLoad() throws {
        for version in ["2.1.4", "3.4.1"] {
            let booster = try Booster(modelData: try Self.edited(version, []))
            #expect(booster.facts.outputGroups == 2 && booster.nativeEngine != nil)
        }
    }

    @Test func aLeafSlotOutsideLeafWeightsIsRefused() throws {
        // 3.x: node 7 is a leaf whose right child is its slot in leaf_weights.
        let bytes = try Self.edited("3.4.1", [("\(Self.tree0).right_children.7", .int(99))])
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["tree 0", "leaf 7 points to leaf_weights slot 99 of 8"])
        let negative = try Self.edited("3.4.1", [("\(Self.tree0).right_children.7", .int(-5))])
        HostileModels.expectRefusal(negative, .corruptModel, mentioning: ["leaf 7 points to leaf_weights slot -5"])
    }

    @Test func leafWeightsNotAWholeNumberOfLeavesAreRefused() throws {
        let bytes = try Self.edited("3.4.1", [("\(Self.tree0).leaf_weights", .dropLast)])
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["tree 0", "leaf_weights is not 2 numbers per leaf"])
    }

    @Test func shortBaseWeightsAreRefused() throws {
        let bytes = try Self.edited("2.1.4", [("\(Self.tree0).base_weights", .dropLast)])
        HostileModels.expectRefusal(bytes, .corruptModel,
                                    mentioning: ["tree 0", "base_weights must hold 2 values for each of the 15 nodes"])
    }

    @Test func aLeafWidthOtherThanTheTargetsIsRefused() throws {
        let bytes = try Self.edited("2.1.4", [("\(Self.tree0).tree_param.size_leaf_vector", .string("3"))])
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["tree 0", "size_leaf_vector 3 differs"])
    }

    @Test func categoricalSplitsInAVectorLeafTreeAreRefused() throws {
        let bytes = try Self.edited("3.4.1", [("\(Self.tree0).split_type.0", .int(1))])
        HostileModels.expectRefusal(bytes, .unsupportedModel, mentioning: ["tree 0", "categorical splits in a vector-leaf tree"])
    }
}
