import ConveyorCore

/// Reads a request body into a frame of typed input columns.
///
/// `inputs` are the pipeline's first-stage inputs: scalars of any
/// `ScalarType`, or double vectors of known or unknown width. A JSON or
/// JSON Lines request may carry its own `schema` (SageMaker SparkML style);
/// its input fields then decide the columns, and `decodeRequest` reports it
/// so the caller can check it against the pipeline.
public struct FrameDecoder: Sendable {
    public let inputs: [ColumnSpec]
    /// The layout of a frame of `inputs` (nil if a name repeats), made
    /// once: a frame decoded in the inputs' order is built without hashing
    /// a column name.
    let layout: Frame.Layout?

    public init(inputs: [ColumnSpec]) {
        self.inputs = inputs
        self.layout = Frame.Layout(names: inputs.map(\.name))
    }

    /// A decoded request: the frame and the schema the request carried, if any.
    public struct Request: Sendable, Equatable {
        public var frame: Frame
        /// The request's own `schema`; when set, the frame follows its inputs.
        public var schema: Schema?

        public init(frame: Frame, schema: Schema? = nil) {
            self.frame = frame
            self.schema = schema
        }
    }

    public func decode(_ body: [UInt8], as type: MediaType) throws -> Frame {
        try decodeRequest(body, as: type).frame
    }

    public func decode(_ body: UnsafeRawBufferPointer, as type: MediaType) throws -> Frame {
        try decodeRequest(body, as: type).frame
    }

    public func decodeRequest(_ body: [UInt8], as type: MediaType) throws -> Request {
        try body.withUnsafeBytes { try decodeRequest($0, as: type) }
    }

    /// Throws `.emptyInput` for a body without rows and `.invalidInput`
    /// naming the 1-based row (and column, when one is to blame) otherwise.
    public func decodeRequest(_ body: UnsafeRawBufferPointer, as type: MediaType) throws -> Request {
        switch type {
        case .csv: return Request(frame: try decodeCSV(body))
        case .json: return try decodeJSON(body)
        case .jsonLines: return try decodeJSONLines(body)
        case .tsv: return Request(frame: try decodeTSV(body))
        case .arrowStream: return Request(frame: try decodeArrowStream(body))
        }
    }

    /// Turns filled builders into a frame; no rows is `.emptyInput`.
    func frame(from builders: consuming [ColumnBuilder], rows: Int) throws -> Frame {
        guard rows > 0 else {
            throw ConveyorError(.emptyInput, "the request has no rows")
        }
        var columns: [Column] = []
        columns.reserveCapacity(builders.count)
        // By index, moving each builder's values out: `for builder in builders`
        // copied each builder (all its arrays).
        for index in builders.indices {
            columns.append(try builders[index].build())
        }
        if let layout, builders.count == inputs.count,
           builders.indices.allSatisfy({ builders[$0].name == inputs[$0].name }) {
            return try Frame(rowCount: rows, columns: columns, layout: layout)
        }
        // A request's own schema: its columns, a repeated name replacing the earlier one.
        var frame = Frame(rowCount: rows)
        frame.reserveColumns(columns.count)
        for column in columns { try frame.put(column) }
        return frame
    }

    static func emptyBody() -> ConveyorError {
        ConveyorError(.emptyInput, "the request body is empty")
    }

    /// `a, b, features[4]`: the columns as a row lays them out.
    static func layout(_ specs: [ColumnSpec], widths: [Int?]) -> String {
        zip(specs, widths).map { spec, width in
            guard spec.type.isVector else { return spec.name }
            return "\(spec.name)[\(width.map(String.init) ?? "…")]"
        }.joined(separator: ", ")
    }
}
