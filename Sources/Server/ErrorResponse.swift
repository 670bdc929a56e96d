import Codecs
import ConveyorCore
import Foundation
import HTTPTypes
import Hummingbird

/// The one place where errors become HTTP responses.
///
/// Statuses (both routes unless noted):
/// - 400 `invalid_input`, `empty_input`: the request's rows are at fault.
/// - 415 `unsupported_content_type`, 406 `unsupported_accept`.
/// - 413 `payload_too_large`, 404 `not_found` (pipeline or stage name, or
///   no route), 405 `method_not_allowed` (a route's path with another method).
/// - 400 `invalid_request` (not valid HTTP: a bad chunk size), 431
///   `headers_too_large`, 408 `request_timeout` (body too slow), 503
///   `overloaded` (connection or in-flight body limit).
/// - 499 `client_closed`: the client went away mid-request; nothing is
///   sent, the status only counts it in metrics and logs.
/// - Multi-model loading (`/models`, `X-Amzn-SageMaker-Target-Model`):
///   409 `model_already_loaded`, 507 `insufficient_memory`, 400
///   `model_load_failed` (the URL holds no loadable pipeline), 403
///   `model_loading_forbidden` (multi-model off, or a URL outside the root).
/// - 424 a stage failed for any reason other than bad input (a model bug,
///   a failing remote container): SageMaker's status for a failing container.
/// - 500 anything else (a bug in Conveyor itself).
///
/// On the SageMaker Runtime API route (`/endpoints/{name}/invocations`)
/// errors that come from the model side (400, 406, 415, 424, 500) are sent as
/// SageMaker sends them: status 424 with `x-amzn-ErrorType: ModelError` and a
/// body holding `OriginalStatusCode` and `OriginalMessage`, so boto3 raises
/// `ModelError`. Errors of the "service" itself (404, 413) keep their status
/// and are `ValidationError`s.
///
/// On the Open Inference Protocol routes (`/v2/…`) the status is the
/// container's and the body the protocol's `{"error": "message"}`, the
/// message naming the stage, row and column (tensor) as the description does.
enum ErrorResponse {
    enum Route: Int, CaseIterable {
        case container, runtime, inferenceProtocol
        /// `POST /models/{name}/invoke` and the other `/models` routes: container-shaped errors.
        case models
        /// gRPC `ModelInfer`: errors are `RPCError`s (`rpcError`), never HTTP responses.
        case grpc

        /// The `route` label of the request metrics.
        var label: String {
            switch self {
            case .container: return "/invocations"
            case .runtime: return "/endpoints/{name}/invocations"
            case .inferenceProtocol: return "/v2/models/{name}/infer"
            case .models: return "/models/{name}/invoke"
            case .grpc: return "inference.GRPCInferenceService/ModelInfer"
            }
        }
    }

    static func status(for error: ConveyorError) -> HTTPResponse.Status {
        switch error.code {
        case .invalidInput, .emptyInput: return .badRequest
        case .unsupportedContentType: return .unsupportedMediaType
        case .unsupportedAccept: return .notAcceptable
        case .payloadTooLarge: return .contentTooLarge
        case .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        case .invalidRequest: return .badRequest
        case .notExplainable: return .badRequest
        case .headersTooLarge: return .requestHeaderFieldsTooLarge
        case .requestTimeout: return .requestTimeout
        case .overloaded: return .serviceUnavailable
        case .clientClosed: return .clientClosed499
        case .stageFailed: return .failedDependency424
        case .modelAlreadyLoaded: return .conflict
        case .insufficientMemory: return .insufficientStorage507
        case .modelLoadFailed: return .badRequest
        case .modelLoadingForbidden: return .forbidden
        default:
            // A stage that throws anything but bad input is a failing
            // container: its fault, not the request's.
            return error.stage == nil ? .internalServerError : .failedDependency424
        }
    }

    /// Statuses about the request or the service rather than the model:
    /// kept as they are on the Runtime API route.
    static let serviceStatuses: Set<Int> = [403, 404, 405, 408, 409, 413, 431, 499, 503, 507]

    /// The longest message (in characters) an error body or log line
    /// carries; the rest is cut, saying how many bytes were left out.
    static let maxMessageCharacters = 1000

    static func make(_ error: any Error, route: Route, requestID: String) -> Response {
        let conveyorError = bounded(ConveyorError.wrap(error, code: .internal))
        let status = status(for: conveyorError)
        let detail = body(conveyorError, status: status, requestID: requestID)
        var headers = HTTPFields()
        headers[.contentType] = MediaType.json.canonical
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        switch route {
        case .container, .models:
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json(detail))))
        case .inferenceProtocol, .grpc:
            let body = json(["error": conveyorError.description])
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case .runtime:
            let isServiceError = serviceStatuses.contains(status.code)
            let type = status == .serviceUnavailable ? "ServiceUnavailable" : isServiceError ? "ValidationError" : "ModelError"
            headers[HTTPField.Name("x-amzn-ErrorType")!] = type
            var object: [String: Any] = ["__type": type]
            if isServiceError {
                object["Message"] = conveyorError.description
            } else {
                let original = String(decoding: json(detail), as: UTF8.self)
                object["Message"] = "Received client error (\(status.code)) from \(conveyorError.stage ?? "pipeline") with message \"\(conveyorError.description)\"."
                object["OriginalStatusCode"] = status.code
                object["OriginalMessage"] = original
            }
            object["error"] = detail["error"]
            let wireStatus: HTTPResponse.Status = isServiceError ? status : .failedDependency424
            return Response(status: wireStatus, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json(object))))
        }
    }

    /// The error with its message (and cause) cut to `maxMessageCharacters`:
    /// messages quote request values, which can be megabytes long.
    static func bounded(_ error: ConveyorError) -> ConveyorError {
        var error = error
        error.message = error.message.boundedForMessage(maxMessageCharacters)
        if let cause = error.cause {
            let text = "\(cause)"
            if text.utf8.count > maxMessageCharacters {
                error.cause = SendableText(description: text.boundedForMessage(maxMessageCharacters))
            }
        }
        return error
    }

    /// A JSON error body on its own, for answers written below Hummingbird.
    static func bytes(_ error: ConveyorError, status: Int, requestID: String) -> [UInt8] {
        json(body(bounded(error), status: HTTPResponse.Status(code: status), requestID: requestID))
    }

    /// `{"error": {"status", "code", "message", "stage", "row", "column", "request_id"}}`.
    static func body(_ error: ConveyorError, status: HTTPResponse.Status, requestID: String) -> [String: Any] {
        var detail: [String: Any] = [
            "status": status.code, "code": error.code.rawValue, "message": error.message,
            "request_id": requestID,
        ]
        if let stage = error.stage { detail["stage"] = stage }
        if let row = error.row { detail["row"] = row }
        if let column = error.column { detail["column"] = column }
        if let cause = error.cause { detail["cause"] = "\(cause)" }
        return ["error": detail]
    }

    struct SendableText: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    static func json(_ object: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }
}
