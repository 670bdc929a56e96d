import Codecs
import ConveyorCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Pipeline
import Prometheus
import Testing
@testable import Server

/// A model source over fixed pipelines: `/root/NAME` is `pipelines[NAME]`,
/// its estimated footprint `sizes[NAME]` bytes (factor 1).
func fixedModelSource(budget: Int, _ models: [String: (pipeline: Pipeline, bytes: Int)],
                      loadSeconds: Double = 0, loads: LoadCounter = LoadCounter()) -> ModelSource {
    ModelSource(
        root: "/root", budgetBytes: budget, footprintFactor: 1,
        prepare: { url in
            guard url.hasPrefix("/root/") else { throw ConveyorError(.modelLoadingForbidden, "\(url) is not under /root") }
            let name = String(url.dropFirst("/root/".count))
            guard let model = models[name] else { throw ConveyorError(.notFound, "no model at \(url)") }
            return PreparedModel(definition: model.pipeline.definition, base: URL(fileURLWithPath: "/root"),
                                 sourceURL: URL(fileURLWithPath: url), artifactBytes: model.bytes)
        },
        load: { prepared in
            loads.add()
            if loadSeconds > 0 { Thread.sleep(forTimeInterval: loadSeconds) }
            guard let model = models[prepared.sourceURL.lastPathComponent] else {
                throw ConveyorError(.modelLoadFailed, "vanished")
            }
            return model.pipeline
        })
}

/// How many times a test model source loaded a model.
final class LoadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

func multiModelServer(budget: Int, _ models: [String: (pipeline: Pipeline, bytes: Int)],
                      registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) throws -> ConveyorServer {
    ConveyorServer(
        catalog: try PipelineCatalog([carPipeline]),
        configuration: ServerConfiguration(host: "127.0.0.1", port: 0, limits: patientLimits),
        logger: testLogger, metricsFactory: PrometheusMetricsFactory(registry: registry), prometheus: registry,
        models: fixedModelSource(budget: budget, models))
}

