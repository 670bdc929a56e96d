import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

/// Whole saved PipelineModels equal Spark's transform on held-back rows,
/// including unseen categories and nulls.
@Suite struct SparkPipelineTests {
    @Test func carPipelineEqualsSpark() throws {
        let fixture = try SparkFixture(
            projectRoot.appendingPathComponent("models/car-evaluation-spark/expected.json"),
            model: projectRoot.appendingPathComponent("models/car-evaluation-spark/pipeline"))
        let stage = try SparkMLStage(name: "car", modelURL: fixture.model, schema: nil)
        #expect(stage.stageClasses.map { String($0.split(separator: ".").last!) } == [
            "StringIndexerModel", "OneHotEncoderModel", "VectorAssembler", "SparkXGBClassifierModel", "IndexToString",
        ])
        #expect(stage.inputs.map(\.name) == ["buying", "maint", "doors", "persons", "lug_boots", "safety"])
        #expect(stage.inputs.allSatisfy { $0.type == .string })
        #expect(fixture.expected.count == fixture.rows.count)
        // Not bit for bit: one of the four probabilities differs from
        // SparkXGB's in the last float bit on some rows (plain XGBoost
        // multi-class fixtures match exactly; cause not yet found).
        try checkAgainstSpark(fixture, stage: stage)
    }

    static let adultFixtures = ["adult-lr", "adult-rf", "adult-gbt", "adult-xgb", "adult-xgb-missing0"]

    @Test(arguments: adultFixtures)
    func adultPipelineEqualsSpark(_ name: String) throws {
        let fixture = try SparkFixture.named(name)
        let stage = try SparkMLStage(name: name, modelURL: fixture.model, schema: nil)
        #expect(fixture.rows.count == 62)
        // Bit for bit, except logistic regression's 105-term dot products,
        // which Spark adds in its BLAS's order.
        try checkAgainstSpark(fixture, stage: stage, exact: name != "adult-lr")
    }

    /// The same pipeline saved with zstd and uncompressed Parquet gives Spark's output.
    @Test(arguments: ["adult-lr-zstd", "adult-lr-uncompressed"])
    func otherCodecsGiveTheSameOutput(_ directory: String) throws {
        let fixture = try SparkFixture.named("adult-lr", model: directory)
        let parquet = try FileManager.default.subpathsOfDirectory(atPath: fixture.model.path).filter { $0.hasSuffix(".parquet") }
        let codec = directory.hasSuffix("zstd") ? ".zstd.parquet" : "c000.parquet"
        #expect(!parquet.isEmpty && parquet.allSatisfy { $0.hasSuffix(codec) })
        try checkAgainstSpark(fixture, stage: try SparkMLStage(name: directory, modelURL: fixture.model, schema: nil))
    }

    /// Issue item 5: the assembled vector Spark stores sparse feeds XGBoost
    /// dense, zeros as values. Treating implicit zeros as missing (what a
    /// CSR hand-off does) changes P(>50K) by up to 0.99 on these rows, so
    /// matching Spark here is a real check.
    @Test func sparseAssembledZerosAreValuesForXGBoost() throws {
        let fixture = try SparkFixture.named("adult-xgb")
        let stage = try SparkMLStage(name: "xgb", modelURL: fixture.model, schema: nil)
        let frame = try fixture.frame(rows: fixture.rows)
        let out = try stage.transformAll(frame)
        let probability = try #require(out.column("probability"))
        guard case .vector(let block) = probability.values else { Issue.record("probability is not a vector"); return }
        let wrong = (fixture.json["zeros_as_missing_probability"] as? [NSNumber] ?? []).map(\.doubleValue)
        #expect(wrong.count == fixture.rows.count)
        let spark = (0..<fixture.rows.count).map { row -> ComparedValue in
            guard let values = fixture.expected[row]?["probability"] as? [Any], values.count == 2 else { return .missing }
            return number(values[1])
        }
        let ours = (0..<block.rowCount).map { ComparedValue.number(block[$0, 1]) }
        let result = NumericComparison(ours, spark, tolerance: .absolute(1e-6), label: "P(>50K)")
        #expect(result.matches, "\(result)")
        // The wrong answers must really be wrong: far from Spark's somewhere.
        let gap = NumericComparison(wrong.map(ComparedValue.number), spark, tolerance: .absolute(0.5))
        #expect(gap.countsMatch && gap.mismatches > 0 && gap.worstDifference > 0.5,
                "zeros-as-missing would differ from Spark by \(gap.worstDifference)")
        // Most assembled rows really contain zeros.
        let assembled = try #require(out.column("assembled"))
        guard case .vector(let features) = assembled.values else { return }
        #expect(features.storage.filter { $0 == 0 }.count > features.storage.count / 2)
    }

    @Test func aSparkXGBModelsOwnMissingValueIsHonoured() throws {
        let stage = try SparkMLStage(name: "m0", modelURL: sparkFixtures.appendingPathComponent("adult-xgb-missing0"), schema: nil)
        let facts = stage.facts.flatMap { [$0] + $0.children.flatMap { [$0] + $0.children } }
        #expect(facts.contains { $0.label == "missing" && $0.value == "0.0" })
    }
}
