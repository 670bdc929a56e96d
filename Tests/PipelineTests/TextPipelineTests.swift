import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import Pipeline

/// A pipeline whose input is free text: the rstudio sff review classifier
/// (tokenizer → stop words → hashing TF → normalizer → logistic regression),
/// fed JSON and compared with Spark's outputs for the same reviews
/// (Tests/Fixtures/spark-parity/expected-text, training/spark_parity_text.py).
@Suite struct TextPipelineTests {
    let pipeline: Pipeline
    let spark: [String: Any]

    init() throws {
        let bundle = sharedFile("mleap-bundles/rstudio-sff-text-classifier/sff.zip").path
        let definition = """
            {"name": "sff-text", "stages": [{"name": "classifier", "kind": "mleap", "model": "\(bundle)",
              "schema": {"input": [{"name": "review", "type": "string"}, {"name": "score", "type": "string"}],
                         "output": [{"name": "wo_stop_words", "type": "string", "struct": "array"},
                                    {"name": "probability", "type": "double", "struct": "vector"},
                                    {"name": "prediction", "type": "double"}]}}],
             "output": ["wo_stop_words", "probability", "prediction"]}
            """
        pipeline = try PipelineLoader().load(contentsOf: try writePipeline(definition, in: try temporaryFolder()))
        let data = try Data(contentsOf: repoFile("Tests/Fixtures/spark-parity/expected-text/rstudio-sff-text-classifier.json"))
        spark = try #require(try ExactJSON.object(with: data) as? [String: Any])
    }

    @Test func inputAndOutputTypes() {
        #expect(pipeline.inputs.map(\.description) == ["review: string", "score: string"])
        #expect(pipeline.outputs.map(\.type) == [.stringList, .vector(3), .double])
    }

    @Test func jsonReviewsGiveSparksPredictions() async throws {
        let inputs = try #require((spark["inputs"] as? [String: Any])?["review"] as? [String])
        let outputs = try #require(spark["outputs"] as? [String: [String: Any]])
        let reviews = Array(inputs.prefix(5))
        let body = try JSONSerialization.data(withJSONObject: ["instances": reviews.map { ["review": $0, "score": ""] }])
        let response = try await pipeline.predict(Array(body), contentType: "application/json", accept: "application/json")
        let json = try #require(try ExactJSON.object(with: Data(response)) as? [String: Any])
        let rows = try #require(json["predictions"] as? [[String: Any]])
        #expect(rows.count == reviews.count)
        let wantWords = try #require(outputs["wo_stop_words"]?["rows"] as? [[String]])
        let wantPrediction = try #require(outputs["prediction"]?["rows"] as? [Double])
        let wantProbability = try #require(outputs["probability"]?["rows"] as? [[String: Any]])
        for (index, row) in rows.enumerated() {
            #expect(row["wo_stop_words"] as? [String] == wantWords[index], "row \(index + 1)")
            #expect(row["prediction"] as? Double == wantPrediction[index], "row \(index + 1)")
            let have = try #require(row["probability"] as? [Double])
            let want = try #require(wantProbability[index]["values"] as? [Double])
            let result = NumericComparison(have, want, tolerance: .relative(1e-9), label: "row \(index + 1) probability")
            #expect(result.matches, "\(result)")
        }
        #expect(Set(wantPrediction.prefix(5)).count == 2, "the reviews should reach both classes")
    }

    @Test func csvRequestIsFineButListOutputIsNotCSV() async throws {
        let error = await conveyorError {
            _ = try await pipeline.predict(Array("great food,other\n".utf8), contentType: "text/csv", accept: "text/csv")
        }
        #expect(error?.code == .unsupportedAccept)
        #expect(error?.column == "wo_stop_words")
    }
}
