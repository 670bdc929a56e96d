import Codecs
import ConveyorCore
import Foundation

/// SageMaker's `SplitType`: how an input object is cut into records.
public enum SplitType: String, Sendable, CaseIterable {
    case none = "None", line = "Line"
}

/// SageMaker's `BatchStrategy`: one record per request, or as many as fit.
public enum BatchStrategy: String, Sendable, CaseIterable {
    case singleRecord = "SingleRecord", multiRecord = "MultiRecord"
}

/// SageMaker's `AssembleWith`: outputs concatenated, or one line per record.
public enum AssembleWith: String, Sendable, CaseIterable {
    case none = "None", line = "Line"
}

/// SageMaker's `CompressionType` (of inputs); also used for outputs here.
public enum Compression: String, Sendable, CaseIterable {
    case none = "None", gzip = "Gzip"
}

/// SageMaker's `JoinSource`.
public enum JoinSource: String, Sendable, CaseIterable {
    case none = "None", input = "Input"
}

/// What a bad record does: fail its object (SageMaker), or go to `<key>.err`.
public enum RecordErrorPolicy: String, Sendable, CaseIterable {
    case fail, isolate
}

/// How `--shard-index/--shard-count` split the work: whole objects by key
/// hash, or every object cut into byte ranges, one per worker.
public enum ShardMode: String, Sendable, CaseIterable {
    case object, bytes
}

/// Every setting of a transform job, SageMaker's names and defaults.
public struct TransformOptions: Sendable {
    /// Nil: the pipeline's default content type.
    public var contentType: MediaType?
    /// Nil: the pipeline's default Accept.
    public var accept: MediaType?
    public var splitType: SplitType = .none
    /// Nil: MultiRecord when SplitType is Line (as SageMaker's SDK), else SingleRecord.
    public var batchStrategy: BatchStrategy?
    public var maxPayloadBytes: Int = 6 << 20
    public var maxConcurrentTransforms: Int = 1
    public var assembleWith: AssembleWith = .none
    public var compression: Compression = .none
    public var outputCompression: Compression = .none
    public var inputFilter: JSONPath?
    public var outputFilter: JSONPath?
    public var joinSource: JoinSource = .none
    public var recordErrors: RecordErrorPolicy = .fail
    public var shard: Shard = Shard(index: 0, count: 1)
    /// Each output record also carries the model's attributions on the
    /// input columns (`Scoring.explain`): JSON Lines or JSON output only.
    public var explain = false
    /// `application/x-parquet` objects in (ContentType) or out (Accept):
    /// MediaType names the text types only, so Parquet is a flag of its own.
    public var parquetInput = false
    public var parquetOutput = false
    /// Rows per row group of Parquet outputs.
    public var parquetRowGroupRows = 131_072
    /// Input columns copied into each output row, before the pipeline's (Parquet input).
    public var passThrough: [String] = []
    public var shardBy: ShardMode = .object

    public init() {}

    /// `application/x-parquet` (Parquet has no registered type until
    /// `application/vnd.apache.parquet`; both are taken), parameters ignored.
    public static func isParquet(_ value: String) -> Bool {
        let type = value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return type == "application/x-parquet" || type == "application/vnd.apache.parquet"
    }

    /// Most rows a written row group may hold (the reader's per-row-group limit).
    public static let maxRowGroupRows = 1 << 24

    public var effectiveBatchStrategy: BatchStrategy {
        batchStrategy ?? (splitType == .line ? .multiRecord : .singleRecord)
    }

    /// Whether records must be handled one by one (filters and joins work per record).
    var needsRecords: Bool {
        inputFilter != nil || outputFilter != nil || joinSource == .input
    }

    /// The suffix of output objects.
    public var outputSuffix: String { outputCompression == .gzip ? ".out.gz" : ".out" }

    /// The output key (relative to the output prefix) of an input's relative
    /// key: `<key>.out`, or with byte-range shards `<key>.part-NNNNN.out`,
    /// this worker's part; `suffix` replaces `.out` (`.err` for error logs).
    public func outputName(_ relativeKey: String, suffix: String? = nil) -> String {
        let part = shardBy == .bytes ? String(format: ".part-%05d", shard.index) : ""
        return relativeKey + part + (suffix ?? outputSuffix)
    }

