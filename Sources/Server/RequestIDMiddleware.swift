import ConveyorCore
import HTTPTypes
import Hummingbird

/// Returns the request id that Hummingbird puts in every log line
/// (`hb.request.id`) as `X-Request-Id`, and as `x-amzn-RequestId`, which
/// boto3 shows as `ResponseMetadata.RequestId`. A request no route matches
/// gets the same JSON error body as every other failure, not Hummingbird's
/// empty 404.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Hummingbird formats the id from the logger's metadata on every read: once here.
        let id = context.id
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let message = "no route for \(request.method) \(request.uri.path); Conveyor serves GET /ping, "
                + "POST /invocations, POST /endpoints/{name}/invocations, GET /execution-parameters, GET /metrics, "
                + "the Open Inference Protocol under /v2 and GET /openapi.yaml"
            // Under /v2 the client speaks the Open Inference Protocol: its error shape.
            let route: ErrorResponse.Route = request.uri.path.hasPrefix("/v2") ? .inferenceProtocol : .container
            response = ErrorResponse.make(ConveyorError(.notFound, message), route: route, requestID: id)
        }
        response.headers[ConveyorServer.requestIDHeader] = id
        response.headers[ConveyorServer.amazonRequestIDHeader] = id
        return response
    }
}
