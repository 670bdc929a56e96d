import ConveyorCore

/// Turns parsed JSON requests into rows of typed columns. Knows the
/// request shapes: `{"data": row or [rows]}` (SparkML), `{"instances":
/// [rows]}` (SageMaker), `{"predictions": [rows]}` (our own output), a
/// bare list of rows, or one object row. A row is
/// a list in column order or an object keyed by column name.
struct JSONRowReader {
    let specs: [ColumnSpec]
    private(set) var builders: [ColumnBuilder]
    /// Rows read so far.
    private(set) var count = 0
    private let indexByName: [String: Int]

    init(specs: [ColumnSpec]) {
        self.specs = specs
        self.builders = specs.map { ColumnBuilder(spec: $0) }
        var index: [String: Int] = [:]
        for (offset, spec) in specs.enumerated() where index[spec.name] == nil {
            index[spec.name] = offset
        }
        self.indexByName = index
    }

    /// Reads every row of one request document (or one JSON Lines line).
    mutating func appendDocument(_ document: JSONValue) throws {
        switch document {
        case .object:
            if let data = document["data"] {
                switch data {
                case .array(let items): for row in split(items) { try appendRow(row) }
                case .object: try appendRow(data)
                default: throw ConveyorError(.invalidInput, "'data' must be a row or a list of rows, found \(data.kindName)")
                }
            } else if let (key, instances) = Self.rowList(in: document) {
                guard case .array(let rows) = instances else {
                    throw ConveyorError(.invalidInput, "'\(key)' must be a list of rows, found \(instances.kindName)")
                }
                for row in rows { try appendRow(row) }
            } else {
                try appendRow(document)
            }
        case .array(let items):
            for row in split(items) { try appendRow(row) }
        default:
            throw ConveyorError(
                .invalidInput,
                "expected an object with 'data' or 'instances', or a list of rows; found \(document.kindName)")
        }
    }

    /// `instances` (SageMaker's request form) or `predictions` (what
    /// `FrameEncoder` writes, so one pipeline's JSON output can feed another).
    static func rowList(in document: JSONValue) -> (String, JSONValue)? {
        for key in ["instances", "predictions"] {
            if let value = document[key] { return (key, value) }
        }
        return nil
    }

    /// SparkML's `data` is one row (`[v1, v2]`) or many (`[[…], […]]`).
    /// It is many when every item is a list or object, unless the items
    /// fit one row exactly (every input is a vector and the lists are
    /// flat); a lone vector input reads the same either way.
    private func split(_ items: [JSONValue]) -> [JSONValue] {
        guard !items.isEmpty else { return [] }
        if items.contains(where: { !$0.isContainer }) { return [.array(items)] }
        let fitsOneRow = items.count == specs.count
            && specs.allSatisfy(\.type.isVector)
            && items.allSatisfy { item in
                guard case .array(let elements) = item else { return false }
                return !elements.contains(where: \.isContainer)
            }
        return fitsOneRow ? [.array(items)] : items
    }

    mutating func appendRow(_ value: JSONValue) throws {
        let row = count + 1
        switch value {
        case .array(let items):
            if specs.count == 1, specs[0].type.isVector || specs[0].type.isList, !items.contains(where: \.isContainer) {
                // A lone vector (or list) input may come as its flat elements, as in CSV.
                try appendValue(value, column: 0, row: row)
            } else {
                guard items.count == specs.count else {
                    throw ConveyorError(
                        .invalidInput,
                        "has \(items.count) value\(items.count == 1 ? "" : "s"), expected "
                            + "\(specs.count): \(specs.map(\.name).joined(separator: ", "))",
                        row: row)
                }
                for (column, item) in items.enumerated() {
                    try appendValue(item, column: column, row: row)
                }
            }
        case .object(let members):
            var slots = [JSONValue?](repeating: nil, count: specs.count)
            for member in members {
                if let column = indexByName[member.key], slots[column] == nil { slots[column] = member.value }
            }
            // An object naming no input at all is a wrong shape, not a row of nulls.
            guard slots.contains(where: { $0 != nil }) else {
                throw ConveyorError(
                    .invalidInput,
                    "has none of the input columns (\(specs.map(\.name).joined(separator: ", "))); "
                        + "its keys are \(members.map(\.key).joined(separator: ", "))",
                    row: row)
            }
            for column in specs.indices {
                try appendValue(slots[column] ?? .null, column: column, row: row)
            }
        default:
            guard specs.count == 1, !specs[0].type.isVector else {
                throw ConveyorError(
                    .invalidInput, "found \(value.kindName) where a row (a list or an object) is expected", row: row)
            }
            try appendValue(value, column: 0, row: row)
        }
        count += 1
    }

    private mutating func appendValue(_ value: JSONValue, column: Int, row: Int) throws {
        if builders[column].isList { return try appendList(value, column: column, row: row) }
        if builders[column].isVector {
            switch value {
            case .null:
                builders[column].appendNull()
            case .array(let elements):
                try builders[column].beginVector(count: elements.count, row: row)
                for (index, element) in elements.enumerated() {
                    switch element {
                    case .null:
                        builders[column].appendElement(.nan)
                    case .number(var text), .string(var text):
                        try text.withUTF8 {
                            try builders[column].appendElement(UnsafeRawBufferPointer($0), index: index, row: row)
                        }
                    default:
                        throw ConveyorError(
                            .invalidInput,
                            "vector element \(index + 1) is \(element.kindName); expected a number",
                            row: row, column: specs[column].name)
                    }
                }
            default:
                throw ConveyorError(
                    .invalidInput, "expected a list of numbers, found \(value.kindName)",
                    row: row, column: specs[column].name)
            }
            return
        }
        switch value {
        case .null:
            builders[column].appendNull()
        case .number(var text):
            try text.withUTF8 { try builders[column].appendText(UnsafeRawBufferPointer($0), row: row) }
        case .string(let text):
            try builders[column].appendString(text, row: row)
        case .bool(let flag):
            try builders[column].appendBool(flag, row: row)
        case .array, .object:
            throw ConveyorError(
                .invalidInput, "expected a single value, found \(value.kindName)",
                row: row, column: specs[column].name)
        }
    }

    /// A list-of-strings column takes a JSON array of strings (or null).
    private mutating func appendList(_ value: JSONValue, column: Int, row: Int) throws {
        switch value {
        case .null:
            builders[column].appendNull()
        case .array(let items):
            var elements: [String] = []
            elements.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    throw ConveyorError(
                        .invalidInput, "list element \(index + 1) is \(item.kindName); expected a string",
                        row: row, column: specs[column].name)
                }
                elements.append(text)
            }
            builders[column].appendList(elements)
        default:
            throw ConveyorError(
                .invalidInput, "expected a list of strings, found \(value.kindName)",
                row: row, column: specs[column].name)
        }
    }
}
