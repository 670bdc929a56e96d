import AsyncHTTPClient
import ConveyorTestSupport
import Foundation
import Testing

/// `conveyor serve` as SageMaker starts it (`docker run IMAGE serve`): no
/// --pipeline, the model extracted at /opt/ml/model (here
/// `CONVEYOR_MODEL_DIR`), the port from SAGEMAKER_BIND_TO_PORT (`--port 0`
/// here wins, as an explicit option does).
@Suite(.serialized) struct ModelDirectoryServeTests {
    @Test func servesTheModelFolderAsSageMakerLaysItOut() async throws {
        let objectives = projectRoot.appendingPathComponent("Tests/Fixtures/xgboost-objectives/3.4.1")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: objectives.appendingPathComponent("reg_quantileerror.ubj"),
                                         to: folder.appendingPathComponent("xgboost-model"))
        let server = try await ServeProcess([], environment: ["CONVEYOR_MODEL_DIR": folder.path,
                                                              "SAGEMAKER_BIND_TO_PORT": "1"])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let inputs = try String(contentsOf: objectives.appendingPathComponent("inputs_adult.csv"), encoding: .utf8)
            let (status, body) = try await post(client, server.url, inputs)
            #expect(status == 200, "\(body.prefix(300))")
            let expected = try String(contentsOf: objectives.appendingPathComponent("reg_quantileerror.pred.csv"),
                                      encoding: .utf8).split(separator: "\n").flatMap { $0.split(separator: ",") }
                .map { try #require(Double($0)) }
            // Float32 results as their shortest text: read back as float32.
            let actual = body.split(separator: "\n").flatMap { $0.split(separator: ",") }
                .map { Float($0).map(Double.init) ?? .nan }
            let comparison = NumericComparison(actual, expected, tolerance: .exact, columns: 3, label: "quantiles")
            #expect(comparison.matches, "\(comparison)")
        } catch {
            Issue.record(error)
        }
        try await client.shutdown()
        #expect(try await server.terminate() == 0)
    }
}
