import ConveyorCore
import GRPCCore

extension ErrorResponse {
    /// An error as gRPC answers it: the code follows from the HTTP status the
    /// REST routes give the same error (`status(for:)`, the one mapping), as
    /// Triton and KServe map theirs; the message is the description that
    /// names the stage, row and tensor.
    static func rpcError(_ error: any Error) -> RPCError {
        let error = bounded(ConveyorError.wrap(error, code: .internal))
        return RPCError(code: grpcCode(status: Int(status(for: error).code)), message: error.description)
    }

    static func grpcCode(status: Int) -> RPCError.Code {
        switch status {
        case 400, 406, 415, 431: return .invalidArgument
        case 403: return .permissionDenied
        case 404: return .notFound
        case 408: return .deadlineExceeded
        case 409: return .alreadyExists
        case 413, 507: return .resourceExhausted
        case 499: return .cancelled
        case 503: return .unavailable
        case 424: return .unknown
        default: return .internalError
        }
    }
}
