import ConveyorCore
import Foundation
import SparkML
import Testing

/// Model parameters that would not fail by themselves later are refused at
/// load (Tests/Fixtures/spark-classes-hostile, training/crafted_gmm.py).
@Suite struct SparkHostileParameterTests {
    @Test func aGaussianMixtureWithANaNCovarianceIsRefused() throws {
        let dir = projectRoot.appendingPathComponent("Tests/Fixtures/spark-classes-hostile/gaussian_mixture_nan_sigma")
        let error = #expect(throws: ConveyorError.self) { try SparkMLStage(name: "gmm", modelURL: dir, schema: nil) }
        #expect(error?.code == .modelCorrupt, "\(String(describing: error))")
        #expect(error?.message.contains("sigmas holds NaN or an infinity") == true, "\(String(describing: error))")
    }
}
