import ConveyorTestSupport
import Foundation
import Testing

/// A port that cannot be bound stops `conveyor serve` at start: exit status
/// 4 (an I/O failure), one line naming the address, the option and the
/// system's reason; no log lines from the HTTP stack about its own shutdown.
@Suite(.serialized) struct ListenFailureTests {
    @Test func aTakenHTTPPortFailsTheStartNamingIt() async throws {
        let other = try await ServeProcess()
        let port = other.port
        let (status, output) = try await offPool { try runCombiningOutput(conveyorExecutable, ["serve", "--port", "\(port)"]) }
        _ = try await other.terminate()
        #expect(status == 4, "\(output)")
        #expect(output == "error: the HTTP server could not listen on 127.0.0.1:\(port): Address already in use (errno 98)\n",
                "\(output)")
    }

    /// Here the gRPC port is another server's HTTP port.
    @Test func aTakenGRPCPortFailsTheStartNamingIt() async throws {
        let other = try await ServeProcess()
        let port = other.port
        let (status, output) = try await offPool {
            try runCombiningOutput(conveyorExecutable, ["serve", "--port", "0", "--grpc-port", "\(port)"])
        }
        _ = try await other.terminate()
        #expect(status == 4, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        // The HTTP server may have started first and said where.
        #expect(lines.allSatisfy { $0.hasPrefix("conveyor: serving ") || $0.hasPrefix("error: ") }, "\(output)")
        #expect(lines.last == "error: the gRPC service could not listen on 127.0.0.1:\(port) (--grpc-port): "
                + "Address already in use (errno 98)", "\(output)")
    }

    @Test func anAddressNotOnThisMachineFailsTheStartNamingIt() async throws {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never a local address.
        let (status, output) = try await offPool {
            try runCombiningOutput(conveyorExecutable, ["serve", "--host", "192.0.2.1", "--port", "8080"])
        }
        #expect(status == 4, "\(output)")
        #expect(output == "error: the HTTP server could not listen on 192.0.2.1:8080: Cannot assign requested address (errno 99)\n",
                "\(output)")
    }
}
