import ConveyorCore

/// Accumulates one input column's values, already typed, as rows arrive,
/// so that no row is ever held as text or `Any`.
struct ColumnBuilder {
    let spec: ColumnSpec
    private var doubles: [Double] = []
    private var ints: [Int64] = []
    private var bools: [Bool] = []
    private var strings: [String] = []
    /// A string column of many rows keeps its fields' bytes here instead
    /// of in `strings` (see `utf8Rows`). Spelled out so that it has no
    /// default: `init` sets it once (assigned over a default, the whole
    /// builder was copied on every decode).
    private var utf8: Optional<TextValues.Builder>
    private var lists = StringLists()
    private var nulls: NullMask
    /// Vector width: the declared one, or the first row's.
    private(set) var width: Int?
    /// Null vector rows seen before the width was known.
    private var leadingNullVectors = 0

    /// Above this many rows (as `capacity` guesses them), a string column
    /// stores bytes; below, Swift strings: one array, and strings of up to
    /// 15 bytes inline, which for a few rows cost less than the bytes'
    /// second array (one-row requests decoded 0.3 µs slower with bytes).
    static let utf8Rows = 16

    init(spec: ColumnSpec, capacity: Int = 0) {
        self.spec = spec
        self.width = spec.type.vectorWidth
        nulls = NullMask(capacity: capacity)
        let manyTexts = !spec.type.isVector && spec.type.scalar == .string && capacity > Self.utf8Rows
        utf8 = manyTexts ? TextValues.Builder(rows: capacity) : nil
        switch (spec.type.isVector, spec.type.scalar) {
        case (true, _): doubles.reserveCapacity(capacity * (width ?? 1))
        case (false, .string): if !manyTexts { strings.reserveCapacity(capacity) }
        case (false, .boolean): bools.reserveCapacity(capacity)
        case (false, let scalar) where scalar.isIntegral: ints.reserveCapacity(capacity)
        default: doubles.reserveCapacity(capacity)
        }
    }

    var name: String { spec.name }
    var isVector: Bool { spec.type.isVector }
    var isList: Bool { spec.type.isList }
    var rowCount: Int { nulls.count }

    // MARK: Scalars

    /// A missing value: NaN, 0, false or "" as the placeholder.
    mutating func appendNull() {
        nulls.appendNull()
        if isList { return lists.endRow() }
        if isVector {
            if let width {
                doubles.append(contentsOf: repeatElement(.nan, count: width))
            } else {
                leadingNullVectors += 1
            }
            return
        }
        switch spec.type.scalar {
        case .string:
            if utf8 != nil { utf8!.appendEmpty() } else { strings.append("") }
        case .boolean: bools.append(false)
        case let scalar where scalar.isIntegral: ints.append(0)
        default: doubles.append(.nan)
        }
    }

    /// A value given as text: a CSV field, a JSON number's literal, or a
    /// JSON string for a non-string column. `row` is 1-based.
    /// An empty or blank value is the empty string for a string column
    /// and null for any other (it has no other reading).
    @inline(__always)
    mutating func appendText(_ bytes: UnsafeRawBufferPointer, row: Int) throws {
        // A string column of many rows, the common case of large requests, inline.
        if utf8 != nil {
            guard utf8!.append(bytes) else { throw fieldError(bytes, "is not valid UTF-8", row: row) }
            return nulls.appendValue()
        }
        try appendParsed(bytes, row: row)
    }

    private mutating func appendParsed(_ bytes: UnsafeRawBufferPointer, row: Int) throws {
        if spec.type.scalar != .string, NumberParsing.trimmed(bytes).isEmpty {
            appendNull()
            return
        }
        switch spec.type.scalar {
        case .string:
            guard let text = UTF8Text.string(bytes) else { throw fieldError(bytes, "is not valid UTF-8", row: row) }
            strings.append(text)
        case .boolean:
            guard let value = NumberParsing.parseBool(bytes) else {
                throw fieldError(bytes, "is not a boolean (expected true, false, 1 or 0)", row: row)
            }
            bools.append(value)
        case let scalar where scalar.isIntegral:
            guard let value = NumberParsing.parseInt(bytes) else {
                let isNumber = NumberParsing.parseDouble(bytes) != nil
                throw fieldError(bytes, isNumber ? "is not an integer" : "is not a number", row: row)
            }
            guard Self.range(of: scalar).contains(value) else {
                throw fieldError(bytes, "is out of range for \(scalar.rawValue)", row: row)
            }
            ints.append(value)
        case .float:
            guard let value = NumberParsing.parseDouble(bytes) else {
                throw fieldError(bytes, "is not a number", row: row)
            }
            // The booster computes in float32: round once, here.
            doubles.append(Double(Float(value)))
        default:
            guard let value = NumberParsing.parseDouble(bytes) else {
                throw fieldError(bytes, "is not a number", row: row)
            }
            doubles.append(value)
        }
        nulls.appendValue()
    }

    /// A string value (a JSON string or a CSV field already unescaped).
    mutating func appendString(_ value: String, row: Int) throws {
        if spec.type.scalar == .string {
            appendString(value)
            nulls.appendValue()
            return
        }
        var copy = value
        try copy.withUTF8 { try appendText(UnsafeRawBufferPointer($0), row: row) }
    }

