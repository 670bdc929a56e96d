#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ConveyorCore
import NIOCore

extension ConveyorError.Code {
    /// A listener could not bind its address (the port is taken, the host
    /// is not this machine's): the server does not start.
    public static let listenFailed = ConveyorError.Code(rawValue: "listen_failed")
}

extension ConveyorError {
    /// `service` could not listen on `host:port`, said with the option that
    /// chose the port when one did, and the system's reason.
    static func listenFailed(_ service: String, host: String, port: Int, option: String? = nil,
                             reason: any Error) -> ConveyorError {
        ConveyorError(.listenFailed, "\(service) could not listen on \(host):\(port)\(option.map { " (\($0))" } ?? ""): "
            + systemReason(reason))
    }

    /// The system's words for a socket error: NIO's `IOError` describes itself
    /// as "bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)",
    /// which names NIO's internals and carries a stray parenthesis.
    static func systemReason(_ error: any Error) -> String {
        guard let error = error as? IOError else { return "\(error)" }
        return "\(String(cString: strerror(error.errnoCode))) (errno \(error.errnoCode))"
    }
}
