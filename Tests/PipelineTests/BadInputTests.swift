import Codecs
import ConveyorCore
import Foundation
import Testing
@testable import Pipeline

/// Every kind of bad input or bad artifact gives a ConveyorError that names
/// where it happened: row and column for rows, the stage for models.
@Suite struct BadInputTests {
    let car: Pipeline

    init() throws {
        car = try PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation-sklearn.json"))
    }

    func predict(_ text: String, _ pipeline: Pipeline? = nil) async throws {
        _ = try await (pipeline ?? car).predict(Array(text.utf8), contentType: "text/csv", accept: "text/csv")
    }

    @Test func wrongColumnCountNamesTheRow() async throws {
        let error = await conveyorError { try await predict("low,low,5more,more,big,high\nlow,low,5more,more,big\n") }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 2)
        #expect(error?.message.contains("5") == true)
    }

    @Test func unseenCategoryNamesStageRowAndColumn() async throws {
        let error = await conveyorError { try await predict("low,low,5more,more,big,high\nlow,low,5more,more,huge,high\n") }
        #expect(error?.code == .invalidInput)
        #expect(error?.stage == "features")
        #expect(error?.row == 2)
        #expect(error?.column == "lug_boots")
        #expect(error?.message.contains("'huge'") == true)
    }

    @Test func aNullCategoryIsRefusedToo() async throws {
        let error = await conveyorError { try await predict("low,,5more,more,big,high\n") }
        #expect(error?.stage == "features")
        #expect(error?.column == "maint")
    }

    @Test func emptyInputIsRefused() async throws {
        #expect(await conveyorError { try await predict("") }?.code == .emptyInput)
        #expect(await conveyorError { try await predict("\n\n") }?.code == .emptyInput)
    }

    @Test func aNonNumberInANumericColumnNamesRowAndColumn() async throws {
        let model = repoFile("Tests/Fixtures/xgboost/3.0.5/binary_logistic.json")
        let url = try writePipeline("""
            {"name": "adult", "stages": [{"name": "model", "kind": "xgboost", "model": "\(model.path)"}]}
            """, in: try temporaryFolder())
        let pipeline = try PipelineLoader().load(contentsOf: url)
        let good = "39,77516,13,2174,0,40,6,4,0,1"
        let error = await conveyorError { try await predict("\(good)\n39,abc,13,2174,0,40,6,4,0,1\n", pipeline) }
        #expect(error?.code == .invalidInput)
        #expect(error?.row == 2)
        #expect(error?.message.contains("'abc'") == true)
    }

    @Test func unsupportedContentTypeAndAccept() async throws {
        let body = Array("low,low,5more,more,big,high\n".utf8)
        #expect(await conveyorError { _ = try await car.predict(body, contentType: "text/libsvm", accept: nil) }?.code == .unsupportedContentType)
        #expect(await conveyorError { _ = try await car.predict(body, contentType: nil, accept: "image/png") }?.code == .unsupportedAccept)
    }
}

