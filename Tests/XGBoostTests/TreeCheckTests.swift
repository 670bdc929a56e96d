import Foundation
import Testing
@testable import XGBoost

/// The tree checks accept every legitimate shape they could meet: trees
/// larger than the short-array cut-off (kept as `.integers`), categorical
/// splits, pruned nodes left unreachable; and still refuse a cycle in a
/// large tree.
@Suite struct TreeCheckTests {
    static let tree0 = "learner.gradient_booster.model.trees.0"

    /// Tree 0 of 2.1.4 binary_logistic replaced by a full tree of depth 4
    /// (31 nodes), splitting on feature `i % 10` at node i.
    static func fullTree(depth: Int = 4, _ extra: [(String, HostileModels.Value)] = []) throws -> [UInt8] {
        let nodes = (1 << (depth + 1)) - 1
        let splits = nodes / 2
        let left = (0..<nodes).map { $0 < splits ? 2 * $0 + 1 : -1 }
        let right = (0..<nodes).map { $0 < splits ? 2 * $0 + 2 : -1 }
        let parents = [Int(Int32.max)] + (1..<nodes).map { ($0 - 1) / 2 }
        let zeros = [Int](repeating: 0, count: nodes)
        var edits: [(String, HostileModels.Value)] = [
            ("\(tree0).tree_param.num_nodes", .string(String(nodes))),
            ("\(tree0).left_children", .ints(left)), ("\(tree0).right_children", .ints(right)),
            ("\(tree0).parents", .ints(parents)),
            ("\(tree0).split_indices", .ints((0..<nodes).map { $0 < splits ? $0 % 10 : 0 })),
            ("\(tree0).default_left", .ints(zeros)), ("\(tree0).split_type", .ints(zeros)),
            // Splits at 0.5, leaf values 0.25 (a leaf's value sits in split_conditions).
            ("\(tree0).split_conditions", .doubles((0..<nodes).map { $0 < splits ? 0.5 : 0.25 })),
        ]
        for name in ["base_weights", "loss_changes", "sum_hessian"] {
            edits.append(("\(tree0).\(name)", .doubles([Double](repeating: 0.5, count: nodes))))
        }
        return try HostileModels.edited("2.1.4", "binary_logistic.json", edits + extra)
    }

    @Test func largeTreeLoadsAndPredicts() throws {
        let booster = try Booster(modelData: try Self.fullTree())
        let row: [Float] = [39, 77516, 13, 2174, 0, 40, 6, 4, 0, 1]
        let prediction = try booster.predict(row, rows: 1)
        #expect(prediction.values.count == 1 && prediction.values[0].isFinite)
    }

    @Test func cycleInLargeTreeIsRefused() throws {
        // Node 9 (off the NaN probe's path 0 → 2 → 6 → 14 → 30) points back at node 2.
        let bytes = try Self.fullTree([("\(Self.tree0).left_children.9", .int(2))])
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["tree 0, node 9", "left child 2 is reached a second time"])
        // Pointing into a part not walked yet is caught by the parent record.
        let cross = try Self.fullTree([("\(Self.tree0).left_children.14", .int(3))])
        HostileModels.expectRefusal(cross, .corruptModel, mentioning: ["tree 0, node 3", "parent is recorded as 1 but node 14"])
    }

    @Test func largeTreeParsesToIntegerArrays() throws {
        let document = try ModelValue.parseJSON(try Self.fullTree())
        let tree = try #require(document.at("learner", "gradient_booster", "model", "trees")?.items?.first)
        guard case .integers(let left) = tree["left_children"] else {
            Issue.record("left_children is \(String(describing: tree["left_children"]))")
            return
        }
        #expect(left.count == 31 && left[14] == 29 && left[15] == -1)
    }

    @Test func validCategoricalSplitLoads() throws {
        let bytes = try HostileModels.edited("2.1.4", "binary_logistic.json", [
            ("\(Self.tree0).split_type.2", .int(1)), ("\(Self.tree0).categories_nodes", .ints([2])),
            ("\(Self.tree0).categories_segments", .ints([0])), ("\(Self.tree0).categories_sizes", .ints([2])),
            ("\(Self.tree0).categories", .ints([1, 3])),
        ])
        let booster = try Booster(modelData: bytes)
        let prediction = try booster.predict([Float](repeating: 1, count: 10), rows: 1)
        #expect(prediction.values.count == 1 && prediction.values[0].isFinite)
    }

    @Test func prunedUnreachableLeavesLoad() throws {
        // Node 6 made a leaf: its former children 13 and 14 stay in the
        // arrays, unreachable, as XGBoost's pruner leaves deleted nodes.
        let bytes = try HostileModels.edited("2.1.4", "binary_logistic.json", [
            ("\(Self.tree0).left_children.6", .int(-1)), ("\(Self.tree0).right_children.6", .int(-1)),
        ])
        _ = try Booster(modelData: bytes)
        let split = try HostileModels.edited("2.1.4", "binary_logistic.json", [
            ("\(Self.tree0).left_children.2", .int(-1)), ("\(Self.tree0).right_children.2", .int(-1)),
        ])
        // Node 2's subtree (5, 6 and their leaves) is unreachable, and 5, 6 are splits.
        HostileModels.expectRefusal(split, .corruptModel, mentioning: ["node 5", "not reachable from the root and not a leaf"])
    }
}
