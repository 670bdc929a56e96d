import ConveyorTestSupport
import Foundation
import Testing

/// SIGTERM with an upload stalled mid-body: `conveyor serve` must not wait
/// for it forever; it cuts the connection at `--drain-timeout` and exits 0.
@Suite(.serialized) struct ServeDrainTests {
    @Test func sigtermWithAStalledUploadExitsWithinTheDrainTimeout() async throws {
        let server = try await ServeProcess(["--drain-timeout", "1", "--body-timeout", "120"])
        let stalled = try RawConnection(port: server.port)
        try stalled.send(csvHead(length: 10_000) + "low,low,5more,more,big,high\n")
        // A second, idle connection: closed at once on SIGTERM.
        let idle = try RawConnection(port: server.port)
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.process.isRunning)
        let start = ContinuousClock.now
        kill(server.process.processIdentifier, SIGTERM)
        var exited = false
        for _ in 0..<1200 where !exited {
            try await Task.sleep(for: .milliseconds(50))
            exited = !server.process.isRunning
        }
        let elapsed = ContinuousClock.now - start
        #expect(exited, "conveyor serve still running 60 s after SIGTERM with a 1 s drain timeout")
        if exited {
            #expect(elapsed >= .milliseconds(800), "the stalled upload must get its drain time: exited after \(elapsed)")
            // Generous for a loaded CI machine; without the deadline it waits for the 120 s body timeout.
            #expect(elapsed < .seconds(40), "exited after \(elapsed)")
            #expect(server.process.terminationReason == .exit)
            #expect(server.process.terminationStatus == 0)
        } else {
            _ = try await server.terminate()
        }
        let (_, stalledClosed) = try await stalled.receive(timeout: .seconds(10))
        let (_, idleClosed) = try await idle.receive(timeout: .seconds(10))
        #expect(stalledClosed && idleClosed)
    }
}