    /// A string column's value, into whichever storage the column keeps.
    private mutating func appendString(_ value: String) {
        if utf8 != nil { utf8!.append(value) } else { strings.append(value) }
    }

    /// A JSON boolean. String columns get `true`/`false`; numeric ones refuse it.
    mutating func appendBool(_ value: Bool, row: Int) throws {
        switch spec.type.scalar {
        case .boolean: bools.append(value)
        case .string: appendString(value ? "true" : "false")
        default:
            throw ConveyorError(.invalidInput, "\(value) is not a number", row: row, column: name)
        }
        nulls.appendValue()
    }

    /// A typed integer (an Arrow column): range-checked as parsed text is.
    mutating func appendInteger(_ value: Int64, row: Int) throws {
        switch spec.type.scalar {
        case let scalar where scalar.isIntegral:
            guard Self.range(of: scalar).contains(value) else {
                throw ConveyorError(.invalidInput, "\(value) is out of range for \(scalar.rawValue)", row: row, column: name)
            }
            ints.append(value)
        case .float: doubles.append(Double(Float(value)))
        case .double: doubles.append(Double(value))
        default:
            throw ConveyorError(.invalidInput, "\(value) is a number; the column is \(spec.type)", row: row, column: name)
        }
        nulls.appendValue()
    }

    /// A typed floating-point number (an Arrow column); an integral column takes only integral values.
    mutating func appendNumber(_ value: Double, row: Int) throws {
        switch spec.type.scalar {
        case let scalar where scalar.isIntegral:
            guard let integer = Int64(exactly: value) else {
                throw ConveyorError(.invalidInput, "\(value) is not an integer", row: row, column: name)
            }
            return try appendInteger(integer, row: row)
        case .float: doubles.append(Double(Float(value)))
        case .double: doubles.append(value)
        default:
            throw ConveyorError(.invalidInput, "\(value) is a number; the column is \(spec.type)", row: row, column: name)
        }
        nulls.appendValue()
    }

    // MARK: Vectors

    /// Starts a vector row of `count` elements, checking it against the
    /// declared or first-seen width. Follow with exactly `count` elements.
    mutating func beginVector(count: Int, row: Int) throws {
        guard count > 0 else {
            throw ConveyorError(.invalidInput, "vector has no elements", row: row, column: name)
        }
        if let width {
            guard count == width else {
                throw ConveyorError(
                    .invalidInput, "vector has \(count) elements, expected \(width)",
                    row: row, column: name)
            }
        } else {
            width = count
            doubles.append(contentsOf: repeatElement(.nan, count: count * leadingNullVectors))
        }
        nulls.appendValue()
    }

    /// One vector element as text; an empty one is NaN (missing), as in XGBoost.
    mutating func appendElement(_ bytes: UnsafeRawBufferPointer, index: Int, row: Int) throws {
        if NumberParsing.trimmed(bytes).isEmpty {
            doubles.append(.nan)
            return
        }
        guard let value = NumberParsing.parseDouble(bytes) else {
            throw fieldError(bytes, "is not a number (vector element \(index + 1))", row: row)
        }
        doubles.append(value)
    }

    mutating func appendElement(_ value: Double) {
        doubles.append(value)
    }

    // MARK: Lists

    /// One row of a list-of-strings column.
    mutating func appendList(_ elements: [String]) {
        lists.append(row: elements)
        nulls.appendValue()
    }

    // MARK: Result

    /// The column, its values moved out of the builder (which is left empty).
    mutating func build() throws -> Column {
        let values: ColumnValues
        if isList {
            values = .stringLists(lists)
            lists = StringLists()
        } else if isVector {
            guard let width else {
                throw ConveyorError(
                    .invalidInput, "cannot tell the vector's width: every row is null", column: name)
            }
            values = .vector(VectorBlock(width: width, storage: Self.take(&doubles)))
        } else {
            switch spec.type.scalar {
            case .string:
                if utf8 != nil {
                    values = .string(utf8!.take())
                } else {
                    values = .string(Self.take(&strings))
                }
            case .boolean: values = .bool(Self.take(&bools))
            case let scalar where scalar.isIntegral: values = .int(Self.take(&ints))
            default: values = .double(Self.take(&doubles))
            }
        }
        // A vector's type records the width the data gave it.
        let type = isVector ? ColumnType(spec.type.scalar, .vector(width: width)) : spec.type
        return Column(name: name, type: type, values: values, nulls: nulls.array)
    }

    /// `array`'s values, leaving it empty, so that the column holds the only reference.
    private static func take<T>(_ array: inout [T]) -> [T] {
        var taken: [T] = []
        swap(&taken, &array)
        return taken
    }

    private func fieldError(_ bytes: UnsafeRawBufferPointer, _ problem: String, row: Int) -> ConveyorError {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.count > 40 { text = text.prefix(40) + "…" }
        return ConveyorError(.invalidInput, "'\(text)' \(problem)", row: row, column: name)
    }

    private static func range(of scalar: ScalarType) -> ClosedRange<Int64> {
        switch scalar {
        case .byte: return Int64(Int8.min)...Int64(Int8.max)
        case .short: return Int64(Int16.min)...Int64(Int16.max)
        case .int: return Int64(Int32.min)...Int64(Int32.max)
        default: return Int64.min...Int64.max
        }
    }
}
