import ConveyorCore
import Foundation

/// SplitType Line + MultiRecord over CSV or JSON Lines, the bulk case:
/// the object is cut into small slices of whole records that are scored
/// several at a time (decode, pipeline, encode in each task, so both the
/// parsing and libxgboost use every core) and written in input order as
/// each one is ready. At most `window` slices are read and not yet
/// written, so memory does not grow with the object or MaxPayloadInMB.
extension ObjectTransformer {
    /// Input bytes per slice: about 2,700 Car rows, enough that one
    /// libxgboost call costs far more than its fixed overhead, small
    /// enough that a slice's frames stay in the CPU caches.
    static let sliceBytes = 64 << 10

    /// Whether this job scores objects slice by slice. Mini-batch
    /// boundaries are then invisible: every output is one line per record.
    var scoresSlices: Bool {
        options.splitType == .line && options.effectiveBatchStrategy == .multiRecord && !options.needsRecords
            && scorer.requestType != .json && scorer.responseType != .json
    }

    /// One slice's outcome; record numbers in it count from the slice's start.
    struct SliceResult: Sendable {
        var output: [UInt8] = []
        var records = 0
        /// `--record-errors isolate`: the slice's failed records (1-based) and why.
        var failures: [(record: Int, reason: String)] = []
        /// The slice failed (SageMaker's default policy): the object fails.
        var error: ConveyorError?
    }

    /// Scores the object's slices concurrently and writes their outputs
    /// in order. Returns the number of records.
    func scoreSlices(of stream: ByteStream, into sink: OutputStream, source: String,
                     errors: inout ErrorLog) async throws -> Int {
        let slicer = RecordSlicer(stream: stream, type: scorer.requestType, sliceBytes: Self.sliceBytes,
                                  maxPayload: options.maxPayloadBytes, source: source)
        let window = 3 * max(ProcessInfo.processInfo.activeProcessorCount, 1)
        var log = errors
        defer { errors = log }
        return try await withThrowingTaskGroup(of: (Int, SliceResult).self) { group in
            var issued = 0
            var written = 0
            var records = 0
            var bytesSeen: Int64 = 0
            var ready: [Int: SliceResult] = [:]
            var ended = false
            // A read error comes after the records read before it, as in a serial run.
            var readError: (any Error)?
            while true {
                while !ended && issued - written < window {
                    do {
                        guard let slice = try await slicer.next() else { ended = true; break }
                        let index = issued
                        issued += 1
                        group.addTask { (index, await scoreSlice(slice)) }
                    } catch {
                        readError = error
                        ended = true
                    }
                }
                guard let (index, result) = try await group.next() else { break }
                ready[index] = result
                while let result = ready.removeValue(forKey: written) {
                    written += 1
                    if let error = result.error { throw error.offsettingRows(by: records) }
                    for failure in result.failures { log.add(record: records + failure.record, reason: failure.reason) }
                    records += result.records
                    try await sink.write(result.output)
                    counters.add(records: result.records, bytesRead: stream.bytesRead - bytesSeen)
                    bytesSeen = stream.bytesRead
                }
            }
            if let readError { throw readError }
            return records
        }
    }

    /// Decode, pipeline and encode of one slice; with `--record-errors
    /// isolate`, a failed slice is scored again record by record.
    private func scoreSlice(_ slice: [UInt8]) async -> SliceResult {
        do {
            let scored = try await scorer.score(slice[...])
            return SliceResult(output: scored.output, records: scored.records)
        } catch is ConveyorError where options.recordErrors == .isolate {
            return await isolate(slice)
        } catch {
            return SliceResult(error: ConveyorError.wrap(error, code: .invalidInput))
        }
    }

    private func isolate(_ slice: [UInt8]) async -> SliceResult {
        let ranges = LineRecords.ranges(slice[...], quoted: scorer.requestType == .csv)
        var result = SliceResult(records: ranges.count)
        for (index, range) in ranges.enumerated() {
            var record = Array(slice[range])
            record.append(UInt8(ascii: "\n"))
            do {
                result.output += try await scorer.score(record[...]).output
            } catch {
                var wrapped = ConveyorError.wrap(error, code: .invalidInput)
                wrapped.row = nil
                result.failures.append((record: index + 1, reason: "\(wrapped)"))
            }
        }
        return result
    }
}
