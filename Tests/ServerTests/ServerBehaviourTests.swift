import ConveyorCore
import ConveyorTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOPosix
import Pipeline
import Prometheus
import Testing
@testable import Server

@Suite struct ServerBehaviourTests {
    @Test func pingAndExecutionParameters() async throws {
        try await withLiveServer(try makeServer()) { client in
            #expect(try await client.execute(uri: "/ping", method: .get).status == .ok)
            let response = try await client.execute(uri: "/execution-parameters", method: .get)
            let object = try ExactJSON.object(with: Data(text(response).utf8)) as? [String: Any]
            #expect(object?["BatchStrategy"] as? String == "MULTI_RECORD")
            #expect(object?["MaxPayloadInMB"] as? Int == 6)
            #expect((object?["MaxConcurrentTransforms"] as? Int ?? 0) >= 1)
        }
    }

    /// SageMaker's direct invocation: the features stage alone returns the
    /// one-hot vector scikit-learn + mleap computed (features_expected.csv).
    @Test func targetContainerRunsOneStage() async throws {
        let csv = try String(contentsOf: repoFile("models/car-evaluation/features_expected.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().prefix(50).map { $0.split(separator: ",").map(String.init) }
        let body = rows.map { $0[0..<6].joined(separator: ",") }.joined(separator: "\n") + "\n"
        try await withLiveServer(try makeServer()) { client in
            let response = try await client.execute(
                uri: "/invocations", method: .post,
                headers: headers(["Content-Type": "text/csv", "X-Amzn-SageMaker-Target-Container-Hostname": "features"]),
                body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let lines = text(response).split(separator: "\n")
            #expect(lines.count == rows.count)
            for (index, (line, row)) in zip(lines, rows).enumerated() {
                let result = NumericComparison(parsing: line.split(separator: ",", omittingEmptySubsequences: false),
                                               Array(row[6...]), tolerance: .exact, label: "row \(index) features")
                #expect(result.matches, "\(result)")
            }
        }
    }

    @Test func traceIsOptInOnTheServerAndPerRequest() async throws {
        let body = ByteBuffer(string: "low,low,5more,more,big,high\n")
        try await withLiveServer(try makeServer(trace: .off)) { client in
            let response = try await client.execute(uri: "/invocations", method: .post,
                                                    headers: headers(["Content-Type": "text/csv", "X-Conveyor-Trace": "1"]),
                                                    body: body)
            #expect(response.headers[ConveyorServer.serverTimingHeader] == nil)
        }
        try await withLiveServer(try makeServer(trace: .debug)) { client in
            let plain = try await client.execute(uri: "/invocations", method: .post,
                                                 headers: headers(["Content-Type": "text/csv"]), body: body)
            #expect(plain.headers[ConveyorServer.serverTimingHeader] == nil)
            let timed = try await client.execute(uri: "/invocations", method: .post,
                                                 headers: headers(["Content-Type": "text/csv", "X-Conveyor-Trace": "1"]), body: body)
            let timing = try #require(timed.headers[ConveyorServer.serverTimingHeader])
            #expect(timing.hasPrefix("features;"))
            #expect(timing.contains("classifier;") && timing.contains("labels;") && timing.contains("dur="))
            #expect(text(timed).hasPrefix("vgood,"))

            let debug = try await client.execute(uri: "/invocations", method: .post,
                                                 headers: headers(["Content-Type": "text/csv", "X-Conveyor-Trace": "debug"]), body: body)
            let object = try #require(try ExactJSON.object(with: Data(text(debug).utf8)) as? [String: Any])
            let stages = try #require(object["stages"] as? [[String: Any]])
            #expect(stages.map { $0["name"] as? String } == ["features", "classifier", "labels"])
            let features = try #require((stages[0]["output"] as? [[String: Any]])?.first?["features"] as? [Double])
            #expect(features.count == 21)
            let label = (stages[1]["output"] as? [[String: Any]])?.first?["predicted_label"] as? Double
            #expect(label == 3)
            #expect(((object["response"] as? [String: Any])?["body"] as? String)?.hasPrefix("vgood,") == true)
        }
    }

    @Test func metricsCountRequestsRowsAndStageLatencies() async throws {
        let registry = PrometheusCollectorRegistry()
        try await withLiveServer(try makeServer(prometheus: registry)) { client in
            for _ in 0..<3 {
                _ = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                             body: ByteBuffer(string: "low,low,5more,more,big,high\nvhigh,vhigh,2,2,small,low\n"))
            }
            _ = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/xml"]),
                                         body: ByteBuffer(string: "x"))
            let metrics = text(try await client.execute(uri: "/metrics", method: .get))
            #expect(metrics.contains(#"conveyor_requests_total{pipeline="car-evaluation-sklearn",route="/invocations",status="200"} 3"#), "\(metrics)")
            #expect(metrics.contains(#"conveyor_requests_total{pipeline="car-evaluation-sklearn",route="/invocations",status="415"} 1"#))
            #expect(metrics.contains(#"conveyor_rows_total{pipeline="car-evaluation-sklearn"} 6"#))
            #expect(metrics.contains(#"conveyor_stage_duration_seconds_count{pipeline="car-evaluation-sklearn",stage="classifier"} 3"#))
            #expect(metrics.contains(#"conveyor_request_duration_seconds_bucket{pipeline="car-evaluation-sklearn""#))
        }
    }

    @Test func responsesCarryTheRequestID() async throws {
        try await withLiveServer(try makeServer()) { client in
            let first = try await client.execute(uri: "/ping", method: .get)
            let second = try await client.execute(uri: "/ping", method: .get)
            let id = try #require(first.headers[ConveyorServer.requestIDHeader])
            #expect(id != second.headers[ConveyorServer.requestIDHeader])
            #expect(first.headers[ConveyorServer.amazonRequestIDHeader] == id)
        }
    }

    /// Stage work must not run on a NIO event loop thread, whether a body is
    /// scored in its request's task or on the scoring threads.
    @Test func stagesRunOffTheEventLoop() async throws {
        let registry = StageRegistry.builtin.adding("probe") { context in ProbeStage(name: context.definition.name) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("probe.json")
        try Data(#"{"name": "probe", "stages": [{"name": "probe", "kind": "probe", "model": "none"}]}"#.utf8).write(to: file)
        let pipeline = try PipelineLoader(registry: registry).load(contentsOf: file)
        try await withLiveServer(try makeServer([pipeline])) { client in
            let response = try await client.execute(uri: "/invocations", method: .post,
                                                    headers: headers(["Content-Type": "text/csv"]), body: ByteBuffer(string: "1\n2\n"))
            #expect(text(response) == "0.0\n0.0\n", "1.0 means the stage ran on an event loop: \(text(response))")
            // Over `inlineScoringBytes`: the scoring threads, not a loop either.
            let large = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                 body: ByteBuffer(string: String(repeating: "1\n", count: 3000)))
            #expect(text(large) == String(repeating: "0.0\n", count: 3000), "1.0 means the stage ran on an event loop")
        }
    }
}

/// Writes 1 for each row when it runs on an event loop thread, else 0.
struct ProbeStage: Stage {
    var name: String
    var kind: String { "probe" }
    var inputs: [ColumnSpec] { [ColumnSpec("x", ColumnType(.double))] }
    var outputs: [ColumnSpec] { [ColumnSpec("on_event_loop", ColumnType(.double))] }
    var facts: [Fact] { [] }

    func transform(_ frame: Frame) async throws -> Frame {
        let onLoop = MultiThreadedEventLoopGroup.currentEventLoop != nil
        var result = frame
        try result.put(Column(name: "on_event_loop", type: ColumnType(.double),
                              values: .double(Array(repeating: onLoop ? 1 : 0, count: frame.rowCount))))
        return result
    }
}
