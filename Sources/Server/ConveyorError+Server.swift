import ConveyorCore
import HTTPTypes

extension ConveyorError.Code {
    /// The path is a route, the method is not one of its methods (405, with `Allow`).
    public static let methodNotAllowed = ConveyorError.Code(rawValue: "method_not_allowed")
    /// The request body is larger than the server's limit.
    public static let payloadTooLarge = ConveyorError.Code(rawValue: "payload_too_large")
    /// No pipeline (endpoint) or stage (target container) has the requested name.
    public static let notFound = ConveyorError.Code(rawValue: "not_found")
    /// The request is not valid HTTP (a bad chunk size, a malformed head).
    public static let invalidRequest = ConveyorError.Code(rawValue: "invalid_request")
    /// The request head is over the size or count limit for headers or URL.
    public static let headersTooLarge = ConveyorError.Code(rawValue: "headers_too_large")
    /// The request body did not arrive in time (`--body-timeout`).
    public static let requestTimeout = ConveyorError.Code(rawValue: "request_timeout")
    /// The server is at its connection or in-flight body limit: retry later.
    public static let overloaded = ConveyorError.Code(rawValue: "overloaded")
    /// The client closed the connection before its request was read; no
    /// answer can reach it. Counted as status 499 in metrics, never as 500.
    public static let clientClosed = ConveyorError.Code(rawValue: "client_closed")
    /// `POST /models` for a name already loaded (SageMaker's multi-model contract: 409).
    public static let modelAlreadyLoaded = ConveyorError.Code(rawValue: "model_already_loaded")
    /// A model does not fit the multi-model memory budget (the contract's 507).
    public static let insufficientMemory = ConveyorError.Code(rawValue: "insufficient_memory")
    /// A model URL that does not hold a loadable pipeline (400 on `POST /models`).
    public static let modelLoadFailed = ConveyorError.Code(rawValue: "model_load_failed")
    /// Multi-model loading is off, or the URL is outside the model root (403).
    public static let modelLoadingForbidden = ConveyorError.Code(rawValue: "model_loading_forbidden")
}

extension HTTPResponse.Status {
    /// 424 Failed Dependency: SageMaker's status for a failing container.
    static let failedDependency424 = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")
    /// 499, nginx's status for a client that closed the connection: for metrics and logs only.
    /// 507 Insufficient Storage: SageMaker's status for a model that does not fit in memory.
    static let insufficientStorage507 = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
    static let clientClosed499 = HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
}
