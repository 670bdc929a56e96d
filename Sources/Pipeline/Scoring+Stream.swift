import Codecs
import ConveyorCore

extension Scoring {
    /// One request's bytes scored piece by piece, each piece ending at a
    /// record end: `score` returns what can be written now, `finish` the
    /// rest (a JSON response's one document).
    public struct Stream {
        let scoring: Scoring
        let columns: [String]
        /// Rows scored so far: the offset of the next piece's row numbers.
        public private(set) var rows = 0
        /// A JSON response is one document: its frames (and their
        /// explanations, when asked) wait for `finish`.
        private var frames: [Frame] = []
        private var explanations: [Explanation] = []

        public init(_ scoring: Scoring) {
            self.scoring = scoring
            self.columns = scoring.pipeline.outputNames
        }

        /// Scores one piece of complete records; a piece of blank lines is
        /// skipped unless `skippingBlank` is false (a whole body: the decoder
        /// then says what is wrong with it). Errors name rows of the whole stream.
        public mutating func score(_ piece: ArraySlice<UInt8>, skippingBlank: Bool = true) async throws -> [UInt8] {
            if skippingBlank, piece.allSatisfy(RecordSplitter.isBlank) { return [] }
            let scored: Scored
            do {
                scored = try await scoring.decodeAndRun(piece)
            } catch let error as ConveyorError {
                throw error.offsettingRows(by: rows)
            }
            return try add(scored)
        }

        /// `score`, without a suspension point, when the scoring `respondsNow`.
        public mutating func scoreNow(_ piece: ArraySlice<UInt8>, skippingBlank: Bool = true) throws -> [UInt8] {
            if skippingBlank, piece.allSatisfy(RecordSplitter.isBlank) { return [] }
            let scored: Scored
            do {
                scored = try scoring.decodeAndRunNow(piece)
            } catch let error as ConveyorError {
                throw error.offsettingRows(by: rows)
            }
            return try add(scored)
        }

        /// A piece's output: encoded now, or kept for `finish` (JSON).
        private mutating func add(_ scored: Scored) throws -> [UInt8] {
            rows += scored.decoded
            if scoring.responseType == .json {
                frames.append(scored.frame)
                if let explanation = scored.explanation { explanations.append(explanation) }
                return []
            }
            return try FrameEncoder().encode(scored.frame, columns: columns, as: scoring.responseType,
                                             explanation: scored.explanation)
        }

        /// The rest of the response; `.emptyInput` when no piece had a row.
        public mutating func finish() throws -> [UInt8] {
            guard rows > 0 else { throw ConveyorError(.emptyInput, "the request has no rows") }
            guard scoring.responseType == .json else { return [] }
            defer { frames = []; explanations = [] }
            let whole = frames.count == 1 ? frames[0] : try Frame(concatenating: frames)
            let explanation = explanations.isEmpty ? nil : Explanation(concatenating: explanations)
            return try FrameEncoder().encode(whole, columns: columns, as: .json, explanation: explanation)
        }
    }
}
