import ConveyorCore
import HTTPTypes

extension ConveyorError.Code {
    /// The request body is larger than the server's limit.
    public static let payloadTooLarge = ConveyorError.Code(rawValue: "payload_too_large")
    /// No pipeline (endpoint) or stage (target container) has the requested name.
    public static let notFound = ConveyorError.Code(rawValue: "not_found")
}

extension HTTPResponse.Status {
    /// 424 Failed Dependency: SageMaker's status for a failing container.
    static let failedDependency424 = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")
}
