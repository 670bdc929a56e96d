import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Pipeline
import Prometheus
import RemoteStage
import Testing
@testable import Server

/// The project root (this file is Tests/ServerTests/ServerTestSupport.swift).
let projectRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func repoFile(_ path: String) -> URL { projectRoot.appendingPathComponent(path) }

let testLogger: Logger = {
    var logger = Logger(label: "conveyor.tests")
    logger.logLevel = .critical
    return logger
}()

/// The bundled Car pipeline, loaded once for the whole test run.
let carPipeline: Pipeline = {
    // A broken checkout should fail the tests that use it, loudly.
    try! PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation-sklearn.json"))
}()

/// models/car-evaluation/expected.csv: the training frameworks' own
/// predictions for all 1,728 rows (training/car_evaluation.py).
struct CarExpectation {
    var inputs: [String]
    var label: String
    var probabilities: [Double]
}

let carExpected: [CarExpectation] = {
    let text = try! String(contentsOf: repoFile("models/car-evaluation/expected.csv"), encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { line in
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return CarExpectation(inputs: Array(fields[0..<6]), label: fields[7],
                              probabilities: fields[9..<13].map { Double($0)! })
    }
}()

/// Limits for in-process servers whose tests are not about timeouts.
/// HummingbirdTesting's live client connects before the test body runs;
/// with the default 10 s header timeout, a body starved that long by the
/// parallel run (loading a model, waiting for a core) found its connection
/// closed: "I/O on closed channel" in dozens of unrelated tests at once.
let patientLimits = ServerLimits(headerTimeout: .seconds(600), idleTimeout: .seconds(600))

/// `patientLimits` with the one limit a test is about changed.
func patientLimits(_ change: (inout ServerLimits) -> Void) -> ServerLimits {
    var limits = patientLimits
    change(&limits)
    return limits
}

/// A server over `pipelines` on 127.0.0.1 with a free port.
func makeServer(_ pipelines: [Pipeline] = [carPipeline], trace: ServerConfiguration.TraceMode = .off,
                maxBodyBytes: Int = 6 * 1024 * 1024, prometheus: PrometheusCollectorRegistry? = nil,
                defaultAccept: Codecs.MediaType? = nil) throws -> ConveyorServer {
    let registry = prometheus ?? PrometheusCollectorRegistry()
    return ConveyorServer(
        catalog: try PipelineCatalog(pipelines),
        configuration: ServerConfiguration(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes, trace: trace,
                                           defaultAccept: defaultAccept, limits: patientLimits),
        logger: testLogger,
        metricsFactory: PrometheusMetricsFactory(registry: registry),
        prometheus: registry)
}

/// Runs `body` against a live server (real sockets on 127.0.0.1).
func withLiveServer<Value: Sendable>(_ server: ConveyorServer,
                                     _ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
    try await server.makeApplication().test(.live) { client in try await body(client) }
}

func headers(_ pairs: [String: String]) -> HTTPFields {
    var fields = HTTPFields()
    for (name, value) in pairs { fields[HTTPField.Name(name)!] = value }
    return fields
}

func text(_ response: TestResponse) -> String { String(buffer: response.body) }

/// The `error` object of a JSON error body.
func errorObject(_ response: TestResponse) -> [String: Any]? {
    let object = try? ExactJSON.object(with: Data(text(response).utf8)) as? [String: Any]
    return object?["error"] as? [String: Any]
}

/// Checks a CSV response against the expected rows: label equal,
/// probabilities within 1e-6 (the training frameworks' float32).
func expectCSV(_ body: String, equals expected: [CarExpectation], sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = body.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    #expect(lines.count == expected.count, sourceLocation: sourceLocation)
    for (line, want) in zip(lines, expected) {
        #expect(line.count == 5 && line[0] == want.label, "\(line) vs \(want.label)", sourceLocation: sourceLocation)
    }
    let result = NumericComparison(parsing: lines.flatMap { $0.dropFirst() }, expected.flatMap(\.probabilities),
                                   tolerance: .absolute(1e-6), columns: 4, label: "probabilities")
    #expect(result.matches, "\(result)", sourceLocation: sourceLocation)
}

func csvBody(_ rows: [CarExpectation]) -> String {
    rows.map { $0.inputs.joined(separator: ",") }.joined(separator: "\n") + "\n"
}
