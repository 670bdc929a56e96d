import Dispatch
import Foundation
import Testing
import ConveyorTestSupport
@testable import XGBoost

@Suite struct PredictionBehaviourTests {
    /// The car inputs are one-hot: mostly real zeros. Treating a zero as
    /// missing would change predictions, and would not match the producer.
    @Test func zerosAreValuesNotMissing() throws {
        let booster = try Booster(contentsOf: Fixtures.url("3.0.5", "multi_softprob.ubj"))
        let inputs = try Fixtures.csv(Fixtures.url("3.0.5", "inputs_car.csv"))
        let expected = try Fixtures.csv(Fixtures.url("3.0.5", "multi_softprob.pred.csv"))
        let withZeros = try booster.predict(Fixtures.floatMatrix(inputs), rows: inputs.count)
        let zerosAsNaN = Fixtures.floatMatrix(inputs).map { $0 == 0 ? Float.nan : $0 }
        let withNaNs = try booster.predict(zerosAsNaN, rows: inputs.count)

        #expect(withZeros != withNaNs)
        let result = NumericComparison(withZeros.values, expected.flatMap { $0 }, tolerance: .absolute(1e-6), columns: 4)
        #expect(result.matches, "\(result)")
    }

    /// Many threads share one booster; each must get exactly the result a
    /// lone caller gets.
    @Test func concurrentPredictionsAreIdentical() throws {
        for (version, file) in [("3.4.1", "multi_softprob.json"), ("2.1.4", "binary_logistic.bin")] {
            let booster = try Booster(contentsOf: Fixtures.url(version, file))
            let inputs = try Fixtures.csv(Fixtures.url(version, file.hasPrefix("multi") ? "inputs_car.csv" : "inputs_adult.csv"))
            let width = inputs[0].count
            let features = Fixtures.floatMatrix(inputs)
            let reference = try booster.predict(features, rows: inputs.count)
            let referenceMargins = try booster.predict(features, rows: inputs.count, output: .margin)

            let mismatches = Counter()
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                for round in 0..<40 {
                    // Vary the batch: one row, a slice, or all rows.
                    let start = (worker * 7 + round * 13) % inputs.count
                    let count = min([1, 17, inputs.count][round % 3], inputs.count - start)
                    let slice = Array(features[(start * width)..<((start + count) * width)])
                    let output: PredictionOutput = round % 2 == 0 ? .value : .margin
                    let expected = output == .value ? reference : referenceMargins
                    guard let got = try? booster.predict(slice, rows: count, output: output),
                          got.values == Array(expected.values[(start * got.groups)..<((start + count) * got.groups)])
                    else { mismatches.increment(); continue }
                }
            }
            #expect(mismatches.value == 0, "\(version)/\(file)")
            // One proxy per concurrent caller, kept for reuse.
            #expect(booster.proxies.idleCount >= 1 && booster.proxies.idleCount <= 8)
        }
    }

    @Test func predictionThreadsOptionGivesSameResults() throws {
        let url = Fixtures.url("3.4.1", "binary_logistic.json")
        let inputs = try Fixtures.csv(Fixtures.url("3.4.1", "inputs_adult.csv"))
        let one = try Booster(contentsOf: url).predict(Fixtures.floatMatrix(inputs), rows: inputs.count)
        let two = try Booster(contentsOf: url, options: .init(predictionThreads: 2))
            .predict(Fixtures.floatMatrix(inputs), rows: inputs.count)
        #expect(one == two)
    }
}

/// A thread-safe counter for the concurrency test.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
