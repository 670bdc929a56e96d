import Codecs
import ConveyorCore

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

    public init() {}

    public var effectiveBatchStrategy: BatchStrategy {
        batchStrategy ?? (splitType == .line ? .multiRecord : .singleRecord)
    }

    /// Whether records must be handled one by one (filters and joins work per record).
    var needsRecords: Bool {
        inputFilter != nil || outputFilter != nil || joinSource == .input
    }

    /// The suffix of output objects.
    public var outputSuffix: String { outputCompression == .gzip ? ".out.gz" : ".out" }

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
        if explain && needsRecords {
            throw ConveyorError(.invalidInput, "--explain does not combine with InputFilter, OutputFilter or JoinSource yet")
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
