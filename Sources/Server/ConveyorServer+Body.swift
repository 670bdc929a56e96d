import ConveyorCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

extension ConveyorServer {
    /// A request body read into memory, and the bytes it holds of the
    /// in-flight budget (to give back once the response is built).
    struct HeldBody {
        var bytes: [UInt8]
        var reserved: Int
    }

    /// Reads the whole body into one array (sized from Content-Length, so
    /// one copy of the bytes), holding its size in `budget` first.
    ///
    /// - Over `maxBodyBytes`: `.payloadTooLarge` (before reading, when
    ///   Content-Length says so).
    /// - No room in the budget within `bodyBudgetWait`: `.overloaded` (503).
    /// - Too slow (`ConnectionGuard`): `.requestTimeout` (408); malformed
    ///   chunking: `.invalidRequest` (400); the client went away:
    ///   `.clientClosed` (499 in metrics; nothing can be sent).
    func readBody(_ request: Request) async throws -> HeldBody {
        let limit = configuration.maxBodyBytes
        let declared = request.headers.value(of: .contentLength).flatMap { Int($0) }
        if let declared, declared > limit {
            throw ConveyorError(.payloadTooLarge, "the request body is over the limit of \(limit) bytes (\(declared) bytes declared)")
        }
        let wait = configuration.limits.bodyBudgetWait
        var reserved = 0
        var bytes: [UInt8] = []
        do {
            if let declared, declared > 0 {
                // The common case (room in the budget) without a suspension point.
                if !budget.reserveNow(declared) {
                    guard await budget.reserve(declared, wait: wait) else { throw overloaded(declared) }
                }
                reserved = declared
                bytes.reserveCapacity(declared)
            }
            do {
                for try await chunk in request.body {
                    let (total, overflow) = bytes.count.addingReportingOverflow(chunk.readableBytes)
                    guard !overflow, total <= limit else {
                        throw ConveyorError(.payloadTooLarge, "the request body is over the limit of \(limit) bytes")
                    }
                    if total > reserved {
                        // Chunked bodies: reserve as they arrive.
                        guard await budget.reserve(total - reserved, wait: wait) else { throw overloaded(total) }
                        reserved = total
                    }
                    chunk.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
                }
            } catch let error as ConveyorError {
                throw error
            } catch {
                throw Self.bodyReadError(error, received: bytes.count, declared: declared)
            }
            if let declared, bytes.count < declared {
                throw ConveyorError(.clientClosed, "the body ended after \(bytes.count) of \(declared) declared bytes")
            }
            return HeldBody(bytes: bytes, reserved: reserved)
        } catch {
            budget.release(reserved)
            throw error
        }
    }

    private func overloaded(_ bytes: Int) -> ConveyorError {
        ConveyorError(
            .overloaded,
            "the server holds its limit of \(budget.capacity) bytes of request bodies in flight; "
                + "this body (\(bytes) bytes) did not fit within \(configuration.limits.bodyBudgetWait); retry later")
    }

    /// What went wrong while the body was being received: always the
    /// client's side (or the connection's), never a server fault.
    static func bodyReadError(_ error: any Error, received: Int, declared: Int?) -> ConveyorError {
        let progress = "\(received)\(declared.map { " of \($0)" } ?? "") bytes received"
        switch error {
        case ConnectionGuardError.bodyTimeout:
            return ConveyorError(.requestTimeout, "the request body did not arrive in time (\(progress))")
        case ConnectionGuardError.draining:
            return ConveyorError(.overloaded, "the server is shutting down (\(progress))")
        case let parseError as HTTPParserError where parseError != .invalidEOFState:
            return ConveyorError(.invalidRequest, "the request body is not valid HTTP/1.1: \(parseError) (\(progress))")
        default:
            return ConveyorError(.clientClosed, "the connection ended before the body did (\(progress)): \(error)")
        }
    }
}
