import Codecs
import ConveyorCore
import Pipeline

/// Large CSV bodies are scored in pieces cut at record ends: a request's
/// working memory (decoded columns, stage outputs) then follows the piece
/// size instead of the body size. A 5.9 MB body held ~250 MB of working
/// memory scored whole. Answers are the same: rows are independent, and
/// errors name the row in the whole body.
extension InvocationRunner {
    /// Whether `run` scores this body in pieces.
    func scoresInPieces(_ pipeline: Pipeline, bodyCount: Int, requestType: MediaType, trace: Invocation.Trace) -> Bool {
        // A vector of unknown width learns its width from the first row of
        // what it decodes: pieces could disagree where the whole would fail.
        let flexibleVector = pipeline.decoder.inputs.contains { $0.type.isVector && $0.type.vectorWidth == nil }
        return requestType == .csv && bodyCount > chunkBytes && trace != .debug && !flexibleVector
    }

    func runInPieces(_ pipeline: Pipeline, body: [UInt8], responseType: MediaType,
                     trace: Invocation.Trace) async throws -> InvocationResult {
        let encoder = FrameEncoder()
        let outputColumns = pipeline.outputs.map(\.name)
        let stages = pipeline.stages
        var encoded: [UInt8] = []
        var batches: [Frame] = []  // JSON output is one document
        var rowsBefore = 0
        var timings: [StageTiming] = stages.map { StageTiming(name: $0.name, kind: $0.kind, duration: .zero, rows: 0) }
        var start = 0
        while start < body.count {
            let end = Self.pieceEnd(body, from: start, size: chunkBytes)
            defer { start = end }
            guard body[start..<end].contains(where: { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }) else { continue }
            let recorder = StageRecorder(keepFrames: false)
            let result: Frame
            let rows: Int
            do {
                let frame = try body.withUnsafeBytes { raw in
                    try pipeline.decoder.decodeRequest(UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: .csv).frame
                }
                rows = frame.rowCount
                result = try await pipeline.run(frame) { index, frame, duration in
                    recorder.record(StageTiming(name: stages[index].name, kind: stages[index].kind, duration: duration,
                                                rows: frame.rowCount))
                }
            } catch let error as ConveyorError {
                throw error.offsettingRows(by: rowsBefore)
            }
            rowsBefore += rows
            for (index, timing) in recorder.timings.enumerated() where index < timings.count {
                timings[index].duration += timing.duration
                timings[index].rows += timing.rows
            }
            if responseType == .json {
                batches.append(result)
            } else {
                encoded.append(contentsOf: try encoder.encode(result, columns: outputColumns, as: responseType))
            }
        }
        guard rowsBefore > 0 else { throw ConveyorError(.emptyInput, "the request has no rows") }
        if responseType == .json {
            encoded = try encoder.encode(try Frame(concatenating: batches), columns: outputColumns, as: .json)
        }
        return InvocationResult(body: encoded, contentType: responseType, rows: rowsBefore,
                                stages: trace == .none ? [] : timings)
    }

    /// The end of the piece starting at `start`: the last record end within
    /// `size` bytes, or, for a record longer than that, its own end.
    static func pieceEnd(_ body: [UInt8], from start: Int, size: Int) -> Int {
        let limit = body.count - start <= size ? body.count : start + size
        if limit == body.count { return limit }
        return body.withUnsafeBytes { raw in
            let complete = RecordSplitter.completePrefixLength(UnsafeRawBufferPointer(rebasing: raw[start..<limit]), type: .csv)
            if complete > 0 { return start + complete }
            let longer = RecordSplitter.completePrefixLength(UnsafeRawBufferPointer(rebasing: raw[start...]), type: .csv)
            return longer > 0 ? start + longer : body.count
        }
    }
}
