import ConveyorCore

extension ArrowStream {
    /// Where one encapsulated message sits in a buffer.
    struct MessageFrame {
        /// The FlatBuffer `Message`.
        var metadata: Range<Int>
        var body: Range<Int>
        /// The first byte after the message.
        var end: Int { body.upperBound }
    }

    /// One step of reading a stream.
    enum Step {
        case message(MessageFrame)
        /// The end-of-stream marker, ending at `end`.
        case endOfStream(end: Int)
        /// The buffer ends inside the next message (or before one).
        case incomplete
    }

    /// The message starting at `start`, after checking its lengths against
    /// the buffer and `maxMessageBytes`. The body length is read from the
    /// metadata, so `parseBodyLength` must not trust more than the metadata.
    /// `index` (1-based) names the message in errors.
    static func step(_ bytes: UnsafeRawBufferPointer, at start: Int, index: Int) throws -> Step {
        var position = start
        guard bytes.count - position >= 4 else { return .incomplete }
        var length = readInt32(bytes, at: position)
        position += 4
        if length == -1 {
            // The continuation marker (format 0.15+); the length follows.
            guard bytes.count - position >= 4 else { return .incomplete }
            length = readInt32(bytes, at: position)
            position += 4
        }
        if length == 0 { return .endOfStream(end: position) }
        guard length > 0, Int(length) <= maxMessageBytes else {
            throw ConveyorError(.invalidInput, "Arrow message \(index): metadata length \(length) is not within 1...\(maxMessageBytes)")
        }
        let metadataLength = Int(length)
        guard bytes.count - position >= metadataLength else { return .incomplete }
        let metadata = position..<(position + metadataLength)
        let bodyLength = try self.bodyLength(Array(bytes[metadata]), index: index)
        let bodyStart = metadata.upperBound
        guard bytes.count - bodyStart >= bodyLength else { return .incomplete }
        return .message(MessageFrame(metadata: metadata, body: bodyStart..<(bodyStart + bodyLength)))
    }

    /// The length of the longest prefix of `bytes` holding only whole
    /// messages (the record splitter's answer for Arrow streams). A
    /// malformed length ends the prefix where it starts: the decoder then
    /// reports it.
    static func completePrefixLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        var end = 0
        var index = 1
        while true {
            guard let step = try? step(bytes, at: end, index: index) else { return end }
            switch step {
            case .message(let frame): end = frame.end
            case .endOfStream(let stop): return stop
            case .incomplete: return end
            }
            index += 1
        }
    }

    /// The parsed `Message` table of a frame's metadata.
    struct Message {
        var reader: FlatBufferReader
        var header: FlatBufferReader.Table
        var kind: UInt8
        var bodyLength: Int
    }

    static func message(_ metadata: [UInt8], index: Int) throws -> Message {
        let reader = FlatBufferReader(metadata, context: "Arrow message \(index)")
        let root = try reader.root()
        let kind: UInt8 = try reader.scalar(root, 1, default: 0)
        guard let header = try reader.subtable(root, 2) else {
            throw reader.failure("the message has no header")
        }
        let bodyLength: Int64 = try reader.scalar(root, 3, default: 0)
        guard bodyLength >= 0, bodyLength <= Int64(maxMessageBytes) else {
            throw reader.failure("body length \(bodyLength) is not within 0...\(maxMessageBytes)")
        }
        return Message(reader: reader, header: header, kind: kind, bodyLength: Int(bodyLength))
    }

    private static func bodyLength(_ metadata: [UInt8], index: Int) throws -> Int {
        try message(metadata, index: index).bodyLength
    }

    @inline(__always)
    static func readInt32(_ bytes: UnsafeRawBufferPointer, at position: Int) -> Int32 {
        Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: Int32.self))
    }
}