    /// Checks combinations SageMaker refuses; messages name the parameters.
    public func validate() throws {
        guard (1...100 << 20).contains(maxPayloadBytes) else {
            throw ConveyorError(.invalidInput, "MaxPayloadInMB must be between 1 and 100")
        }
        guard maxConcurrentTransforms >= 1 else {
            throw ConveyorError(.invalidInput, "MaxConcurrentTransforms must be at least 1")
        }
        if batchStrategy == .multiRecord && splitType == .none {
            throw ConveyorError(.invalidInput, "BatchStrategy MultiRecord needs SplitType Line")
        }
        if contentType == .json && splitType == .line {
            throw ConveyorError(.invalidInput, "application/json input is one document per object; use SplitType None or application/jsonlines")
        }
        if needsRecords && splitType != .line {
            throw ConveyorError(.invalidInput, "InputFilter, OutputFilter and JoinSource need SplitType Line")
        }
        if recordErrors == .isolate && splitType != .line {
            throw ConveyorError(.invalidInput, "--record-errors isolate needs SplitType Line")
        }
        // An Arrow stream is one schema then batches: no record boundaries a
        // batch-transform split could cut at (`conveyor pipe` and the server read it).
        if contentType == .arrowStream || accept == .arrowStream {
            throw ConveyorError(.invalidInput, "application/vnd.apache.arrow.stream is read and written by `conveyor pipe` "
                + "and the server, not by transform: use text/csv, application/jsonlines, application/json or application/x-parquet")
        }
        if contentType == .tsv && needsRecords {
            throw ConveyorError(.invalidInput, "InputFilter, OutputFilter and JoinSource read CSV or JSON records, not "
                + "text/tab-separated-values")
        }
        try validateParquet()
        try validateByteShards()
    }

    private func validateParquet() throws {
        let either = parquetInput || parquetOutput
        if parquetOutput && !parquetInput {
            throw ConveyorError(.invalidInput, "Accept application/x-parquet needs ContentType application/x-parquet")
        }
        if !passThrough.isEmpty && !parquetInput {
            throw ConveyorError(.invalidInput, "--pass-through needs ContentType application/x-parquet "
                + "(for CSV and JSON Lines use JoinSource Input)")
        }
        guard either else { return }
        if needsRecords {
            throw ConveyorError(.invalidInput, "InputFilter, OutputFilter and JoinSource apply to text records; "
                + "with Parquet choose columns with --pass-through")
        }
        if compression == .gzip {
            throw ConveyorError(.invalidInput, "CompressionType Gzip does not apply to Parquet objects (their pages are compressed)")
        }
        if parquetOutput && outputCompression == .gzip {
            throw ConveyorError(.invalidInput, "--output-compression Gzip does not apply to Parquet outputs (their pages are compressed with snappy)")
        }
        if recordErrors == .isolate { throw ConveyorError(.invalidInput, "--record-errors isolate does not apply to Parquet objects yet") }
        if explain { throw ConveyorError(.invalidInput, "--explain does not apply to Parquet objects yet") }
        guard (1...Self.maxRowGroupRows).contains(parquetRowGroupRows) else {
            throw ConveyorError(.invalidInput, "--parquet-row-group-rows must be between 1 and \(Self.maxRowGroupRows)")
        }
        if Set(passThrough).count != passThrough.count {
            throw ConveyorError(.invalidInput, "--pass-through names a column twice")
        }
    }

    private func validateByteShards() throws {
        guard shardBy == .bytes else { return }
        if compression == .gzip {
            throw ConveyorError(.invalidInput, "--shard-by bytes cannot cut gzip objects (a gzip stream cannot be "
                + "read from the middle); use --shard-by object, or store the object uncompressed")
        }
        if !parquetInput && (splitType != .line || contentType == .json) {
            throw ConveyorError(.invalidInput, "--shard-by bytes cuts objects at record ends: it needs SplitType Line "
                + "(CSV or JSON Lines) or Parquet input")
        }
        guard shard.count <= 99_999 else {
            throw ConveyorError(.invalidInput, "--shard-by bytes names parts part-00000 to part-99999: at most 99999 shards")
        }
    }
}

/// This worker's part of the objects: those whose key hash modulo `count` is `index`.
public struct Shard: Sendable, Equatable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public func owns(_ relativeKey: String) -> Bool {
        count <= 1 || Int(Self.hash(relativeKey) % UInt64(count)) == index
    }

    /// This worker's bytes of an object of `size` bytes with `--shard-by bytes`:
    /// `[size·index/count, size·(index+1)/count)`, without overflow.
    public func byteRange(size: Int64) -> Range<Int64> {
        func cut(_ k: Int) -> Int64 {
            let n = Int64(max(count, 1))
            return size / n * Int64(k) + (size % n) * Int64(k) / n
        }
        return cut(index)..<cut(index + 1)
    }

    /// FNV-1a over the key's UTF-8 bytes: stable across runs, machines and versions.
    public static func hash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}
