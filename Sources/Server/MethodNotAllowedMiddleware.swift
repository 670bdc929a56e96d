import ConveyorCore
import HTTPTypes
import Hummingbird

/// Answers 405 with `Allow` when a request's path is a route but its method
/// is not (Hummingbird answers 404 for both). Added to the router after
/// every route, so it wraps only the not-found responder, and built from
/// the router's own route list, so it cannot drift from the routes.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// Each route path's segments (`nil` for a `:parameter`) and its methods.
    let routes: [(segments: [Substring?], methods: Set<HTTPRequest.Method>)]

    init(routes descriptions: [Router<Context>.RouteDescription]) {
        var byPath: [String: Set<HTTPRequest.Method>] = [:]
        for route in descriptions { byPath["\(route.path)", default: []].insert(route.method) }
        routes = byPath.map { path, methods in
            (path.split(separator: "/").map { $0.hasPrefix(":") || $0.hasPrefix("{") ? nil : $0 }, methods)
        }
    }

    /// The methods the path has, or none when no route has this path.
    func allowedMethods(for path: String) -> [String] {
        let parts = path.split(separator: "/")
        var methods: Set<String> = []
        for route in routes where route.segments.count == parts.count
            && zip(route.segments, parts).allSatisfy({ $0.0 == nil || $0.0 == $0.1 }) {
            methods.formUnion(route.methods.map(\.rawValue))
        }
        // HEAD is answered wherever GET is.
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = allowedMethods(for: request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else {
            return try await next(request, context)
        }
        let error = ConveyorError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path); "
            + "allowed: \(allowed.joined(separator: ", "))")
        let route: ErrorResponse.Route = request.uri.path.hasPrefix("/v2") ? .inferenceProtocol : .container
        var response = ErrorResponse.make(error, route: route, requestID: context.id)
        response.headers[.allow] = allowed.joined(separator: ", ")
        return response
    }
}
