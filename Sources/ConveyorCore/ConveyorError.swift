/// The one error type the library throws. It carries a code (which the
/// server maps to an HTTP status and the CLI to an exit code, each in one
/// place), a message for people, and where it happened: stage, 1-based input
/// row and column when known.
public struct ConveyorError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The request's rows are malformed or do not fit the schema.
        public static let invalidInput = Code(rawValue: "invalid_input")
        /// The request has no rows.
        public static let emptyInput = Code(rawValue: "empty_input")
        public static let unsupportedContentType = Code(rawValue: "unsupported_content_type")
        public static let unsupportedAccept = Code(rawValue: "unsupported_accept")
        /// The pipeline file is malformed or inconsistent.
        public static let invalidPipeline = Code(rawValue: "invalid_pipeline")
        /// A stage's output does not fit the next stage's input.
        public static let chainMismatch = Code(rawValue: "chain_mismatch")
        public static let modelNotFound = Code(rawValue: "model_not_found")
        /// A model file exists but cannot be read (corrupt, truncated, wrong format).
        public static let modelCorrupt = Code(rawValue: "model_corrupt")
        /// The model uses an op, objective or feature Conveyor does not support.
        public static let unsupportedModel = Code(rawValue: "unsupported_model")
        /// Explanations were asked of a pipeline whose model (or a stage
        /// before it) cannot give them.
        public static let notExplainable = Code(rawValue: "not_explainable")
        /// A stage failed while running (not because of bad input).
        public static let stageFailed = Code(rawValue: "stage_failed")
        public static let `internal` = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String
    public var stage: String?
    /// 1-based row number in the request or input file.
    public var row: Int?
    public var column: String?
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, stage: String? = nil, row: Int? = nil,
                column: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.stage = stage
        self.row = row
        self.column = column
        self.cause = cause
    }

    /// Adds the stage name if the error does not have one yet.
    public func inStage(_ name: String) -> ConveyorError {
        var copy = self
        if copy.stage == nil { copy.stage = name }
        return copy
    }

    public var description: String {
        var location: [String] = []
        if let stage { location.append("stage '\(stage)'") }
        if let row { location.append("row \(row)") }
        if let column { location.append("column '\(column)'") }
        let prefix = location.isEmpty ? "" : location.joined(separator: ", ") + ": "
        var text = prefix + message
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}

extension ConveyorError {
    /// Wraps any error as a ConveyorError, keeping ConveyorErrors as they are.
    public static func wrap(_ error: any Error, code: Code, stage: String? = nil) -> ConveyorError {
        if let error = error as? ConveyorError { return stage.map(error.inStage) ?? error }
        return ConveyorError(code, "\(error)", stage: stage, cause: SendableDescription(error))
    }
}

/// An error reduced to its description, so non-Sendable causes can travel.
public struct SendableDescription: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ error: any Error) { self.description = "\(error)" }
}
