import ArgumentParser
import Codecs
import ConveyorCore
import Foundation
import Logging
import Pipeline
import Prometheus
import Server

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve pipelines over HTTP: SageMaker's container contract and its Runtime API.",
        discussion: """
            Routes: GET /ping, POST /invocations (the first pipeline), GET /execution-parameters, \
            POST /endpoints/NAME/invocations (the pipeline named NAME, as boto3's invoke_endpoint and \
            `aws sagemaker-runtime invoke-endpoint --endpoint-url` call it), GET /metrics, and SageMaker's \
            multi-model routes (/models; loading with --model-root); the Open Inference Protocol             (KServe V2) at /v2/…, and over gRPC with --grpc-port; GET /openapi.json. SIGHUP (or, with --watch, a change \
            to the files) loads the pipelines again beside the old ones and swaps them in. \
            SIGTERM or SIGINT stops accepting connections, finishes in-flight requests (cutting off \
            any still running after --drain-timeout) and exits 0.

            Environment: CONVEYOR_HOST (the default host), SAGEMAKER_BIND_TO_PORT (the port; also makes \
            the default host 0.0.0.0, as in a SageMaker container), SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT, SAGEMAKER_MAX_PAYLOAD_IN_MB, \
            SAGEMAKER_SPARKML_SCHEMA (for mleap stages without a schema) and SAGEMAKER_INFERENCE_OUTPUT \
            (for xgboost stages without outputs). Without --pipeline, a non-empty /opt/ml/model is served \
            (SageMaker's model folder). docs/serving.md has curl, awscli and boto3 examples.

            Examples:
              conveyor serve
              conveyor serve --pipeline pipelines/ --port 9000 --trace on
              conveyor serve --pipeline my-pipeline/ --watch --watch-interval 1
              conveyor serve --model-root /srv/models --model-memory-mb 2048
              conveyor serve --grpc-port 8081
              curl -s -H 'Content-Type: text/csv' --data-binary 'low,low,5more,more,big,high' localhost:8080/invocations
            """
    )

    @Option(name: .customLong("pipeline"),
            help: "A pipeline file, a folder of them, or a model folder (MLflow, Spark ML) (repeatable). Default: the bundled pipelines/car-evaluation.json.")
    var pipelines: [String] = []

    @Option(help: "Address to listen on. Default: CONVEYOR_HOST (the container image sets 0.0.0.0), else 127.0.0.1, or 0.0.0.0 when SAGEMAKER_BIND_TO_PORT is set.")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one. Default: SAGEMAKER_BIND_TO_PORT or 8080.")
    var port: Int?

    @Option(help: "Also serve the Open Inference Protocol over gRPC (inference.GRPCInferenceService, as tritonclient and KServe call it) on this port; 0 picks a free one. Default: no gRPC.")
    var grpcPort: Int?

    @Option(help: "Largest request body in MB. Default: SAGEMAKER_MAX_PAYLOAD_IN_MB or 6.")
    var maxPayloadMb: Double?

    @Option(help: "Allow per-request traces with the X-Conveyor-Trace header: off, on (timings) or debug (also intermediate outputs).")
    var trace: ServerConfiguration.TraceMode = .off

    @Flag(inversion: .prefixedNo,
          help: "Merge the rows of requests that arrive while a pipeline is busy into one pipeline call; a lone request still runs at once. Off by default: see docs/serving.md for when it pays.")
    var microBatching = false

    @Option(help: "With --micro-batching, the most rows one merged call takes (a request is never split).")
    var microBatchMaxRows = 1024

    @OptionGroup(title: "Limits against slow and hostile clients")
    var limits: ServeLimitOptions

    @OptionGroup(title: "Multi-model endpoints and hot reload")
    var models: ServeModelOptions

    func run() async throws {
        try await run(prometheus: nil)
    }

    /// `main` passes the registry it bootstrapped metrics with, for `/metrics`.
    func run(prometheus: PrometheusCollectorRegistry?) async throws {
        AllocatorPolicy.serving()
        let environment = ProcessInfo.processInfo.environment
        let server: ConveyorServer
        do {
            let catalog = try PipelineCatalog(loadPipelines(environment: environment))
            let paths = try pipelines.isEmpty ? [DefaultPipeline.locate(environment: environment)]
                                              : pipelines.map { URL(fileURLWithPath: $0) }
            let reload = try models.reloadConfiguration(paths: paths) { [pipelines] in
                try Self.loadPipelines(pipelines, environment: environment)
            }
            server = ConveyorServer(
                catalog: catalog, configuration: try configuration(environment: environment),
                logger: Logger(label: "conveyor.server"), prometheus: prometheus,
                models: try models.modelSource(environment: environment), reload: reload)
        } catch {
            throw ExitStatus.fail(error)
        }
        let names = server.catalog.pipelines.map(\.name).joined(separator: ", ")
        let host = server.configuration.host
        do {
            try await server.run(onServerRunning: { port in
                // The lines on standard output: where to send requests.
                FileHandle.standardOutput.write(Data("conveyor: serving \(names) on http://\(host):\(port)\n".utf8))
            }, onGRPCRunning: { port in
                FileHandle.standardOutput.write(Data("conveyor: serving \(names) over gRPC on \(host):\(port)\n".utf8))
            })
        } catch {
            // A port that cannot be bound, …: an I/O failure, exit status 4.
            throw ExitStatus.fail(error)
        }
    }

    func configuration(environment: [String: String]) throws -> ServerConfiguration {
        let sageMakerPort = environment["SAGEMAKER_BIND_TO_PORT"].flatMap { Int($0) }
        let payloadMB = maxPayloadMb ?? environment["SAGEMAKER_MAX_PAYLOAD_IN_MB"].flatMap { Double($0) } ?? 6
        guard payloadMB > 0, payloadMB <= 1_048_576, let maxBodyBytes = Int(exactly: (payloadMB * 1024 * 1024).rounded()) else {
            throw ValidationError("--max-payload-mb must be between 0 and 1048576")
        }
        let defaultAccept = try environment["SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT"].flatMap { try MediaType.accepted(by: $0) }
        guard microBatchMaxRows >= 1 else { throw ValidationError("--micro-batch-max-rows must be at least 1") }
        if let grpcPort, !(0...65535).contains(grpcPort) { throw ValidationError("--grpc-port must be between 0 and 65535") }
        return ServerConfiguration(
            host: host ?? environment["CONVEYOR_HOST"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (sageMakerPort == nil ? "127.0.0.1" : "0.0.0.0"),
            port: port ?? sageMakerPort ?? 8080,
            maxBodyBytes: maxBodyBytes,
            trace: trace,
            defaultAccept: defaultAccept,
            limits: try limits.limits(),
            microBatching: microBatching
                ? MicroBatching(slots: ProcessInfo.processInfo.activeProcessorCount, maxRows: microBatchMaxRows) : nil,
            grpcPort: grpcPort)
    }

    func loadPipelines(environment: [String: String]) throws -> [Pipeline] {
        try Self.loadPipelines(pipelines, environment: environment)
    }

    /// The pipelines of `paths` (`--pipeline` values; none: the default).
    static func loadPipelines(_ paths: [String], environment: [String: String]) throws -> [Pipeline] {
        let loader = PipelineLoader(registry: .cli)
        let sageMaker = SageMakerEnvironment(environment)
        let urls = try paths.isEmpty ? [DefaultPipeline.locate()] : paths.flatMap(Self.pipelineFiles)
        return try urls.map { url in
            let source = try PipelineLoader.source(url)
            return try loader.load(sageMaker.apply(to: source.definition), relativeTo: source.base, sourceURL: source.url)
        }
    }

    /// A file or a model folder (`ModelFolder`: a pipeline.json, an MLflow,
    /// Spark ML or MLeap model, one model file) as is; another folder's
    /// `*.json` files in name order.
    static func pipelineFiles(_ path: String) throws -> [URL] {
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
              try ModelFolder.read(url) == nil else { return [url] }
        let files = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else {
            throw ConveyorError(.invalidPipeline, "the folder \(path) has no pipeline (*.json) files")
        }
        return files
    }
}

extension ServerConfiguration.TraceMode: ExpressibleByArgument {}
