import Codecs
import ConveyorCore
import GRPCCore
import InferenceGRPC
import Logging
import Pipeline

/// The Open Inference Protocol over gRPC (`inference.GRPCInferenceService`),
/// the same models and semantics as the REST routes (`/v2/…`): models are
/// the served pipelines, health is the process's, `ModelInfer` decodes the
/// tensors with the REST decoder's checks, runs the pipeline on the scoring
/// threads and answers `raw_output_contents`, as Triton does. Errors are
/// `RPCError`s whose message names the tensor, row and stage
/// (`ErrorResponse.grpcCode`).
struct InferenceService: Inference_GRPCInferenceService.SimpleServiceProtocol {
    let server: ConveyorServer

    func serverLive(request: Inference_ServerLiveRequest, context: ServerContext) async throws -> Inference_ServerLiveResponse {
        .with { $0.live = true }
    }

    /// The server listens only once every pipeline has loaded.
    func serverReady(request: Inference_ServerReadyRequest, context: ServerContext) async throws -> Inference_ServerReadyResponse {
        .with { $0.ready = true }
    }

    /// An unknown model or version is not ready (the answer is a boolean; REST says 404).
    func modelReady(request: Inference_ModelReadyRequest, context: ServerContext) async throws -> Inference_ModelReadyResponse {
        let ready: Bool
        if let served = try? server.model(named: request.name, version: request.version.nonEmpty) {
            served.release?()
            ready = true
        } else {
            ready = false
        }
        return .with { $0.ready = ready }
    }

    func serverMetadata(request: Inference_ServerMetadataRequest, context: ServerContext) async throws
        -> Inference_ServerMetadataResponse
    {
        .with {
            $0.name = "conveyor"
            $0.version = ConveyorServer.version
        }
    }

    func modelMetadata(request: Inference_ModelMetadataRequest, context: ServerContext) async throws
        -> Inference_ModelMetadataResponse
    {
        let served = try rpc { try server.model(named: request.name, version: request.version.nonEmpty) }
        defer { served.release?() }
        let pipeline = served.pipeline
        let versions = server.served.versionNumbers(of: pipeline.name).map(String.init)
        return .with {
            $0.name = pipeline.name
            $0.versions = versions.isEmpty ? [ConveyorServer.modelVersion] : versions
            $0.platform = "conveyor"
            $0.inputs = pipeline.inputs.map(Inference_ModelMetadataResponse.TensorMetadata.init)
            $0.outputs = pipeline.outputs.map(Inference_ModelMetadataResponse.TensorMetadata.init)
        }
    }

    func modelInfer(request: Inference_ModelInferRequest, context: ServerContext) async throws -> Inference_ModelInferResponse {
        let clock = ContinuousClock()
        let start = clock.now
        // A served pipeline's name only: a client's model name must not make metric series.
        var name = "unknown"
        do {
            let limit = server.configuration.maxBodyBytes
            let payload = request.payloadBytes
            guard payload <= limit else {
                throw ConveyorError(.payloadTooLarge, "the request's tensors hold \(payload) bytes; the limit is \(limit) (--max-payload-mb)")
            }
            let served = try server.model(named: request.modelName, version: request.modelVersion.nonEmpty)
            defer { served.release?() }
            let pipeline = served.pipeline
            name = pipeline.name
            // Decoding, the pipeline and encoding are CPU work: the scoring threads', as for REST bodies.
            let (response, rows, stages) = try await withTaskExecutorPreference(server.scoring) {
                let decoded = try InferenceProtocol.RequestDecoder(inputs: pipeline.inputs).decode(
                    try request.tensors(), id: request.id.nonEmpty, outputs: request.requestedOutputs)
                let inferred = try await InvocationRunner.infer(pipeline, decoded)
                let outputs = try InferenceProtocol.RawOutput.encode(inferred.output, columns: inferred.columns)
                return (Inference_ModelInferResponse(outputs, model: pipeline.name, version: String(served.version), id: request.id),
                        inferred.output.rowCount, inferred.stages)
            }
            server.metrics.request(pipeline: name, route: .grpc, status: 200, duration: clock.now - start, rows: rows, stages: stages)
            return response
        } catch {
            let failure = server.recordFailure(error, pipeline: name, route: .grpc, duration: clock.now - start, logger: server.logger)
            throw ErrorResponse.rpcError(failure)
        }
    }

    /// Runs `body`, turning a thrown error into the protocol's `RPCError`.
    private func rpc<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ErrorResponse.rpcError(error)
        }
    }
}

extension String {
    /// nil for the empty string: proto3 strings cannot be absent.
    var nonEmpty: String? { isEmpty ? nil : self }
}
