import Codecs
import ConveyorCore
import Foundation
import Pipeline

/// Scores an input stream chunk by chunk through the pipeline's one
/// scoring path: complete CSV or JSON Lines records are cut from the
/// buffer, scored and written out, so memory stays bounded by the chunk
/// size. JSON is read whole.
struct ChunkedPrediction {
    let pipeline: Pipeline
    let requestType: MediaType
    let responseType: MediaType
    let chunkBytes: Int
    var explain = false

    func run(reader: ChunkReader, sink: OutputSink) async throws {
        var scoring = Scoring(pipeline: pipeline, requestType: requestType, responseType: responseType)
        scoring.explain = explain
        var stream = Scoring.Stream(scoring)
        var pending: [UInt8] = []
        while let chunk = try reader.next(maxBytes: chunkBytes) {
            pending.append(contentsOf: chunk)
            let complete = RecordSplitter.completePrefixLength(pending, type: requestType)
            if complete > 0 {
                try sink.write(try await stream.score(pending[..<complete]))
                pending.removeFirst(complete)
            }
        }
        try sink.write(try await stream.score(pending[...]))
        try sink.write(try stream.finish())
    }
}
