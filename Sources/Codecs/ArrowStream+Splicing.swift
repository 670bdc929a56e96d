import ConveyorCore

/// Joins and cuts Arrow streams at message boundaries, so a long stream
/// can be scored piece by piece: each input piece is the stream's schema
/// message plus whole batches, and each piece's answer (a whole stream) is
/// written without repeating its schema or its end marker.
public struct ArrowStreamSplicer: Sendable {
    private var wroteSchema = false

    public init() {}

    /// The length of the first message of `bytes` (the schema of a stream),
    /// or nil while it is incomplete. Malformed lengths throw.
    public static func firstMessageLength(_ bytes: [UInt8]) throws -> Int? {
        try bytes.withUnsafeBytes { raw in
            switch try ArrowStream.step(raw, at: 0, index: 1) {
            case .message(let frame): return frame.end
            case .endOfStream: throw ConveyorError(.invalidInput, "the Arrow stream ends before its schema")
            case .incomplete: return nil
            }
        }
    }

    /// What of `stream` (one piece's answer) continues the output: its
    /// schema the first time only, then its batches; never its end marker.
    public mutating func splice(_ stream: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try stream.withUnsafeBytes { raw in
            var position = 0
            var index = 1
            while position < raw.count {
                guard case .message(let frame) = try ArrowStream.step(raw, at: position, index: index) else { break }
                if index > 1 || !wroteSchema { out += raw[position..<frame.end] }
                position = frame.end
                index += 1
            }
        }
        wroteSchema = true
        return out
    }

    /// The end-of-stream marker.
    public func finish() -> [UInt8] { ArrowStream.endOfStream }
}
