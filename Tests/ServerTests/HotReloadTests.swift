import ConveyorCore
import ConveyorTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Pipeline
import Prometheus
import Testing
@testable import Server

/// A repository pipeline file rewritten with another name and absolute model
/// paths, so a copy anywhere loads the same models.
func relocatedPipeline(_ path: String, name: String) throws -> Data {
    let folder = repoFile(path).deletingLastPathComponent()
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: repoFile(path))) as? [String: Any])
    object["name"] = name
    var stages = try #require(object["stages"] as? [[String: Any]])
    for index in stages.indices {
        if let model = stages[index]["model"] as? String, !model.hasPrefix("/") {
            stages[index]["model"] = folder.appendingPathComponent(model).standardizedFileURL.path
        }
    }
    object["stages"] = stages
    return try JSONSerialization.data(withJSONObject: object)
}

/// Hot reload: versions, atomic swaps, failures that keep the old version.
@Suite struct HotReloadTests {
    static let row = "low,low,5more,more,big,high\n"
    /// The Spark pipeline's and the scikit-learn pipeline's answers differ in their digits.
    static let spark = "vgood,0.0015658152988180518,0.018557297065854073,0.06201612204313278,0.9178608059883118\n"
    static let sklearn = "vgood,0.001994362,0.012184694,0.00026305587,0.985558\n"

    @Test func installAddsVersionsAndKeepsTheNewest() throws {
        let served = ServedPipelines(try PipelineCatalog([carPipeline]), keepVersions: 2)
        #expect(served.primary.version == 1)
        #expect(served.install(carPipeline) == 2)
        #expect(served.install(carPipeline) == 3)
        #expect(served.versionNumbers(of: carPipeline.name) == [2, 3])
        #expect(served.pipeline(named: carPipeline.name)?.version == 3)
        #expect(served.pipeline(named: carPipeline.name, version: 2)?.version == 2)
        #expect(served.pipeline(named: carPipeline.name, version: 1) == nil)
    }

    @Test func aChangedFolderIsSwappedInAndABrokenOneKeepsTheOld() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("car.json")
        try relocatedPipeline("pipelines/car-evaluation-sklearn.json", name: "car").write(to: file, options: .atomic)
        let load: @Sendable () throws -> [Pipeline] = { [try PipelineLoader().load(contentsOf: file)] }
        let registry = PrometheusCollectorRegistry()
        let server = ConveyorServer(
            catalog: try PipelineCatalog(load()),
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, limits: patientLimits), logger: testLogger,
            metricsFactory: PrometheusMetricsFactory(registry: registry), prometheus: registry,
            reload: ReloadConfiguration(paths: [folder], interval: .milliseconds(50), reload: load))
        let watcher = try #require(server.watcher)
        let watching = Task { try await watcher.run() }
        defer { watching.cancel() }
        try await withLiveServer(server) { client in
            func score() async throws -> (version: String?, body: String) {
                let response = try await client.execute(uri: "/invocations", method: .post,
                                                        headers: headers(["Content-Type": "text/csv"]), body: ByteBuffer(string: Self.row))
                #expect(response.status == .ok)
                return (response.headers[HTTPField.Name("X-Conveyor-Pipeline-Version")!], text(response))
            }
            func waitForVersion(_ version: String) async throws {
                for _ in 0..<200 where try await score().version != version {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let first = try await score()
            #expect(first.version == "1" && first.body == Self.sklearn, "\(first)")
            try relocatedPipeline("pipelines/car-evaluation.json", name: "car").write(to: file, options: .atomic)
            try await waitForVersion("2")
            let second = try await score()
            #expect(second.version == "2" && second.body == Self.spark, "\(second)")
            // The previous version stays addressable.
            let old = try await client.execute(
                uri: "/invocations", method: .post,
                headers: headers(["Content-Type": "text/csv", "X-Amzn-SageMaker-Target-Model": "car/1"]), body: ByteBuffer(string: Self.row))
            #expect(text(old) == Self.sklearn)
            // The Open Inference Protocol sees the same versions.
            let metadata = text(try await client.execute(uri: "/v2/models/car", method: .get))
            #expect(metadata.contains(#""versions":["1","2"]"#), "\(metadata)")
            #expect(try await client.execute(uri: "/v2/models/car/versions/1/ready", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/v2/models/car/versions/3/ready", method: .get).status == .notFound)

            // A broken replacement: reported, and version 2 keeps serving.
            try Data(#"{"name": "car", "stages": [{"name": "x", "kind": "xgboost", "model": "/nonexistent.json"}]}"#.utf8)
                .write(to: file, options: .atomic)
            var failed = false
            for _ in 0..<200 where !failed {
                try await Task.sleep(for: .milliseconds(50))
                failed = String(decoding: registry.emitToBuffer(), as: UTF8.self)
                    .contains(#"conveyor_pipeline_reloads_total{result="failed"} 1"#)
            }
            #expect(failed, "the failed reload is counted")
            let kept = try await score()
            #expect(kept.version == "2" && kept.body == Self.spark, "\(kept)")
        }
    }
}
