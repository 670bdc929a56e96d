import Codecs
import ConveyorCore

/// The one decode → run → encode path. The server, batch transform,
/// `conveyor predict` and the benchmark all score request bytes through it,
/// so a body gets the same answer, the same errors and the same memory
/// bound wherever it comes from.
///
/// Large CSV and JSON Lines bodies are scored in pieces cut at record ends
/// (`pieceBytes`): working memory (decoded columns, stage outputs) then
/// follows the piece size instead of the body size, answers are the same
/// (rows are independent) and errors name the row in the whole body. A JSON
/// response is one document, so its pieces' frames are encoded once at the end.
public struct Scoring: Sendable {
    public typealias StageObserver = @Sendable (_ stage: Int, _ frame: Frame, _ duration: Duration) -> Void

    public let pipeline: Pipeline
    public let requestType: MediaType
    public let responseType: MediaType
    /// Bodies over this many bytes are scored in pieces (when their type can be cut).
    public var pieceBytes: Int
    /// Called after each stage of each piece, in order.
    public var observer: StageObserver?
    /// Each response row also carries the model's attributions on the
    /// request's columns (`Pipeline.explain`); JSON and JSON Lines only.
    public var explain = false
    /// Merge this request's rows with other requests' while the pipeline is
    /// busy (`MicroBatcher`); nil runs it alone. Not with `explain`. With an
    /// observer, a merged call is observed by the request that runs it.
    public var batching: MicroBatching?

    public init(pipeline: Pipeline, requestType: MediaType, responseType: MediaType,
                pieceBytes: Int = Scoring.defaultPieceBytes, observer: StageObserver? = nil) {
        self.pipeline = pipeline
        self.requestType = requestType
        self.responseType = responseType
        self.pieceBytes = pieceBytes
        self.observer = observer
    }

    /// 256 KiB: far above a real-time request, small enough that a large
    /// body's frames stay a few megabytes.
    public static let defaultPieceBytes = 256 << 10

    /// A decoded and run body or piece: the output frame, its explanation
    /// (with `explain`) and how many rows were decoded.
    typealias Scored = (frame: Frame, explanation: Explanation?, decoded: Int)

    /// What a body scored to.
    public struct Response: Sendable {
        public var body: [UInt8]
        public var rows: Int
    }

    /// Scores one whole body.
    public func respond(to body: ArraySlice<UInt8>) async throws -> Response {
        if respondsNow { return try respondNow(to: body) }
        var stream = Stream(self)
        var out: [UInt8] = []
        let split = pieces(of: body)
        for piece in split {
            out += try await stream.score(body[piece], skippingBlank: split.isCut)
        }
        out += try stream.finish()
        return Response(body: out, rows: stream.rows)
    }

    public func respond(to body: [UInt8]) async throws -> Response {
        try await respond(to: body[...])
    }

    /// Whether `respondNow` can score bodies: every stage runs in process,
    /// and neither explanations nor micro-batching (which waits for other
    /// requests) are asked for.
    public var respondsNow: Bool { pipeline.runsInProcess && !explain && batching == nil }

    /// `respond`, without a suspension point, when `respondsNow`.
    public func respondNow(to body: ArraySlice<UInt8>) throws -> Response {
        var stream = Stream(self)
        var out: [UInt8] = []
        let split = pieces(of: body)
        for piece in split {
            out += try stream.scoreNow(body[piece], skippingBlank: split.isCut)
        }
        out += try stream.finish()
        return Response(body: out, rows: stream.rows)
    }

    /// The pieces a body is scored in: the whole body, or pieces of at most
    /// `pieceBytes` cut at record ends (a record longer than that is one piece).
    func pieces(of body: ArraySlice<UInt8>) -> Pieces {
        Pieces(body: body, size: canCut && body.count > pieceBytes ? pieceBytes : nil, type: requestType)
    }

