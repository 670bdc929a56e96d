/// What happened to one object.
public enum ObjectOutcome: Sendable, Equatable {
    case succeeded(records: Int, failedRecords: Int)
    /// Its output already existed (a rerun after a crash).
    case skipped
    case failed(ObjectFailure)
}

/// A failed object: which, at which record (1-based, when known), and why.
public struct ObjectFailure: Sendable, Equatable, Codable {
    public let object: String
    public let record: Int?
    public let reason: String

    public init(object: String, record: Int?, reason: String) {
        self.object = object
        self.record = record
        self.reason = reason
    }
}
