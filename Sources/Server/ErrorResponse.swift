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
/// - 413 `payload_too_large`, 404 `not_found` (pipeline or stage name).
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
enum ErrorResponse {
    enum Route { case container, runtime }

    static func status(for error: ConveyorError) -> HTTPResponse.Status {
        switch error.code {
        case .invalidInput, .emptyInput: return .badRequest
        case .unsupportedContentType: return .unsupportedMediaType
        case .unsupportedAccept: return .notAcceptable
        case .payloadTooLarge: return .contentTooLarge
        case .notFound: return .notFound
        case .stageFailed: return .failedDependency424
        default:
            // A stage that throws anything but bad input is a failing
            // container: its fault, not the request's.
            return error.stage == nil ? .internalServerError : .failedDependency424
        }
    }

    static func make(_ error: any Error, route: Route, requestID: String) -> Response {
        let conveyorError = ConveyorError.wrap(error, code: .internal)
        let status = status(for: conveyorError)
        let detail = body(conveyorError, status: status, requestID: requestID)
        var headers = HTTPFields()
        headers[.contentType] = MediaType.json.canonical
        switch route {
        case .container:
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json(detail))))
        case .runtime:
            let isServiceError = status == .notFound || status == .contentTooLarge
            let type = isServiceError ? "ValidationError" : "ModelError"
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

    static func json(_ object: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }
}