    /// The pieces of one body, found as they are asked for (nothing allocated).
    struct Pieces: Sequence, IteratorProtocol {
        let body: ArraySlice<UInt8>
        /// nil: the whole body is one piece, even an empty one (the decoder says what is wrong with it).
        let size: Int?
        let type: MediaType
        private var start: Int?

        /// Whether the body is cut: its pieces of blank lines alone are then
        /// skipped, while a whole body goes to the decoder whatever it holds.
        var isCut: Bool { size != nil }

        init(body: ArraySlice<UInt8>, size: Int?, type: MediaType) {
            self.body = body
            self.size = size
            self.type = type
            start = body.startIndex
        }

        mutating func next() -> Range<Int>? {
            guard let from = start else { return nil }
            guard let size else {
                start = nil
                return from..<body.endIndex
            }
            guard from < body.endIndex else { return nil }
            let end = Scoring.pieceEnd(body, from: from, size: size, type: type)
            start = end
            return from..<end
        }
    }

    /// Whether bodies of this type may be cut: one JSON document may not,
    /// and a vector of unknown width learns its width from the first row it
    /// decodes, so pieces could disagree where the whole body would fail.
    public var canCut: Bool {
        // An Arrow stream is one schema then batches, in and out: never cut.
        requestType != .json && requestType != .arrowStream && responseType != .arrowStream
            && !pipeline.decoder.inputs.contains { $0.type.isVector && $0.type.vectorWidth == nil }
    }

    /// Decodes and runs one body: the output frame and, with `explain`, its
    /// rows' explanation, for callers that encode per record themselves
    /// (batch transform's DataProcessing).
    public func frame(for body: ArraySlice<UInt8>) async throws -> (frame: Frame, explanation: Explanation?) {
        let (result, explanation, _) = try await decodeAndRun(body)
        return (result, explanation)
    }

    /// Decode → run (→ explain, with `explain`): the step every body or
    /// piece goes through, also giving how many rows were decoded.
    /// (An in-process pipeline's stages run without suspending here too:
    /// `Pipeline.run` hands them to `runNow`.)
    func decodeAndRun(_ body: ArraySlice<UInt8>) async throws -> Scored {
        let frame = try decode(body)
        let rows = frame.rowCount
        if explain {
            let (predictions, explanation) = try await pipeline.explain(frame)
            return (predictions, explanation, rows)
        }
        if let batching {
            let output = try await pipeline.batcher.run(frame, batching) { [pipeline, observer] frame in
                try await pipeline.run(frame, observer: observer)
            }
            return (output, nil, rows)
        }
        // Handed over, not copied: the stages add columns in place.
        return (try await pipeline.run(consume frame, observer: observer), nil, rows)
    }

    /// `decodeAndRun` when `respondsNow`.
    func decodeAndRunNow(_ body: ArraySlice<UInt8>) throws -> Scored {
        let frame = try decode(body)
        let rows = frame.rowCount
        return (try pipeline.runNow(consume frame, observer: observer), nil, rows)
    }

    private func decode(_ body: ArraySlice<UInt8>) throws -> Frame {
        if explain, responseType == .csv { throw FrameEncoder.explanationsNeedJSON }
        return try body.withUnsafeBytes { try pipeline.decoder.decodeRequest($0, as: requestType) }.frame
    }

    /// The end of the piece starting at `start`: the last record end within
    /// `size` bytes, or, for a record longer than that, its own end.
    static func pieceEnd(_ body: ArraySlice<UInt8>, from start: Int, size: Int, type: MediaType) -> Int {
        let limit = body.endIndex - start <= size ? body.endIndex : start + size
        if limit == body.endIndex { return limit }
        let complete = body[start..<limit].withUnsafeBytes { RecordSplitter.completePrefixLength($0, type: type) }
        if complete > 0 { return start + complete }
        let longer = body[start...].withUnsafeBytes { RecordSplitter.completePrefixLength($0, type: type) }
        return longer > 0 ? start + longer : body.endIndex
    }
}
