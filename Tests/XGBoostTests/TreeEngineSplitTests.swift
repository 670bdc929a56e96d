import Testing
import TreeEngine

/// The engine's split test, value by value, against the rule it must follow
/// (XGBoost's): left when `value < threshold` in IEEE float32 — so -0 and +0
/// are equal and infinities order as numbers — and the default way when the
/// value is NaN. Both layouts and condition tables, both default directions.
@Suite struct TreeEngineSplitTests {
    static let values: [Float] = [
        .nan, 0, -0.0, 1, -1, .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 0.5, Float(0.5).nextUp, Float(0.5).nextDown, 3e38,
    ]
    static let thresholds: [Float] = values.filter { !$0.isNaN }

    /// One split: leaf 1 (left) is worth 1, leaf 2 (right) is worth 2.
    static func stump(threshold: Float, defaultLeft: Bool) -> TreeDefinition<Float> {
        TreeDefinition(left: [1, -1, -1], right: [2, -1, -1], feature: [0, 0, 0], threshold: [threshold, 0, 0],
                       defaultLeft: [defaultLeft, false, false], leafValue: [0, 1, 2], group: 0)
    }

    @Test(arguments: [0, 10], [false, true])
    func everyValueAgainstEveryThreshold(completeDepthLimit: Int, conditionTables: Bool) throws {
        for threshold in Self.thresholds {
            for defaultLeft in [true, false] {
                let engine = try TreeEnsemble(trees: [Self.stump(threshold: threshold, defaultLeft: defaultLeft)],
                                              numFeature: 1, baseMargins: [0], completeDepthLimit: completeDepthLimit,
                                              conditionTables: conditionTables)
                #expect(engine.usesConditionTables == conditionTables)
                // Every call size: one row, a few, a block.
                for rows in [1, 3, 4, 9] {
                    for value in Self.values {
                        let got = engine.margins([Float](repeating: value, count: rows), rows: rows)
                        let goesLeft = value.isNaN ? defaultLeft : value < threshold
                        let want: Float = goesLeft ? 1 : 2
                        #expect(got == [Float](repeating: want, count: rows),
                                "x=\(value) t=\(threshold) defaultLeft=\(defaultLeft) rows=\(rows)")
                    }
                }
            }
        }
    }

    @Test func nanThresholdsAndBadTreesAreRefused() {
        #expect(throws: TreeEngineError.self) {
            _ = try TreeEnsemble(trees: [Self.stump(threshold: .nan, defaultLeft: true)], numFeature: 1, baseMargins: [0])
        }
        var cyclic = Self.stump(threshold: 0, defaultLeft: true)
        cyclic.left = [1, 0, -1]
        #expect(throws: TreeEngineError.self) {
            _ = try TreeEnsemble(trees: [cyclic], numFeature: 1, baseMargins: [0])
        }
        #expect(throws: TreeEngineError.self) {
            _ = try TreeEnsemble(trees: [Self.stump(threshold: 0, defaultLeft: true)], numFeature: 0, baseMargins: [0])
        }
    }
}
