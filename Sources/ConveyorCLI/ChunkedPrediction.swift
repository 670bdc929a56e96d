import Codecs
import ConveyorCore
import Foundation
import Pipeline

/// Scores an input stream chunk by chunk: complete CSV or JSON Lines
/// records are cut from the buffer, scored as one batch and written out,
/// so memory stays bounded by the chunk size. JSON is read whole.
struct ChunkedPrediction {
    let pipeline: Pipeline
    let requestType: MediaType
    let responseType: MediaType
    let chunkBytes: Int

    func run(reader: ChunkReader, sink: OutputSink) async throws {
        let encoder = FrameEncoder()
        let decoder = pipeline.decoder
        let outputColumns = pipeline.outputs.map(\.name)
        var pending: [UInt8] = []
        var rowsBefore = 0
        var sawRows = false
        var batches: [Frame] = []  // only for JSON output, which is one document

        func score(_ body: ArraySlice<UInt8>) async throws {
            let bytes = Array(body)
            guard bytes.contains(where: { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }) else { return }
            let request: FrameDecoder.Request
            let result: Frame
            do {
                request = try decoder.decodeRequest(bytes, as: requestType)
                result = try await pipeline.run(request.frame)
            } catch let error as ConveyorError {
                throw error.offsettingRows(by: rowsBefore)
            }
            rowsBefore += request.frame.rowCount
            sawRows = true
            if responseType == .json {
                batches.append(result)
            } else {
                try sink.write(encoder.encode(result, columns: outputColumns, as: responseType))
            }
        }

        while let chunk = try reader.next(maxBytes: chunkBytes) {
            pending.append(contentsOf: chunk)
            let complete = RecordSplitter.completePrefixLength(pending, type: requestType)
            if complete > 0 {
                try await score(pending[..<complete])
                pending.removeFirst(complete)
            }
        }
        try await score(pending[...])
        guard sawRows else { throw ConveyorError(.emptyInput, "the input has no rows") }
        if responseType == .json {
            try sink.write(encoder.encode(try Frame(concatenating: batches), columns: outputColumns, as: .json))
        }
    }
}
