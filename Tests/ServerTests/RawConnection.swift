import ConveyorTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to 127.0.0.1 for sending exactly the bytes a
/// hostile client would (half a head, a trickled body, bad chunking), with
/// blocking calls run off the cooperative pool.
final class RawConnection: @unchecked Sendable {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawConnectionError(message: "socket() failed: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(descriptor)
            throw RawConnectionError(message: "connect() failed: \(errno)")
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw RawConnectionError(message: "send() failed: \(errno)") }
            offset += sent
        }
    }

    /// Everything received until the peer closes, `timeout` passes or
    /// `complete` says enough; `closed` tells whether the peer closed.
    func receive(timeout: Duration, until complete: @escaping @Sendable ([UInt8]) -> Bool = { _ in false })
        async throws -> (bytes: [UInt8], closed: Bool)
    {
        let descriptor = self.descriptor
        return try await offPool {
            let deadline = ContinuousClock.now + timeout
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { return (received, false) }
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
                guard poll(&poller, 1, milliseconds) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count <= 0 { return (received, true) }
                received.append(contentsOf: buffer[..<count])
                if complete(received) { return (received, false) }
            }
        }
    }

    /// The first response's status, headers (lowercased names) and body, read
    /// until the peer closes or `timeout` passes.
    func response(timeout: Duration) async throws -> RawResponse? {
        let (bytes, closed) = try await receive(timeout: timeout) { bytes in
            guard let response = RawResponse(bytes, closed: false),
                  let length = response.headers["content-length"].flatMap({ Int($0) }) else { return false }
            return response.body.utf8.count >= length
        }
        return RawResponse(bytes, closed: closed)
    }
}

struct RawResponse {
    var status: Int
    var headers: [String: String]
    var body: String
    var closed: Bool

    init?(_ bytes: [UInt8], closed: Bool) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        self.status = status
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        self.body = String(text[split.upperBound...])
        self.closed = closed
    }

    /// The `error` object of a JSON error body.
    var error: [String: Any]? {
        let object = try? ExactJSON.object(with: Data(body.utf8)) as? [String: Any]
        return object?["error"] as? [String: Any]
    }
}

struct RawConnectionError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
