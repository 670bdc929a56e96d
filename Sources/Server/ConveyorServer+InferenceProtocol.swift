import Codecs
import ConveyorCore
import HTTPTypes
import Hummingbird
import NIOCore
import Pipeline

/// The Open Inference Protocol (KServe V2) over REST, next to the SageMaker
/// routes: models are the served pipelines, each at version "1".
/// `/infer` goes through `invoke` like `/invocations` (body limits, the
/// scoring threads, metrics, error mapping); only the codec differs
/// (`InferenceProtocol.RequestDecoder` and `ResponseEncoder`).
extension ConveyorServer {
    /// Reported by `GET /v2` (and `conveyor --version`'s number).
    public static let version = "0.1.0"
    /// The one version each pipeline has.
    static let modelVersion = "1"
    /// Set by clients using the binary tensor extension, which Conveyor does not take.
    static let inferenceHeaderLength = HTTPField.Name("Inference-Header-Content-Length")!

    func addInferenceProtocolRoutes(to router: Router<BasicRequestContext>) {
        // The server answers only once every pipeline is loaded. The protocol
        // says the status alone; KServe's client also reads {"live"}/{"ready"}.
        router.get("v2/health/live") { _, _ in Self.jsonResponse(Array(#"{"live":true}"#.utf8)) }
        router.get("v2/health/ready") { _, _ in Self.jsonResponse(Array(#"{"ready":true}"#.utf8)) }
        router.get("v2") { _, _ in
            Self.jsonResponse(InferenceProtocol.serverMetadata(name: "conveyor", version: Self.version, extensions: []))
        }
        for prefix in ["v2/models/:model", "v2/models/:model/versions/:version"] {
            router.get(RouterPath(prefix)) { _, context in
                inferenceAnswer(context) { served in
                    let pipeline = served.pipeline
                    let versions = self.served.versionNumbers(of: pipeline.name).map(String.init)
                    return Self.jsonResponse(InferenceProtocol.modelMetadata(
                        name: pipeline.name, versions: versions.isEmpty ? [Self.modelVersion] : versions,
                        platform: "conveyor", inputs: pipeline.inputs, outputs: pipeline.outputs))
                }
            }
            router.get(RouterPath(prefix + "/ready")) { _, context in
                inferenceAnswer(context) { _ in Response(status: .ok) }
            }
            router.post(RouterPath(prefix + "/infer")) { request, context in
                await invoke(request, context: context, route: .inferenceProtocol) {
                    if request.headers.value(of: Self.inferenceHeaderLength) != nil {
                        throw ConveyorError(
                            .unsupportedContentType,
                            "the binary tensor data extension (Inference-Header-Content-Length) is not supported: send "
                                + "tensors as JSON (tritonclient: binary_data=False)")
                    }
                    return try model(context)
                }
            }
        }
    }

    /// The pipeline a `/v2/models/{name}[/versions/{v}]` path names: a
    /// pipeline given at start (its versions are hot reload's), or a loaded
    /// multi-model one (version 1).
    func model(_ context: BasicRequestContext) throws -> ServedPipeline {
        try model(named: context.parameters.get("model") ?? "", version: context.parameters.get("version"))
    }

    /// The pipeline a model name and optional version name (REST path or
    /// gRPC request); the caller calls `release` when done with it.
    func model(named name: String, version: String?) throws -> ServedPipeline {
        if served.pipeline(named: name) != nil {
            guard let version else { return try pipeline(named: name) }
            guard let number = Int(version), let pipeline = served.pipeline(named: name, version: number) else {
                throw ConveyorError(
                    .notFound, "model '\(name)' has no version '\(version.boundedForMessage(40))'; it has version "
                        + served.versionNumbers(of: name).map(String.init).joined(separator: ", "))
            }
            return pipeline
        }
        guard let pipeline = models?.acquire(name: name) else { throw served.notFound(name, what: "model") }
        if let version, version != Self.modelVersion {
            pipeline.release?()
            throw ConveyorError(
                .notFound, "model '\(name)' has no version '\(version.boundedForMessage(40))'; it has version \(Self.modelVersion)")
        }
        return pipeline
    }

    /// A metadata or readiness answer, with errors in the protocol's shape.
    private func inferenceAnswer(_ context: BasicRequestContext, _ answer: (ServedPipeline) -> Response) -> Response {
        do {
            let served = try model(context)
            defer { served.release?() }
            return answer(served)
        } catch {
            return ErrorResponse.make(error, route: .inferenceProtocol, requestID: context.id)
        }
    }
}

extension InvocationRunner {
    /// `/v2/models/{name}/infer`: the request's tensors decoded to the
    /// pipeline's input frame, the pipeline run (stage timings recorded as
    /// for `/invocations`), the chosen output columns encoded as tensors.
    func runInference(_ pipeline: Pipeline, version: String = ConveyorServer.modelVersion, body: [UInt8],
                      _ invocation: Invocation) async throws -> InvocationResult {
        guard invocation.explain == .none, invocation.targetStage == nil else {
            throw ConveyorError(
                .invalidRequest,
                "explanations and target containers are /invocations features; the Open Inference Protocol routes take neither")
        }
        let request = try body.withUnsafeBytes {
            try InferenceProtocol.RequestDecoder(inputs: pipeline.inputs).decode($0)
        }
        let inferred = try await Self.infer(pipeline, request, keepFrames: invocation.trace == .debug)
        let encoded = try InferenceProtocol.ResponseEncoder().encode(
            inferred.output, columns: inferred.columns, modelName: pipeline.name, modelVersion: version, id: request.id)
        return InvocationResult(body: encoded, contentType: .json, rows: inferred.output.rowCount, stages: inferred.stages)
    }

    /// A decoded inference request run through the pipeline, for REST and
    /// gRPC alike: the output frame, the columns to answer and the stage timings.
    static func infer(_ pipeline: Pipeline, _ request: InferenceProtocol.Request, keepFrames: Bool = false) async throws
        -> (output: Frame, columns: [String], stages: [StageTiming])
    {
        let columns = try InferenceProtocol.outputNames(requested: request.outputs, available: pipeline.outputs)
        let stages = pipeline.stages
        let recorder = StageRecorder(keepFrames: keepFrames, stageCount: stages.count)
        let output = try await pipeline.run(request.frame) { index, frame, duration in
            recorder.record(stage: index, of: stages, duration: duration, output: frame)
        }
        return (output, columns, recorder.timings(stageCount: stages.count))
    }
}
