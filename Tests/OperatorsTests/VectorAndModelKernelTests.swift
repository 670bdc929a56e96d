import ConveyorCore
import Foundation
import Testing

@testable import Operators

/// Edge cases of the kernels shared by the MLeap nodes and the Spark readers
/// (issue 12), with expected values worked out by hand.
@Suite struct VectorAndModelKernelTests {
    func vectors(_ name: String, width: Int, _ values: [Double], nulls: [Bool]? = nil) -> Column {
        Column(name: name, type: .vector(width), values: .vector(VectorBlock(width: width, storage: values)), nulls: nulls)
    }

    @Test func symmetricEigenOfATwoByTwo() {
        let (values, vectors) = SymmetricEigen.decompose([2, 1, 1, 2], n: 2)
        #expect(values.sorted().map { ($0 * 1e12).rounded() / 1e12 } == [1, 3])
        // Each column is a unit eigenvector: A v = λ v.
        for column in 0..<2 {
            let v = [vectors[column], vectors[2 + column]]
            #expect(abs(2 * v[0] + v[1] - values[column] * v[0]) < 1e-12)
            #expect(abs(v[0] * v[0] + v[1] * v[1] - 1) < 1e-12)
        }
    }

    @Test func gaussianMixtureOfOneDimension() throws {
        // Two unit-variance components at 0 and 2, weights ¼ and ¾; x = 1 is equally far from both.
        let kernel = try #require(GaussianMixture(features: "f", prediction: "p", probability: "q", weights: [0.25, 0.75],
                                                  means: [[0], [2]], covariances: [[1], [1]]))
        let out = try kernel.transform(try Frame(columns: [vectors("f", width: 1, [1])]), stage: "s")
        guard case .vector(let q)? = out.column("q")?.values else { Issue.record("no probability"); return }
        let pdf = exp(-0.5) / (2 * Double.pi).squareRoot()
        let a = Double.ulpOfOne + 0.25 * pdf, b = Double.ulpOfOne + 0.75 * pdf
        #expect(abs(q[0, 0] - a / (a + b)) < 1e-15 && abs(q[0, 1] - b / (a + b)) < 1e-15)
        guard case .int(let p)? = out.column("p")?.values else { Issue.record("no int prediction"); return }
        #expect(p == [1])
    }

    @Test func kMeansPicksTheClosestAndRefusesNaN() throws {
        let kernel = try #require(KMeans(features: "f", prediction: "c", distance: .euclidean, centers: [[5, 5], [0, 0]]))
        let out = try kernel.transform(try Frame(columns: [vectors("f", width: 2, [0.1, 0, 3, 3])]), stage: "s")
        guard case .int(let clusters)? = out.column("c")?.values else { Issue.record("no clusters"); return }
        #expect(clusters == [1, 0])
        do {
            _ = try kernel.transform(try Frame(columns: [vectors("f", width: 2, [0, 0, .nan, 0])]), stage: "s")
            Issue.record("NaN was clustered")
        } catch let error as ConveyorError {
            #expect(error.code == .invalidInput && error.row == 2 && error.column == "f", "\(error)")
        }
    }

    @Test func selectorRefusesAShortVectorAndKeepsNulls() throws {
        let select = VectorSelect(input: "f", output: "o", indices: [2, 0])
        let out = try select.transform(try Frame(columns: [vectors("f", width: 3, [1, 2, 3, 4, 5, 6], nulls: [false, true])]),
                                       stage: "s")
        guard case .vector(let o)? = out.column("o")?.values else { Issue.record("no output"); return }
        #expect(Array(o.row(0)) == [3, 1])
        #expect(out.column("o")?.nulls == [false, true])
        #expect(throws: ConveyorError.self) {
            try select.transform(try Frame(columns: [vectors("f", width: 2, [1, 2])]), stage: "s")
        }
    }

    @Test func complementNaiveBayesRawIsLogProbabilities() throws {
        let bayes = try #require(NaiveBayes(modelType: .complement, pi: [0, 0], theta: [-1, -2, -3, -0.5], sigma: nil))
        var raw = [0.0, 0.0]
        bayes.raw([1, 2], into: &raw)
        // theta · x = [-5, -4]; minus log(e^-5 + e^-4).
        let lse = log(exp(-5.0) + exp(-4.0))
        #expect(abs(raw[0] - (-5 - lse)) < 1e-12 && abs(raw[1] - (-4 - lse)) < 1e-12)
        #expect(bayes.refusal([1, -1]) != nil && bayes.refusal([0, 3]) == nil && bayes.refusal([.nan, 1]) != nil)
    }

    @Test func featureHasherSumsCollisionsAndSkipsNulls() throws {
        let hasher = try #require(FeatureHasher(
            inputs: [.init(name: "a", categorical: false), .init(name: "b", categorical: false)], output: "o",
            numFeatures: 1, version: .spark3))
        let frame = try Frame(columns: [.doubles("a", [2, 3], nulls: [false, true]), .doubles("b", [0.5, 1])])
        let out = try hasher.transform(frame, stage: "s")
        guard case .vector(let o)? = out.column("o")?.values else { Issue.record("no output"); return }
        #expect(o.storage == [2.5, 1])
    }

    @Test func polynomialExpansionRefusesTooWideOutputs() {
        #expect(PolynomialExpansion(input: "a", output: "b", degree: 2, inputWidth: 3, maxOutputWidth: 9)?.outputWidth == 9)
        #expect(PolynomialExpansion(input: "a", output: "b", degree: 2, inputWidth: 3, maxOutputWidth: 8) == nil)
    }
}

/// GLR links: their names (a regression test: the description once called
/// itself and overflowed the stack) and Spark's projection into each family.
@Suite struct GeneralizedLinearKernelTests {
    @Test func linksAreNamed() {
        #expect(GeneralizedLinearRegression.Link.names.map { GeneralizedLinearRegression.Link(name: $0)?.description ?? "?" }
                == GeneralizedLinearRegression.Link.names)
        #expect(GeneralizedLinearRegression.Link.tweedie(linkPower: 0.25).description == "power 0.25")
        #expect(GeneralizedLinearRegression.Link.tweedie(linkPower: 0) == .log)
    }

    @Test func familiesProjectAsSpark() {
        #expect(GeneralizedLinearRegression.Family.binomial.project(0) == 1e-16)
        #expect(GeneralizedLinearRegression.Family.binomial.project(1) == 1 - 1e-16)
        #expect(GeneralizedLinearRegression.Family.poisson.project(.infinity) == .greatestFiniteMagnitude)
        #expect(GeneralizedLinearRegression.Family.gaussian.project(-.infinity) == -.greatestFiniteMagnitude)
        #expect(GeneralizedLinearRegression.Family.gamma.project(-3) == 1e-16)
    }
}
