import ConveyorCore
import Foundation
import Testing
@testable import Pipeline

/// The SageMaker Python SDK's inference-pipeline test, run as a Conveyor
/// pipeline: MLeap features → XGBoost from the container's pickled Booster.
@Suite struct TitanicPipelineTests {
    let pipeline: Pipeline

    init() throws {
        pipeline = try PipelineLoader().load(contentsOf: repoFile("pipelines/titanic.json"))
    }

    @Test func givesTheSDKsAssertedPrediction() async throws {
        let row = try String(contentsOf: sharedFile("mleap-bundles/sagemaker-pysdk-titanic-features/valid_input.csv"),
                             encoding: .utf8)
        #expect(row.hasPrefix("1.0,C,38.0,71.5,1.0,female"))
        let input = try pipeline.decoder.decodeRequest(Array(row.utf8), as: .csv).frame
        let output = try await pipeline.run(input)
        let score = try #require(output.column(pipeline.outputs[0].name)).scalarDoubles()
        #expect(score.count == 1)
        // test_inference_pipeline.py asserts the string '0.714013934135'.
        #expect(String(format: "%.12g", score[0]) == "0.714013934135")
    }

    @Test func invalidInputRowGivesAClearError() async throws {
        let row = try String(contentsOf: sharedFile("mleap-bundles/sagemaker-pysdk-titanic-features/invalid_input.csv"),
                             encoding: .utf8)
        let error = await conveyorError {
            _ = try await pipeline.predict(Array(row.utf8), contentType: "text/csv", accept: "text/csv")
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 1)
        // "1.0,28.0,C,38.0,71.5,1.0": 'C' lands in the numeric Age column.
        #expect(error?.column == "Age")
        #expect(error?.message.contains("'C'") == true)
    }

    @Test func inspectShowsThePickledSageMakerArtifact() throws {
        let facts = pipeline.stages[1].facts
        #expect(facts.contains(Fact("packaging", "SageMaker model.tar.gz (xgboost-model), pickled xgboost Booster")))
        #expect(facts.contains(Fact("format", "legacy_binary")))
        #expect(facts.contains(Fact("objective", "binary:logistic")))
        #expect(facts.contains(Fact("num_feature", "7")))
    }
}
