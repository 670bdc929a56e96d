import Codecs
import ConveyorCore
import Pipeline

/// Scores one mini-batch: decode, run the pipeline, encode, then the
/// DataProcessing steps (input filter, join, output filter) record by
/// record when any is set. Errors carry the 1-based record number within
/// the batch in `row`.
struct BatchScorer: Sendable {
    let pipeline: Pipeline
    let requestType: MediaType
    let responseType: MediaType
    let options: TransformOptions

    struct Scored {
        var output: [UInt8]
        var records: Int
    }

    /// The pipeline's one scoring path. Rows are scored independently, so
    /// cutting a mini-batch into pieces changes nothing in the output but
    /// keeps the frames (strings, feature vectors, XGBoost's matrix) small:
    /// memory stays flat whatever MaxPayloadInMB is.
    var scoring: Scoring {
        var scoring = Scoring(pipeline: pipeline, requestType: requestType, responseType: responseType)
        scoring.explain = options.explain
        return scoring
    }

    func score(_ batch: ArraySlice<UInt8>) async throws -> Scored {
        if options.needsRecords { return try await scoreRecords(batch) }
        let response = try await scoring.respond(to: batch)
        var body = response.body
        // CSV and JSON Lines bodies already end each record with a newline.
        if options.assembleWith == .line && responseType == .json { body.append(UInt8(ascii: "\n")) }
        return Scored(output: body, records: response.rows)
    }

    /// The records of a batch, each scored in one request but filtered and joined alone.
    private func scoreRecords(_ batch: ArraySlice<UInt8>) async throws -> Scored {
        let quoted = requestType == .csv
        let records = LineRecords.ranges(batch, quoted: quoted).map { batch[$0] }
        var body: [UInt8] = []
        for (index, record) in records.enumerated() {
            do {
                if let filter = options.inputFilter {
                    body += try RecordProcessing.filter(record, with: filter, csv: quoted)
                } else {
                    body += record
                }
            } catch let error as ConveyorError {
                throw error.atRecord(index + 1)
            }
            body.append(UInt8(ascii: "\n"))
        }
        let (result, explanation) = try await scoring.frame(for: body[...])
        guard result.rowCount == records.count else {
            throw ConveyorError(.invalidInput, "DataProcessing needs one row per record; \(records.count) records gave \(result.rowCount) rows")
        }
        let outputs = try perRecordOutputs(result, explanation: explanation)
        var out: [UInt8] = []
        for (index, record) in records.enumerated() {
            do {
                var line = outputs[index]
                if options.joinSource == .input {
                    line = try RecordProcessing.join(input: record, output: line, csv: requestType == .csv && responseType == .csv)
                }
                if let filter = options.outputFilter {
                    line = try RecordProcessing.filter(line[...], with: filter, csv: responseType == .csv)
                }
                out += line
            } catch let error as ConveyorError {
                throw error.atRecord(index + 1)
            }
            if options.assembleWith == .line { out.append(UInt8(ascii: "\n")) }
        }
        return Scored(output: out, records: records.count)
    }

    /// One output per row, without line terminators, each row's explanation
    /// (if any) inside it as `"explanation"`. For `application/json` each is
    /// the `{"predictions":[…]}` document a one-record request gets.
    private func perRecordOutputs(_ result: Frame, explanation: Explanation?) throws -> [[UInt8]] {
        let columns = pipeline.outputs.map(\.name)
        let lines = try FrameEncoder().encode(result, columns: columns, as: responseType == .json ? .jsonLines : responseType,
                                              explanation: explanation)
        let ranges = LineRecords.ranges(lines[...], quoted: responseType == .csv)
        guard ranges.count == result.rowCount else {
            throw ConveyorError(.internal, "the encoder wrote \(ranges.count) lines for \(result.rowCount) rows")
        }
        return ranges.map { range in
            responseType == .json ? Array("{\"predictions\":[".utf8) + lines[range] + Array("]}".utf8) : Array(lines[range])
        }
    }
}

extension ConveyorError {
    /// Sets the record number when the error has none.
    func atRecord(_ record: Int) -> ConveyorError {
        var copy = self
        if copy.row == nil { copy.row = record }
        return copy
    }
}
