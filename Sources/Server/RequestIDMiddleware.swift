import HTTPTypes
import Hummingbird

/// Returns the request id that Hummingbird puts in every log line
/// (`hb.request.id`) as `X-Request-Id`, and as `x-amzn-RequestId`, which
/// boto3 shows as `ResponseMetadata.RequestId`.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[ConveyorServer.requestIDHeader] = context.id
        response.headers[ConveyorServer.amazonRequestIDHeader] = context.id
        return response
    }
}
