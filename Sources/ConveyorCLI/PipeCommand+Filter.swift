import BatchTransform
import Codecs
import ConveyorCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Pipeline

/// `conveyor pipe`'s loop: reads what standard input has, cuts the whole
/// records (Arrow: whole messages) from the front of the buffer, scores
/// them through `Scoring.respond` (the one decode → run → encode path)
/// and writes the answer before reading on. Memory: one read, one
/// unfinished record or message, one piece's answer.
struct PipeFilter {
    let scoring: Scoring
    let policy: RecordErrorPolicy
    let output: FileHandle
    let errors: FileHandle
    /// Records read so far (the offset of the next piece's row numbers).
    private(set) var records = 0
    /// Records left out with `--record-errors isolate`.
    private(set) var failed = 0
    /// An Arrow input's schema message: every piece is scored as schema + batches.
    private var arrowSchema: [UInt8]?
    private var splicer = ArrowStreamSplicer()
    private var wroteArrow = false
    /// Spark's own TRANSFORM separates fields with U+0001 unless told otherwise (Hive mode and
    /// `FIELDS TERMINATED BY '\t'` use tabs): a TSV answer uses the separator its input used.
    private var separator: UInt8?

    init(scoring: Scoring, policy: RecordErrorPolicy, output: FileHandle, errors: FileHandle) {
        self.scoring = scoring
        self.policy = policy
        self.output = output
        self.errors = errors
    }

    private var type: MediaType { scoring.requestType }

    mutating func run(input: Int32, chunkBytes: Int) async throws {
        var buffer = [UInt8](repeating: 0, count: chunkBytes)
        var pending: [UInt8] = []
        while true {
            let count = try Self.read(input, into: &buffer)
            if count == 0 { break }
            pending.append(contentsOf: buffer[..<count])
            if type == .arrowStream && arrowSchema == nil {
                guard let length = try ArrowStreamSplicer.firstMessageLength(pending) else { continue }
                arrowSchema = Array(pending[..<length])
                pending.removeFirst(length)
            }
            let complete = RecordSplitter.completePrefixLength(pending, type: type)
            if complete > 0 {
                try await score(pending[..<complete])
                pending.removeFirst(complete)
            }
        }
        // A last record without its line break; for Arrow, a cut message (refused by the decoder).
        if !pending.isEmpty { try await score(pending[...]) }
        if wroteArrow { try output.write(contentsOf: splicer.finish()) }
    }

    /// Scores one piece of whole records and writes its answer.
    private mutating func score(_ piece: ArraySlice<UInt8>) async throws {
        if type != .arrowStream, piece.allSatisfy(RecordSplitter.isBlank) { return }
        if type == .tsv, separator == nil {
            let line = piece.prefix { $0 != UInt8(ascii: "\n") }
            separator = line.first { $0 == 0x01 || $0 == UInt8(ascii: "\t") }
        }
        let body = arrowSchema.map { $0 + piece } ?? Array(piece)
        do {
            let response = try await scoring.respond(to: body)
            records += response.rows
            try write(response.body)
        } catch let error as ConveyorError where error.code == .emptyInput {
            return  // A piece without rows (an Arrow end marker, an empty batch).
        } catch let error as ConveyorError where policy == .isolate {
            try await isolate(body, piece: piece, first: error)
        } catch {
            throw ConveyorError.wrap(error, code: .invalidInput).offsettingRows(by: records)
        }
    }

    private mutating func write(_ answer: [UInt8]) throws {
        if scoring.responseType == .tsv, separator == 0x01 {
            // The encoder refuses tabs inside TSV strings, so every tab is a separator.
            return try output.write(contentsOf: answer.map { $0 == UInt8(ascii: "\t") ? 0x01 : $0 })
        }
        guard scoring.responseType == .arrowStream else { return try output.write(contentsOf: answer) }
        let bytes = try splicer.splice(answer)
        wroteArrow = true
        try output.write(contentsOf: bytes)
    }

    /// A failed piece scored again record by record (text) or row by row
    /// (Arrow): good records keep their place, bad ones are listed.
    private mutating func isolate(_ body: [UInt8], piece: ArraySlice<UInt8>, first: ConveyorError) async throws {
        if type != .arrowStream {
            let ranges = RecordSplitter.records(piece, type: type)
            for (index, range) in ranges.enumerated() {
                do {
                    try write(try await scoring.respond(to: piece[range]).body)
                } catch {
                    report(record: records + index + 1, error)
                }
            }
            records += ranges.count
            return
        }
        let frame: Frame
        do {
            frame = try scoring.pipeline.decoder.decode(body, as: .arrowStream)
        } catch {
            // A batch that cannot be read has no rows to tell apart.
            return report(record: records + 1, error, prefix: "records from")
        }
        let columns = scoring.pipeline.outputs.map(\.name)
        for row in 0..<frame.rowCount {
            var keep = [Bool](repeating: false, count: frame.rowCount)
            keep[row] = true
            do {
                let result = try await scoring.pipeline.run(frame.filtered(keeping: keep))
                try write(try FrameEncoder().encode(result, columns: columns, as: scoring.responseType))
            } catch {
                report(record: records + row + 1, error)
            }
        }
        records += frame.rowCount
    }

    private mutating func report(record: Int, _ error: any Error, prefix: String = "record") {
        var wrapped = ConveyorError.wrap(error, code: .invalidInput)
        wrapped.row = nil
        failed += 1
        let line = "\(prefix) \(record): \(wrapped)".map { $0 == "\n" || $0 == "\r" ? " " : $0 }
        errors.write(Data((String(line) + "\n").utf8))
    }

    /// One read(2) of what is there (at most the buffer), retried on EINTR; 0 at the end.
    static func read(_ descriptor: Int32, into buffer: inout [UInt8]) throws -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return count }
            guard errno == EINTR else {
                throw ConveyorError(.internal, "cannot read standard input: \(String(cString: strerror(errno)))")
            }
        }
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#else
private let systemRead = Darwin.read
#endif
