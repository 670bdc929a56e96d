import ConveyorCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Pipeline

/// SageMaker's multi-model container contract: `GET /models` (paged with
/// `next_page_token`), `POST /models` (`{"model_name", "url"}`: 200, 409
/// when loaded, 507 when it does not fit), `GET|DELETE /models/{name}`
/// (404 when not loaded) and `POST /models/{name}/invoke`. The pipelines
/// given at start are listed too, with their versions; they cannot be unloaded.
extension ConveyorServer {
    /// Models per `GET /models` page.
    static let modelsPageSize = 100
    /// The largest `POST /models` body.
    static let maxLoadRequestBytes = 64 * 1024

    func addModelRoutes(to router: Router<BasicRequestContext>) {
        router.get("models") { request, context in
            answerNow(context) { try listModels(pageToken: request.uri.queryParameters.get("next_page_token")) }
        }
        router.post("models") { request, context in
            await answer(context) { try await loadModel(request) }
        }
        router.get("models/:name") { _, context in
            answerNow(context) {
                let name = context.parameters.get("name") ?? ""
                guard let object = describe(name) else { throw notLoaded(name) }
                return Self.jsonResponse(ErrorResponse.json(object))
            }
        }
        router.delete("models/:name") { _, context in
            answerNow(context) { try unloadModel(context.parameters.get("name") ?? "") }
        }
        router.post("models/:name/invoke") { request, context in
            await invoke(request, context: context, route: .models) {
                let name = context.parameters.get("name") ?? ""
                if let pipeline = served.pipeline(named: name) ?? models?.acquire(name: name) { return pipeline }
                throw notLoaded(name)
            }
        }
    }

    /// The pipeline an endpoint name or `/models/{name}` names: one given at
    /// start (its default version), else a loaded multi-model one.
    func pipeline(named name: String) throws -> ServedPipeline {
        if let pipeline = served.pipeline(named: name) ?? models?.acquire(name: name) { return pipeline }
        throw served.notFound(name)
    }

    /// `X-Amzn-SageMaker-Target-Model`: `name/N` (version N of a pipeline
    /// given at start), a pipeline's name, or a model under the model root,
    /// loaded now if it is not yet.
    func resolve(target: String) async throws -> ServedPipeline {
        if let slash = target.lastIndex(of: "/"), let number = Int(target[target.index(after: slash)...]) {
            let name = String(target[..<slash])
            if served.pipeline(named: name) != nil {
                guard let pipeline = served.pipeline(named: name, version: number) else {
                    throw ConveyorError(.notFound, "pipeline '\(name)' has no version \(number); it has "
                        + served.versionNumbers(of: name).map { "\(name)/\($0)" }.joined(separator: ", "))
                }
                return pipeline
            }
        }
        if let pipeline = served.pipeline(named: target) { return pipeline }
        guard let models else {
            throw ConveyorError(.notFound, "no model '\(target.boundedForMessage(100))': multi-model loading is off "
                + "(serve --model-root), and no pipeline has that name")
        }
        return try await models.acquire(target: target)
    }

    private func notLoaded(_ name: String) -> ConveyorError {
        ConveyorError(.notFound, "model '\(name.boundedForMessage(100))' is not loaded")
    }

    private func answer(_ context: BasicRequestContext, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            return ErrorResponse.make(error, route: .models, requestID: context.id)
        }
    }

    private func answerNow(_ context: BasicRequestContext, _ body: () throws -> Response) -> Response {
        do {
            return try body()
        } catch {
            return ErrorResponse.make(error, route: .models, requestID: context.id)
        }
    }

    /// The contract's `{"modelName", "modelUrl"}` and Conveyor's details.
    func describe(_ name: String) -> [String: Any]? {
        if let pipeline = served.pipeline(named: name) {
            return [
                "modelName": name, "modelUrl": pipeline.pipeline.sourceURL?.path ?? "",
                "version": pipeline.version, "versions": served.versionNumbers(of: name).map { "\(name)/\($0)" },
                "pinned": true,
            ]
        }
        guard let info = models?.info(named: name) else { return nil }
        return [
            "modelName": info.name, "modelUrl": info.url, "estimatedBytes": info.estimatedBytes,
            "artifactBytes": info.artifactBytes, "inFlight": info.inFlight, "loadSeconds": info.loadSeconds,
            "pinned": false,
        ]
    }

    private func listModels(pageToken: String?) throws -> Response {
        let names = served.names + (models?.models.map(\.name) ?? [])
        var start = 0
        if let pageToken {
            guard let offset = Int(pageToken), offset >= 0, offset <= names.count else {
                throw ConveyorError(.invalidRequest, "next_page_token '\(pageToken.boundedForMessage(40))' is not one this server gave")
            }
            start = offset
        }
        let end = min(names.count, start + Self.modelsPageSize)
        var object: [String: Any] = ["models": names[start..<end].compactMap { describe($0) }]
        if end < names.count { object["nextPageToken"] = String(end) }
        return Self.jsonResponse(ErrorResponse.json(object))
    }

    private func loadModel(_ request: Request) async throws -> Response {
        guard let models else {
            throw ConveyorError(.modelLoadingForbidden, "multi-model loading is off: start the server with --model-root "
                + "(or SAGEMAKER_MULTI_MODEL=true) to load models with POST /models")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxLoadRequestBytes)
        } catch {
            throw ConveyorError(.payloadTooLarge, "a POST /models body is at most \(Self.maxLoadRequestBytes) bytes")
        }
        let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        guard let name = object?["model_name"] as? String, let url = object?["url"] as? String,
              !name.isEmpty, name.utf8.count <= 256, !url.isEmpty,
              !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "/" }) else {
            throw ConveyorError(.invalidRequest, "POST /models takes a JSON object with a 'model_name' (1 to 256 characters, "
                + "no '/' or control characters) and a 'url'")
        }
        guard served.pipeline(named: name) == nil else {
            throw ConveyorError(.modelAlreadyLoaded, "'\(name)' is a pipeline this server was started with")
        }
        let info = try await models.load(name: name, url: url)
        return Self.jsonResponse(ErrorResponse.json([
            "modelName": info.name, "modelUrl": info.url, "estimatedBytes": info.estimatedBytes,
        ]))
    }

    private func unloadModel(_ name: String) throws -> Response {
        if served.pipeline(named: name) != nil {
            throw ConveyorError(.modelAlreadyLoaded, "'\(name)' is a pipeline this server was started with; it cannot be unloaded")
        }
        guard let models else { throw notLoaded(name) }
        let info = try models.unload(name: name)
        return Self.jsonResponse(ErrorResponse.json(["modelName": info.name, "modelUrl": info.url, "unloaded": true]))
    }
}
