import ConveyorTestSupport
import Foundation
import Testing

/// `conveyor predict` and `inspect` on a pipeline whose input is free text
/// (the rstudio sff review classifier): JSON Lines in and out, compared
/// with Spark's predictions for the same reviews
/// (Tests/Fixtures/spark-parity/expected-text, training/spark_parity_text.py).
@Suite struct TextPredictTests {
    let pipeline: URL

    init() throws {
        let bundle = projectRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/mleap-bundles/rstudio-sff-text-classifier/sff.zip").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        pipeline = folder.appendingPathComponent("sff.json")
        try Data("""
            {"name": "sff-text", "stages": [{"name": "classifier", "kind": "mleap", "model": "\(bundle)",
              "schema": {"input": [{"name": "review", "type": "string"}, {"name": "score", "type": "string"}],
                         "output": [{"name": "wo_stop_words", "type": "string", "struct": "array"},
                                    {"name": "prediction", "type": "double"}]}}],
             "output": ["wo_stop_words", "prediction"]}
            """.utf8).write(to: pipeline)
    }

    @Test func jsonLinesReviewsGiveSparksPredictions() async throws {
        let url = projectRoot.appendingPathComponent("Tests/Fixtures/spark-parity/expected-text/rstudio-sff-text-classifier.json")
        let spark = try #require(try ExactJSON.object(with: Data(contentsOf: url)) as? [String: Any])
        let reviews = Array(try #require((spark["inputs"] as? [String: Any])?["review"] as? [String]).prefix(4))
        let outputs = try #require(spark["outputs"] as? [String: [String: Any]])
        let words = try #require(outputs["wo_stop_words"]?["rows"] as? [[String]])
        let predictions = try #require(outputs["prediction"]?["rows"] as? [Double])

        let input = try reviews.map { review in
            String(decoding: try JSONSerialization.data(withJSONObject: ["review": review, "score": ""]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
        let result = try await conveyor(["predict", "--pipeline", pipeline.path, "--content-type", "application/jsonlines",
                                   "--accept", "application/jsonlines"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == reviews.count)
        for (index, line) in lines.enumerated() {
            let row = try #require(try ExactJSON.object(with: Data(line.utf8)) as? [String: Any])
            #expect(row["wo_stop_words"] as? [String] == words[index], "row \(index + 1)")
            #expect(row["prediction"] as? Double == predictions[index], "row \(index + 1)")
        }
    }

    @Test func csvOutputOfAListColumnIsRefusedNamingIt() async throws {
        let result = try await conveyor(["predict", "--pipeline", pipeline.path], input: "great food,x\n")
        #expect(result.status != 0)
        #expect(result.stderr.contains("CSV cannot carry 'wo_stop_words'"))
    }

    @Test func inspectJSONSpellsListsAsArrays() async throws {
        let result = try await conveyor(["inspect", "--json", pipeline.path])
        #expect(result.status == 0, "\(result.stderr)")
        let doc = try #require(try ExactJSON.object(with: Data(result.stdout.utf8)) as? [String: Any])
        let outputs = try #require(doc["output"] as? [[String: Any]])
        #expect(outputs.first?["name"] as? String == "wo_stop_words")
        #expect(outputs.first?["struct"] as? String == "array")
        #expect(outputs.first?["type"] as? String == "string")
    }
}
