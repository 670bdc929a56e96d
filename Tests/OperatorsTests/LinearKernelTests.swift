import ConveyorCore
import Foundation
import Testing

@testable import Operators

/// LogisticRegressionModel.raw2probabilityInPlace edge cases (Spark source):
/// a +∞ margin takes all the probability; a null feature vector gives nulls.
@Suite struct LinearKernelTests {
    let columns = LogisticRegression.Columns(features: "f", rawPrediction: "raw", probability: "p", prediction: "y")

    @Test func multinomialInfiniteMarginTakesAll() throws {
        let kernel = try #require(LogisticRegression(
            columns: columns, numClasses: 3, numFeatures: 1, weights: [1, 0, -1], intercepts: [0, 0, 0],
            multinomial: true, threshold: 0.5, thresholds: nil))
        let out = try kernel.transform(try Frame(columns: [.vectors("f", VectorBlock(width: 1, storage: [.infinity, 1]))]), stage: "s")
        guard case .vector(let p)? = out.column("p")?.values else { Issue.record("no probability"); return }
        #expect(Array(p.row(0)) == [1, 0, 0])
        let e1 = exp(1.0 - 1), e0 = exp(0.0 - 1), em = exp(-1.0 - 1)
        let sum = e1 + e0 + em
        #expect(Array(p.row(1)) == [e1 * (1 / sum), e0 * (1 / sum), em * (1 / sum)])
        #expect(try #require(out.column("y")).scalarDoubles() == [0, 0])
    }

    @Test func binomialProbabilitiesAreSigmoidsOfRaw() throws {
        let kernel = try #require(LogisticRegression(
            columns: columns, numClasses: 2, numFeatures: 2, weights: [0.5, -1], intercepts: [0.25],
            multinomial: false, threshold: 0.9, thresholds: nil))
        let block = VectorBlock(width: 2, storage: [1, 2, 3, 0])
        let out = try kernel.transform(
            try Frame(columns: [Column(name: "f", type: .vector(2), values: .vector(block), nulls: [false, true])]), stage: "s")
        let m = 1 * 0.5 + 2 * -1.0 + 0.25
        guard case .vector(let p)? = out.column("p")?.values else { Issue.record("no probability"); return }
        #expect(Array(p.row(0)) == [1 / (1 + exp(m)), 1 / (1 + exp(-m))])
        #expect(out.column("p")?.nulls == [false, true])
        #expect(out.column("y")?.isNull(1) == true)
        #expect(try #require(out.column("y")).scalarDoubles()[0] == 0)
    }

    @Test func shapesThatDoNotFitAreRefused() {
        #expect(LogisticRegression(columns: columns, numClasses: 3, numFeatures: 2, weights: [1, 2], intercepts: [0],
                                   multinomial: false, threshold: 0.5, thresholds: nil) == nil)
        #expect(LogisticRegression(columns: columns, numClasses: 2, numFeatures: 2, weights: [1, 2], intercepts: [0],
                                   multinomial: false, threshold: 0.5, thresholds: [1]) == nil)
    }
}