/// Broken artifacts and chains are refused at load, naming the stage.
@Suite struct BadPipelineTests {
    func load(stages: String) throws -> Pipeline {
        let url = try writePipeline(#"{"name": "broken", "stages": [\#(stages)]}"#, in: try temporaryFolder())
        return try PipelineLoader().load(contentsOf: url)
    }

    func xgboostStage(_ model: String) -> String {
        #"{"name": "classifier", "kind": "xgboost", "model": "\#(model)"}"#
    }

    @Test func missingModelFileNamesStageAndPath() throws {
        let error = conveyorError { _ = try load(stages: xgboostStage("/nonexistent/model.json")) }
        #expect(error?.code == .modelNotFound)
        #expect(error?.stage == "classifier")
        #expect(error?.message.contains("/nonexistent/model.json") == true)
    }

    @Test func relativeModelPathsResolveAgainstThePipelineFile() throws {
        let folder = try temporaryFolder()
        try FileManager.default.copyItem(at: repoFile("Tests/Fixtures/xgboost/2.1.4/binary_logistic.json"),
                                         to: folder.appendingPathComponent("model.json"))
        let url = try writePipeline(#"{"name": "p", "stages": [\#(xgboostStage("model.json"))]}"#, in: folder)
        #expect(try PipelineLoader().load(contentsOf: url).stages.count == 1)
    }

    /// A pipeline's own `content_type`/`accept` are checked when it loads, not
    /// at its first request (where they once fell back to CSV silently).
    @Test func unsupportedDefaultTypesAreRefusedAtLoad() throws {
        let folder = try temporaryFolder()
        try FileManager.default.copyItem(at: repoFile("Tests/Fixtures/xgboost/2.1.4/binary_logistic.json"),
                                         to: folder.appendingPathComponent("model.json"))
        let cases: [(key: String, value: String)] = [
            ("content_type", "text/plain"), ("accept", "image/png"), ("content_type", "text/csv; charset=latin-1"),
        ]
        for (key, value) in cases {
            let url = try writePipeline(#"{"name": "p", "\#(key)": "\#(value)", "stages": [\#(xgboostStage("model.json"))]}"#, in: folder)
            let error = conveyorError { _ = try PipelineLoader().load(contentsOf: url) }
            #expect(error?.code == .invalidPipeline)
            #expect(error?.message.contains("'\(key)' '\(value)'") == true, "\(error?.message ?? "no error")")
        }
        let url = try writePipeline(
            #"{"name": "p", "content_type": "application/jsonlines", "accept": "application/json", "stages": [\#(xgboostStage("model.json"))]}"#,
            in: folder)
        let pipeline = try PipelineLoader().load(contentsOf: url)
        #expect(pipeline.defaultContentType == .jsonLines)
        #expect(pipeline.defaultAccept == .json)
    }

    @Test func corruptAndTruncatedBundlesAreRefused() throws {
        let folder = try temporaryFolder()
        let bundle = try Data(contentsOf: repoFile("models/car-evaluation/features.zip"))
        let truncated = folder.appendingPathComponent("truncated.zip")
        try bundle.prefix(bundle.count / 2).write(to: truncated)
        let garbage = folder.appendingPathComponent("garbage.zip")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: garbage)
        for url in [truncated, garbage] {
            let stage = carFeaturesStage.replacingOccurrences(
                of: repoFile("models/car-evaluation/features.zip").path, with: url.path)
            let error = conveyorError { _ = try load(stages: stage) }
            #expect(error?.code == .modelCorrupt, "\(url.lastPathComponent): \(String(describing: error))")
            #expect(error?.stage == "features")
        }
    }

    @Test func corruptXGBoostModelIsRefused() throws {
        let folder = try temporaryFolder()
        let model = try Data(contentsOf: repoFile("Tests/Fixtures/xgboost/3.0.5/multi_softprob.ubj"))
        let truncated = folder.appendingPathComponent("truncated.ubj")
        try model.prefix(model.count * 2 / 3).write(to: truncated)
        let error = conveyorError { _ = try load(stages: xgboostStage(truncated.path)) }
        #expect(error?.code == .modelCorrupt)
        #expect(error?.stage == "classifier")
    }

    @Test func anUnknownMLeapOpIsRefusedNamingIt() throws {
        let bundle = sharedFile("mleap-bundles/rugobal-custom-ops/col-perc-mleap-test-spec.model.zip")
        let error = conveyorError {
            _ = try load(stages: #"{"name": "custom", "kind": "mleap", "model": "\#(bundle.path)"}"#)
        }
        #expect(error?.code == .unsupportedModel)
        #expect(error?.stage == "custom")
        #expect(error?.message.contains("column_percentage_estimator") == true)
    }

    @Test func aWidthMismatchNamesBothStages() throws {
        // The car features are 21 wide; this Adult model reads 10 features.
        let model = repoFile("Tests/Fixtures/xgboost/3.0.5/binary_logistic.json")
        let error = conveyorError { _ = try load(stages: carFeaturesStage + "," + xgboostStage(model.path)) }
        #expect(error?.code == .chainMismatch)
        #expect(error?.message.contains("'features'") == true)
        #expect(error?.message.contains("'classifier'") == true)
        #expect(error?.message.contains("21") == true)
        #expect(error?.message.contains("10") == true)
    }
}
