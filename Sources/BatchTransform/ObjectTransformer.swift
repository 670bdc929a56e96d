import Codecs
import ConveyorCore
import Storage

/// Transforms one input object into `<relative key>.out` under the output
/// prefix. The output is committed only when every record succeeded (or,
/// with `--record-errors isolate`, with failed records listed in
/// `<relative key>.err`); otherwise nothing is left behind.
struct ObjectTransformer: Sendable {
    let scorer: BatchScorer
    let options: TransformOptions
    let inputStore: any ObjectStore
    let outputStore: any ObjectStore
    let output: StorageLocation
    let counters: JobCounters

    func run(_ object: InputObject) async -> ObjectOutcome {
        let name = object.location.description
        let outputKey: String
        do {
            outputKey = output.appending(options.outputName(try object.checkedRelativeKey())).prefix
            if try await outputStore.exists(key: outputKey) {
                counters.add(skipped: 1)
                return .skipped
            }
        } catch {
            return .failed(ObjectFailure(object: name, record: nil, reason: "\(ConveyorError.wrap(error, code: .storageFailed))"))
        }
        var sink: OutputStream?
        var stream: ByteStream?
        var errors = ErrorLog()
        do {
            if options.parquetInput {
                let sinkStream = try OutputStream(writer: try await outputStore.create(key: outputKey), gzip: false)
                sink = sinkStream
                let records = try await scoreParquet(object, into: sinkStream, source: name)
                try await sinkStream.commit()
                counters.add(succeeded: 1, failedRecords: 0, bytesWritten: sinkStream.bytesWritten)
                return .succeeded(records: records, failedRecords: 0)
            }
            let reader = try await inputStore.open(key: object.location.prefix)
            let cutter = options.shardBy == .bytes
                ? RecordRangeCutter(range: options.shard.byteRange(size: object.size), csv: scorer.requestType == .csv,
                                    source: name)
                : nil
            let input = try ByteStream(reader: reader, gzip: options.compression == .gzip, source: name, cutter: cutter)
            stream = input
            let sinkStream = try OutputStream(writer: try await outputStore.create(key: outputKey),
                                              gzip: options.outputCompression == .gzip)
            sink = sinkStream
            let records = scoresSlices
                ? try await scoreSlices(of: input, into: sinkStream, source: name, errors: &errors)
                : try await scoreBatches(of: input, into: sinkStream, source: name, errors: &errors)
            await input.close()
            if !errors.lines.isEmpty {
                let errorKey = output.appending(options.outputName(object.relativeKey, suffix: ".err")).prefix
                try await outputStore.put(key: errorKey, bytes: errors.lines)
            }
            try await sinkStream.commit()
            counters.add(succeeded: 1, failedRecords: errors.count, bytesWritten: sinkStream.bytesWritten)
            return .succeeded(records: records, failedRecords: errors.count)
        } catch {
            await sink?.abort()
            await stream?.close()
            let wrapped = ConveyorError.wrap(error, code: .invalidInput)
            var located = wrapped
            located.row = nil
            return .failed(ObjectFailure(object: name, record: wrapped.row, reason: "\(located)"))
        }
    }

    /// SageMaker's mini-batches one after another (SplitType None,
    /// SingleRecord, JSON documents, filters and joins).
    private func scoreBatches(of stream: ByteStream, into sink: OutputStream, source: String,
                              errors: inout ErrorLog) async throws -> Int {
        let batcher = RecordBatcher(stream: stream, type: scorer.requestType, split: options.splitType,
                                    strategy: options.effectiveBatchStrategy, maxPayload: options.maxPayloadBytes,
                                    source: source)
        var recordsBefore = 0
        var bytesSeen: Int64 = 0
        while let batch = try await batcher.next() {
            let scored: BatchScorer.Scored
            do {
                scored = try await scorer.score(batch)
            } catch let error as ConveyorError where options.recordErrors == .isolate {
                scored = try await isolate(batch, first: error, recordsBefore: recordsBefore, errors: &errors)
            } catch {
                throw ConveyorError.wrap(error, code: .invalidInput).offsettingRows(by: recordsBefore)
            }
            recordsBefore += scored.records
            try await sink.write(scored.output)
            counters.add(records: scored.records, bytesRead: stream.bytesRead - bytesSeen)
            bytesSeen = stream.bytesRead
        }
        return recordsBefore
    }

    /// Scores a failed batch one record at a time: good records keep their
    /// place in the output, bad ones go to the error log.
    private func isolate(_ batch: ArraySlice<UInt8>, first: ConveyorError, recordsBefore: Int,
                         errors: inout ErrorLog) async throws -> BatchScorer.Scored {
        let ranges = LineRecords.ranges(batch, quoted: scorer.requestType == .csv)
        var output: [UInt8] = []
        for (index, range) in ranges.enumerated() {
            var record = Array(batch[range])
            record.append(UInt8(ascii: "\n"))
            do {
                output += try await scorer.score(record[...]).output
            } catch {
                var wrapped = ConveyorError.wrap(error, code: .invalidInput)
                wrapped.row = nil
                errors.add(record: recordsBefore + index + 1, reason: "\(wrapped)")
            }
        }
        return BatchScorer.Scored(output: output, records: ranges.count)
    }
}

/// `<key>.err`: one `record N: reason` line per failed record.
struct ErrorLog {
    var lines: [UInt8] = []
    var count = 0

    mutating func add(record: Int, reason: String) {
        count += 1
        lines += Array("record \(record): \(reason.replacingNewlines())\n".utf8)
    }
}

extension String {
    func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