func loadRequest(_ name: String, _ url: String) -> ByteBuffer {
    ByteBuffer(string: #"{"model_name": "\#(name)", "url": "\#(url)"}"#)
}

/// SageMaker's multi-model container contract, status by status.
@Suite struct MultiModelTests {
    static let row = "low,low,5more,more,big,high\n"
    static let three: [String: (pipeline: Pipeline, bytes: Int)] = [
        "a": (carPipeline, 100), "b": (carPipeline, 100), "c": (carPipeline, 100), "huge": (carPipeline, 1000),
    ]

    @Test func everyStatusOfTheContract() async throws {
        try await withLiveServer(try multiModelServer(budget: 250, Self.three)) { client in
            func post(_ name: String, _ url: String) async throws -> TestResponse {
                try await client.execute(uri: "/models", method: .post, headers: headers(["Content-Type": "application/json"]),
                                         body: loadRequest(name, url))
            }
            #expect(try await post("a", "/root/a").status.code == 200)
            #expect(try await post("a", "/root/a").status.code == 409, "already loaded")
            #expect(try await post("b", "/root/b").status.code == 200)
            let full = try await post("c", "/root/c")
            #expect(full.status.code == 507, "a full budget: the platform unloads, not the container")
            #expect(errorObject(full)?["code"] as? String == "insufficient_memory")
            #expect(try await post("huge", "/root/huge").status.code == 507)
            #expect(try await post("x", "/elsewhere/x").status.code == 403, "outside the model root")
            #expect(try await post("x", "/root/missing").status.code == 404)
            let bad = try await client.execute(uri: "/models", method: .post, body: ByteBuffer(string: "{\"url\": 3}"))
            #expect(bad.status.code == 400)

            let list = try await client.execute(uri: "/models", method: .get)
            #expect(list.status.code == 200)
            let models = try #require(try JSONSerialization.jsonObject(with: Data(text(list).utf8)) as? [String: Any])
            let names = (models["models"] as? [[String: Any]])?.compactMap { $0["modelName"] as? String }
            #expect(names == ["car-evaluation-sklearn", "a", "b"])

            let one = try await client.execute(uri: "/models/a", method: .get)
            #expect(one.status.code == 200)
            #expect(text(one).contains(#""modelUrl":"\/root\/a""#) || text(one).contains(#""modelUrl":"/root/a""#), "\(text(one))")
            #expect(try await client.execute(uri: "/models/c", method: .get).status.code == 404)

            let csv = headers(["Content-Type": "text/csv"])
            let invoked = try await client.execute(uri: "/models/a/invoke", method: .post, headers: csv, body: ByteBuffer(string: Self.row))
            #expect(invoked.status.code == 200)
            #expect(text(invoked).hasPrefix("vgood,"))
            #expect(try await client.execute(uri: "/models/c/invoke", method: .post, headers: csv,
                                             body: ByteBuffer(string: Self.row)).status.code == 404)

            #expect(try await client.execute(uri: "/models/a", method: .delete).status.code == 200)
            #expect(try await client.execute(uri: "/models/a", method: .delete).status.code == 404)
            #expect(try await client.execute(uri: "/models/car-evaluation-sklearn", method: .delete).status.code == 409,
                    "a pipeline given at start cannot be unloaded")
            #expect(try await post("c", "/root/c").status.code == 200, "room again once 'a' is unloaded")
        }
    }

    @Test func loadingIsRefusedWhenMultiModelIsOff() async throws {
        try await withLiveServer(try makeServer()) { client in
            let response = try await client.execute(uri: "/models", method: .post, body: loadRequest("a", "/tmp/a"))
            #expect(response.status.code == 403)
            #expect(errorObject(response)?["code"] as? String == "model_loading_forbidden")
            #expect(try await client.execute(uri: "/models", method: .get).status.code == 200)
            let target = try await client.execute(
                uri: "/invocations", method: .post,
                headers: headers(["Content-Type": "text/csv", "X-Amzn-SageMaker-Target-Model": "a"]), body: ByteBuffer(string: Self.row))
            #expect(target.status.code == 404)
        }
    }

    @Test func targetModelLoadsLazilyAndUnloadsTheLeastRecentlyUsed() async throws {
        let registry = PrometheusCollectorRegistry()
        try await withLiveServer(try multiModelServer(budget: 250, Self.three, registry: registry)) { client in
            func invoke(_ target: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/endpoints/any/invocations", method: .post,
                    headers: headers(["Content-Type": "text/csv", "X-Amzn-SageMaker-Target-Model": target]),
                    body: ByteBuffer(string: Self.row))
            }
            for target in ["a", "b", "a", "c"] {
                let response = try await invoke(target)
                #expect(response.status.code == 200, "\(target): \(text(response))")
            }
            // 'b' was the least recently used when 'c' needed room.
            let list = text(try await client.execute(uri: "/models", method: .get))
            #expect(list.contains(#""modelName":"a""#) && list.contains(#""modelName":"c""#) && !list.contains(#""modelName":"b""#), "\(list)")
            let huge = try await invoke("huge")
            #expect(huge.status.code == 507, "\(text(huge))")
            #expect(try await invoke("nothing").status.code == 404)
            #expect(try await invoke("../a").status.code == 404, "nothing outside the root is reachable")
            // A pipeline given at start, by name or as name/version.
            #expect(try await invoke("car-evaluation-sklearn").status.code == 200)
            #expect(try await invoke("car-evaluation-sklearn/1").headers[HTTPField.Name("X-Conveyor-Pipeline-Version")!] == "1")
            #expect(try await invoke("car-evaluation-sklearn/7").status.code == 404)
        }
        let metrics = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        #expect(metrics.contains(#"conveyor_model_events_total{event="evicted"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"conveyor_model_events_total{event="loaded"} 3"#))
    }

    @Test func aModelUnloadedMidRequestFinishesAndStaysCountedUntilThen() async throws {
        let registry = ModelRegistry(source: fixedModelSource(budget: 250, Self.three),
                                     metrics: ServerMetrics(factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())),
                                     logger: testLogger)
        _ = try await registry.load(name: "a", url: "/root/a")
        let lease = try #require(registry.acquire(name: "a"))
        _ = try registry.unload(name: "a")
        #expect(registry.acquire(name: "a") == nil, "gone from routing at once")
        #expect(registry.usedBytes == 100, "but its bytes stay counted while a request uses it")
        let frame = try FrameDecoder(inputs: lease.pipeline.inputs).decodeRequest(Array(Self.row.utf8), as: .csv).frame
        let output = try await lease.pipeline.run(frame)
        #expect(output.rowCount == 1, "the unloaded pipeline still answers its request")
        lease.release?()
        #expect(registry.usedBytes == 0)
        // Busy models are never unloaded to make room.
        _ = try await registry.load(name: "b", url: "/root/b")
        let heldB = try #require(registry.acquire(name: "b"))
        let heldA = try await registry.acquire(target: "a")
        await #expect {
            _ = try await registry.acquire(target: "c")
        } throws: { error in
            (error as? ConveyorError)?.code == .insufficientMemory
        }
        heldA.release?()
        let c = try await registry.acquire(target: "c")
        c.release?()
        #expect(registry.models.map(\.name) == ["b", "c"], "idle 'a' made room; busy 'b' stayed")
        heldB.release?()
    }

    @Test func concurrentRequestsForOneModelLoadItOnce() async throws {
        let loads = LoadCounter()
        let registry = ModelRegistry(source: fixedModelSource(budget: 250, Self.three, loadSeconds: 0.3, loads: loads),
                                     metrics: ServerMetrics(factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())),
                                     logger: testLogger)
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let served = try await registry.acquire(target: "a")
                    defer { served.release?() }
                    return served.version
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(versions.count == 8)
        #expect(loads.value == 1, "eight requests, one load")
        #expect(registry.usedBytes == 100)
    }
}
