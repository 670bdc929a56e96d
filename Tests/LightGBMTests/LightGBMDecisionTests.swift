import ConveyorTestSupport
import Foundation
@testable import LightGBM
import Testing

/// LightGBM's decision rules one value at a time, on one-split trees written
/// here (tree.h `NumericalDecision`, `CategoricalDecision`; the predictor's
/// zeroing of |x| ≤ kZeroThreshold). Leaf 0 (left) is 10, leaf 1 (right) 20.
@Suite struct LightGBMDecisionTests {
    static func stump(threshold: String, decisionType: Int, numCat: Int = 0, categories: String = "",
                      objective: String = "regression") -> [UInt8] {
        var tree = """
            num_leaves=2
            num_cat=\(numCat)
            split_feature=0
            split_gain=1
            threshold=\(threshold)
            decision_type=\(decisionType)
            left_child=-1
            right_child=-2
            leaf_value=10 20
            leaf_weight=1 1
            leaf_count=1 1
            internal_value=0
            internal_weight=0
            internal_count=2

            """
        if numCat > 0 { tree += "cat_boundaries=0 \(categories.split(separator: " ").count)\ncat_threshold=\(categories)\n" }
        tree += "is_linear=0\nshrinkage=1\n"
        let text = """
            tree
            version=v4
            num_class=1
            num_tree_per_iteration=1
            label_index=0
            max_feature_idx=0
            objective=\(objective)
            feature_names=x
            feature_infos=none

            Tree=0
            \(tree)

            end of trees
            """
        return Array(text.utf8)
    }

    func leaves(_ model: [UInt8], _ values: [Double]) throws -> [Double] {
        try LightGBMModel(bytes: model, source: "stump.txt").rawScores(values, rows: values.count)
    }

    static let tiny = 1e-40
    static let zeroThreshold = Double(Float(1e-35))

    @Test func missingTypeNoneComparesNaNAsZero() throws {
        // decision_type 0: missing None, default right (ignored: NaN becomes 0).
        #expect(try leaves(Self.stump(threshold: "0.5", decisionType: 0), [.nan, 0.5, 0.6, -1, .infinity])
                == [10, 10, 20, 10, 20])
        #expect(try leaves(Self.stump(threshold: "-0.5", decisionType: 2), [.nan, -0.5, -0.4, 0]) == [20, 10, 20, 20])
        // Threshold 0: a value below kZeroThreshold is 0 and goes left; a larger one right.
        #expect(try leaves(Self.stump(threshold: "0", decisionType: 0),
                           [Self.tiny, Self.zeroThreshold, Self.zeroThreshold.nextUp, -0.0]) == [10, 10, 20, 10])
    }

    @Test func missingTypeZeroSendsZeroAndNaNTheDefaultWay() throws {
        // 4: Zero, default right; 6: Zero, default left.
        let right = Self.stump(threshold: "1.5", decisionType: 4)
        #expect(try leaves(right, [0, -0.0, .nan, Self.tiny, -Self.zeroThreshold, 1, 2, -3]) == [20, 20, 20, 20, 20, 10, 20, 10])
        let left = Self.stump(threshold: "-1.5", decisionType: 6)
        #expect(try leaves(left, [0, .nan, Self.tiny, 1, -2, -Self.zeroThreshold.nextUp]) == [10, 10, 10, 20, 10, 20])
    }

    @Test func missingTypeNaNComparesZero() throws {
        // 8: NaN, default right; 10: NaN, default left.
        #expect(try leaves(Self.stump(threshold: "-1", decisionType: 8), [.nan, 0, -1, -2]) == [20, 20, 10, 10])
        #expect(try leaves(Self.stump(threshold: "1", decisionType: 10), [.nan, 0, 1, 1.0.nextUp]) == [10, 10, 10, 20])
        // Threshold exactly at kZeroThreshold (LightGBM writes it for splits at zero).
        let atZero = Self.stump(threshold: "1.0000000180025095e-35", decisionType: 8)
        #expect(try leaves(atZero, [0, Self.tiny, Self.zeroThreshold, Self.zeroThreshold.nextUp, .nan]) == [10, 10, 10, 20, 20])
    }

    @Test func categoricalSplitsListCategoriesLeft() throws {
        // Set {1, 3, 33}: words 0b1010 and 0b10; NaN, negatives and unlisted go right.
        let model = Self.stump(threshold: "0", decisionType: 1, numCat: 1, categories: "10 2")
        let values: [Double] = [1, 3, 33, 0, 2, 32, 34, 64, 1.9, 3.7, -0.5, -1, .nan, 1e10, 3e9, .infinity, -.infinity]
        #expect(try leaves(model, values) == [10, 10, 10, 20, 20, 20, 20, 20, 10, 10, 20, 20, 20, 20, 20, 20, 20])
        // Category 0 listed: −1 < x < 0 truncates to it (LightGBM casts to int).
        let zero = Self.stump(threshold: "0", decisionType: 1, numCat: 1, categories: "1")
        #expect(try leaves(zero, [0, -0.0, -0.5, -0.99, -1, 0.7, Self.tiny, .nan]) == [10, 10, 10, 10, 20, 10, 10, 20])
        // The default-left bit and the missing type do not matter for categorical splits.
        let flagged = Self.stump(threshold: "0", decisionType: 11, numCat: 1, categories: "1")
        #expect(try leaves(flagged, [.nan, 0]) == [20, 10])
    }

    @Test func transformsAreLightGBMs() throws {
        let raw = [-2.0, 0, 3]
        let binary = try LightGBMModel(bytes: Self.stump(threshold: "0", decisionType: 0, objective: "binary sigmoid:0.5"),
                                       source: "stump.txt")
        // Leaves: −2 → 10, 0 → 10, 3 → 20; then 1 / (1 + exp(−0.5 · raw)).
        let expected = [10.0, 10, 20].map { 1.0 / (1.0 + exp(-0.5 * $0)) }
        #expect(try binary.predictions(raw, rows: 3) == expected)
        let poisson = try LightGBMModel(bytes: Self.stump(threshold: "0", decisionType: 0, objective: "poisson"),
                                        source: "stump.txt")
        #expect(try poisson.predictions(raw, rows: 3) == [exp(10.0), exp(10.0), exp(20.0)])
        let sqrt = try LightGBMModel(bytes: Self.stump(threshold: "0", decisionType: 0, objective: "regression sqrt"),
                                     source: "stump.txt")
        #expect(try sqrt.predictions(raw, rows: 3) == [100, 100, 400])
        let alias = try LightGBMModel(bytes: Self.stump(threshold: "0", decisionType: 0, objective: "xentlambda"),
                                      source: "stump.txt")
        #expect(try alias.predictions([1], rows: 1) == [log1p(exp(20.0))])
        #expect(alias.objective.name == "cross_entropy_lambda")
    }

    @Test func lightGBMsAtofIsRepeated() {
        // Common::Atof: digits after the point are summed as an integer and divided by 10^n.
        #expect(TextNumbers.atof("1.5") == 1.5)
        #expect(TextNumbers.atof("0.1") == 1.0 / 10.0)
        #expect(TextNumbers.atof("1e-3") == 1.0 / 1000.0)
        #expect(TextNumbers.atof("abc") == nil)
    }
}
