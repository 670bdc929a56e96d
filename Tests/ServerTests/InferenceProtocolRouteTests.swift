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

/// The Open Inference Protocol routes of a live server: health, metadata,
/// readiness, inference on the Car and Titanic pipelines (answers equal to
/// the training frameworks' and to `/invocations`'), and errors in the
/// protocol's `{"error": "…"}` shape.
@Suite struct InferenceProtocolRouteTests {
    static let columns = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]

    /// One BYTES tensor per Car column.
    static func carRequest(_ rows: [CarExpectation], id: String? = nil, outputs: [String]? = nil, nested: Bool = false) -> String {
        var object: [String: Any] = [
            "inputs": columns.enumerated().map { index, name -> [String: Any] in
                let values = rows.map { $0.inputs[index] }
                return ["name": name, "datatype": "BYTES", "shape": nested ? [rows.count, 1] : [rows.count],
                        "data": nested ? values.map { [$0] } : values]
            },
        ]
        if let id { object["id"] = id }
        if let outputs { object["outputs"] = outputs.map { ["name": $0] } }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ body: String,
                     headers extra: [String: String] = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers(extra), body: ByteBuffer(string: body))
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try ExactJSON.object(with: Data(text(response).utf8)) as? [String: Any], "\(text(response))")
    }

    static func outputs(_ response: TestResponse) throws -> [String: [String: Any]] {
        let list = try #require(try json(response)["outputs"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0) })
    }

    @Test func healthAndServerMetadata() async throws {
        try await withLiveServer(try makeServer()) { client in
            // Health: 200, and the state again in a body for KServe's client, which reads it.
            for (uri, key) in [("/v2/health/live", "live"), ("/v2/health/ready", "ready")] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                #expect(try Self.json(response)[key] as? Bool == true, "\(uri): \(text(response))")
            }
            for uri in ["/v2/models/car-evaluation-sklearn/ready", "/v2/models/car-evaluation-sklearn/versions/1/ready"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.body.readableBytes == 0, "\(uri)")
            }
            let server = try Self.json(try await client.execute(uri: "/v2", method: .get))
            #expect(server["name"] as? String == "conveyor")
            #expect(server["version"] as? String == ConveyorServer.version)
            #expect((server["extensions"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func modelMetadataListsTheColumnsAsTensors() async throws {
        try await withLiveServer(try makeServer()) { client in
            for uri in ["/v2/models/car-evaluation-sklearn", "/v2/models/car-evaluation-sklearn/versions/1"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(text(response) == #"{"name":"car-evaluation-sklearn","versions":["1"],"platform":"conveyor","inputs":["#
                    + Self.columns.map { #"{"name":"\#($0)","datatype":"BYTES","shape":[-1]}"# }.joined(separator: ",")
                    + #"],"outputs":[{"name":"predicted_class","datatype":"BYTES","shape":[-1]},"#
                    + #"{"name":"probabilities","datatype":"FP32","shape":[-1,4]}]}"#)
            }
        }
    }

    @Test func inferAllCarRowsEqualsTheTrainingFrameworksAndInvocations() async throws {
        try await withLiveServer(try makeServer()) { client in
            let response = try await Self.post(client, "/v2/models/car-evaluation-sklearn/infer", Self.carRequest(carExpected, id: "all"))
            #expect(response.status == .ok)
            let document = try Self.json(response)
            #expect(document["model_name"] as? String == "car-evaluation-sklearn")
            #expect(document["model_version"] as? String == "1")
            #expect(document["id"] as? String == "all")
            let outputs = try Self.outputs(response)
            let labels = try #require(outputs["predicted_class"])
            #expect(labels["datatype"] as? String == "BYTES")
            #expect(labels["shape"] as? [Int] == [1728])
            #expect(labels["data"] as? [String] == carExpected.map(\.label))
            let probabilities = try #require(outputs["probabilities"])
            #expect(probabilities["datatype"] as? String == "FP32")
            #expect(probabilities["shape"] as? [Int] == [1728, 4])
            let values = try #require(probabilities["data"] as? [Double])
            let result = NumericComparison(values, carExpected.flatMap(\.probabilities), tolerance: .absolute(1e-6),
                                           columns: 4, label: "probabilities")
            #expect(result.matches, "\(result)")

            // The same numbers as /invocations gives for the same rows, exactly.
            let invocations = try await Self.post(client, "/invocations", csvBody(carExpected),
                                                  headers: ["Content-Type": "text/csv", "Accept": "application/json"])
            let predictions = try #require(try Self.json(invocations)["predictions"] as? [[String: Any]])
            #expect(predictions.compactMap { $0["predicted_class"] as? String } == labels["data"] as? [String])
            #expect(predictions.flatMap { $0["probabilities"] as? [Double] ?? [] } == values)
        }
    }

    @Test func versionsNestedDataAndRequestedOutputs() async throws {
        let rows = Array(carExpected.prefix(3))
        try await withLiveServer(try makeServer()) { client in
            let flat = try await Self.post(client, "/v2/models/car-evaluation-sklearn/infer", Self.carRequest(rows))
            let nested = try await Self.post(client, "/v2/models/car-evaluation-sklearn/versions/1/infer",
                                             Self.carRequest(rows, nested: true))
            #expect(flat.status == .ok && nested.status == .ok)
            #expect(text(flat) == text(nested))
            #expect(try Self.json(flat)["id"] == nil)
            let chosen = try await Self.post(client, "/v2/models/car-evaluation-sklearn/infer",
                                             Self.carRequest(rows, outputs: ["predicted_class"]))
            let names = try #require(try Self.json(chosen)["outputs"] as? [[String: Any]]).map { $0["name"] as? String }
            #expect(names == ["predicted_class"])
            #expect(try Self.outputs(chosen)["predicted_class"]?["data"] as? [String] == rows.map(\.label))
        }
    }

    @Test func titanicTakesFP32AndBytesAndIntegersForItsFloatColumns() async throws {
        let titanic = try PipelineLoader().load(contentsOf: repoFile("pipelines/titanic.json"))
        try await withLiveServer(try makeServer([titanic])) { client in
            // The SageMaker SDK's row 1.0,C,38.0,71.5,1.0,female; its answer 0.714013934135.
            for numbers in ["FP32", "FP64", "INT64"] {
                let age = numbers == "INT64" ? "38" : "38.0"
                let fare = numbers == "INT64" ? "71" : "71.5"
                let body = #"{"inputs":[{"name":"Pclass","datatype":"\#(numbers)","shape":[1],"data":[1]},"#
                    + #"{"name":"Embarked","datatype":"BYTES","shape":[1],"data":["C"]},"#
                    + #"{"name":"Age","datatype":"\#(numbers)","shape":[1,1],"data":[[\#(age)]]},"#
                    + #"{"name":"Fare","datatype":"\#(numbers)","shape":[1],"data":[\#(fare)]},"#
                    + #"{"name":"SibSp","datatype":"\#(numbers)","shape":[1],"data":[1]},"#
                    + #"{"name":"Sex","datatype":"BYTES","shape":[1],"data":["female"]}]}"#
                let response = try await Self.post(client, "/v2/models/titanic/infer", body)
                #expect(response.status == .ok, "\(text(response))")
                let csv = try await Self.post(client, "/invocations", "1.0,C,38.0,\(fare),1.0,female\n",
                                              headers: ["Content-Type": "text/csv", "Accept": "application/json"])
                let expected = try #require(try Self.json(csv)["predictions"] as? [[String: Any]])
                let output = try #require(try Self.outputs(response).values.first)
                let value = try #require((output["data"] as? [Double])?.first)
                #expect(value == expected.first?.values.first as? Double, "\(numbers): \(text(response))")
                // A float32 answer, widened and printed to 12 digits as the SDK did.
                if numbers != "INT64" { #expect(String(format: "%.12g", Double(Float(value))) == "0.714013934135") }
            }
        }
    }

    /// (path, body, status, words of the error message).
    static let refusals: [(String, String, Int, String)] = [
        ("/v2/models/nope/infer", carRequest([carExpected[0]]), 404, "no model named 'nope'; this server has 'car-evaluation-sklearn'"),
        ("/v2/models/car-evaluation-sklearn/versions/2/infer", carRequest([carExpected[0]]), 404,
         "model 'car-evaluation-sklearn' has no version '2'; it has version 1"),
        ("/v2/models/car-evaluation-sklearn/infer", carRequest([carExpected[0]]).replacingOccurrences(of: #""buying""#, with: #""price""#),
         400, "unknown input tensor 'price'; the model's inputs are buying, maint"),
        ("/v2/models/car-evaluation-sklearn/infer", carRequest([carExpected[0]]).replacingOccurrences(of: "BYTES", with: "FP64"),
         400, "is FP64, but column"),
        ("/v2/models/car-evaluation-sklearn/infer",
         carRequest([carExpected[0]]).replacingOccurrences(of: #""small""#, with: #""huge""#),
         400, "stage 'features', row 1, column 'lug_boots': unseen label 'huge'"),
        ("/v2/models/car-evaluation-sklearn/infer", carRequest([carExpected[0]], outputs: ["nope"]), 400,
         "unknown output tensor 'nope'; the model's outputs are predicted_class, probabilities"),
        ("/v2/models/car-evaluation-sklearn/infer", "{", 400, "invalid JSON at byte 2"),
        ("/v2/models/car-evaluation-sklearn/infer", "", 400, "the request body is empty"),
        ("/v2/models/car-evaluation-sklearn/nothing", "{}", 404, "no route for POST /v2/models/car-evaluation-sklearn/nothing"),
    ]

    /// One server for every case: in-process servers share the test pool's threads.
    @Test func errorsComeInTheProtocolsShape() async throws {
        try await withLiveServer(try makeServer()) { client in
            for (path, body, status, words) in Self.refusals {
                let response = try await Self.post(client, path, body)
                #expect(response.status.code == status, "\(path): \(text(response))")
                #expect(response.headers[.contentType] == "application/json")
                let document = try Self.json(response)
                #expect(document.count == 1)
                let message = try #require(document["error"] as? String, "\(text(response))")
                #expect(message.contains(words), "\(message)")
            }
        }
    }

    @Test func unknownModelsAndVersionsAre404OnEveryRoute() async throws {
        try await withLiveServer(try makeServer()) { client in
            for uri in ["/v2/models/nope", "/v2/models/nope/ready", "/v2/models/car-evaluation-sklearn/versions/7",
                        "/v2/models/car-evaluation-sklearn/versions/7/ready"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(try Self.json(response)["error"] is String, "\(uri)")
            }
        }
    }

    @Test func theBinaryExtensionIsRefusedClearly() async throws {
        try await withLiveServer(try makeServer()) { client in
            let response = try await Self.post(client, "/v2/models/car-evaluation-sklearn/infer",
                                               Self.carRequest([carExpected[0]]), headers: ["Inference-Header-Content-Length": "10"])
            #expect(response.status == .unsupportedMediaType)
            #expect((try Self.json(response)["error"] as? String)?.contains("binary_data=False") == true)
        }
    }

    @Test func bodyLimitAndMetricsAreThoseOfInvocationsLabelledByRoute() async throws {
        let registry = PrometheusCollectorRegistry()
        try await withLiveServer(try makeServer(maxBodyBytes: 4096, prometheus: registry)) { client in
            let big = try await Self.post(client, "/v2/models/car-evaluation-sklearn/infer", Self.carRequest(Array(carExpected.prefix(200))))
            #expect(big.status == .contentTooLarge)
            #expect((try Self.json(big)["error"] as? String)?.contains("over the limit of 4096 bytes") == true)
            for _ in 0..<2 {
                let ok = try await Self.post(client, "/v2/models/car-evaluation-sklearn/infer", Self.carRequest(Array(carExpected.prefix(2))))
                #expect(ok.status == .ok)
            }
            _ = try await Self.post(client, "/invocations", "low,low,5more,more,big,high\n", headers: ["Content-Type": "text/csv"])
            let metrics = text(try await client.execute(uri: "/metrics", method: .get))
            #expect(metrics.contains(#"conveyor_requests_total{pipeline="car-evaluation-sklearn",route="/v2/models/{name}/infer",status="200"} 2"#),
                    "\(metrics)")
            #expect(metrics.contains(#"conveyor_requests_total{pipeline="car-evaluation-sklearn",route="/v2/models/{name}/infer",status="413"} 1"#))
            #expect(metrics.contains(#"conveyor_requests_total{pipeline="car-evaluation-sklearn",route="/invocations",status="200"} 1"#))
            #expect(metrics.contains(#"conveyor_rows_total{pipeline="car-evaluation-sklearn"} 5"#))
            #expect(metrics.contains(#"conveyor_stage_duration_seconds_count{pipeline="car-evaluation-sklearn",stage="features"} 3"#))
        }
    }
}
