import ConveyorCore
import Foundation
import Testing

@testable import MLeap

/// Newer attribute layouts, checked against what the same real bundle
/// declares elsewhere (e.g. the assembler's input_shapes).
@Suite struct LayoutTests {
    func node(_ bundle: String, op: String) throws -> BundleNode {
        let nodes = try MLeapBundle(url: shared(bundle)).nodes
        return try #require(nodes.first { $0.op == op })
    }

    @Test func spark3LabelsArrayLayout() throws {
        let indexer = try StringIndexer(try node("rstudio-sff-text-classifier/sff.zip", op: "string_indexer"))
        #expect(indexer.labels == [["great", "other"]])
        #expect(indexer.handleInvalid == .keep)
        let out = try indexer.transform(
            try Frame(columns: [.strings("score", ["other", "great", "meh"])]), stage: "s")
        #expect(try #require(out.column("label")).scalarDoubles() == [1, 0, 2])
    }

    @Test func categorySizesLayoutWidthMatchesAssemblerShape() throws {
        let bundle = "sparkctr-inn-mlp/inn.model.mleap.zip"
        let encoder = try OneHotEncoder(try node(bundle, op: "one_hot_encoder"))
        let assembler = try node(bundle, op: "vector_assembler")
        let declared = assembler.attributes["input_shapes"]?.raw["data_shape"]?.array?.first?["tensorShape"]?[
            "dimensions"]?.array?.first?["size"]?.double
        #expect(encoder.outputs[0].type.vectorWidth == declared.map { Int($0) })
        #expect(encoder.outputs[0].type.vectorWidth == 2)
    }

    @Test func sparkBucketizerWithInfiniteSplits() throws {
        let url = shared("mleap-docs-spark-parity-52/bundles/org.apache.spark.ml.parity.feature.BucketizerParitySpec.zip")
        let stage = try MLeapStage(name: "b", bundleURL: url, schema: nil)
        // splits [-inf, 1000, 10000, +inf]
        let out = try stage.transform(try Frame(columns: [.doubles("loan_amount", [-5, 999, 1000, 5000, 10000, 1e9])]))
        #expect(try #require(out.column("loan_amount_bucket")).scalarDoubles() == [0, 0, 1, 1, 2, 2])
    }

    @Test func pythonWriterOneHotKeepsEveryCategory() throws {
        // MLeap 0.8.1's scikit-learn writer: size = category count, drop_last true,
        // yet the vector keeps all categories (the assembler downstream declares 3 wide in sklearn's output).
        let encoder = try OneHotEncoder(
            try node("mleap-py-one-hot-encoder-pipeline/one_hot_encoder_pipeline.zip", op: "one_hot_encoder"))
        #expect(encoder.outputs[0].type.vectorWidth == 3)
    }
}
