import ConveyorCore

/// Turns one flat column chunk's triplets into a typed `Column`: a value
/// per row, nulls where the definition level says so.
enum DataColumn {
    /// How a primitive column reads; types whose values would need a
    /// conversion Conveyor does not make are refused naming the type.
    static func type(of element: SchemaElement, column: String, context: String) throws -> ColumnType {
        func refuse(_ what: String) -> ConveyorError {
            ConveyorError(.invalidInput, "\(context): column '\(column)' is \(what), which transform does not read "
                + "(it reads booleans, integers, floats, doubles and strings)", column: column)
        }
        if let annotation = element.annotation {
            switch annotation {
            case .unsigned(let bits) where bits < 64 && element.type == .int32: return ColumnType(.long)
            case .signed(8) where element.type == .int32: return ColumnType(.byte)
            case .signed(16) where element.type == .int32: return ColumnType(.short)
            case .signed(32) where element.type == .int32: return ColumnType(.int)
            case .signed(64) where element.type == .int64: return ColumnType(.long)
            case .json where element.type == .byteArray: return .string
            default:
                throw refuse("\(annotation.name) (\(element.type.map { "\($0)" } ?? "group"))")
            }
        }
        switch element.type {
        case .boolean: return ColumnType(.boolean)
        case .int32: return ColumnType(.int)
        case .int64: return ColumnType(.long)
        case .float: return ColumnType(.float)
        case .double: return .double
        case .byteArray where element.isString: return .string
        case .byteArray: throw refuse("binary (BYTE_ARRAY without a string annotation)")
        case .fixedLenByteArray: throw refuse("FIXED_LEN_BYTE_ARRAY")
        case .int96: throw refuse("INT96 (a legacy timestamp)")
        case nil: throw refuse("a group")
        }
    }

    static func build(name: String, type: ColumnType, element: SchemaElement, maxDefinition: Int,
                      triplets: ColumnTriplets, rows: Int, context: String) throws -> Column {
        func corrupt(_ message: String) -> ConveyorError {
            ConveyorError(.invalidInput, "\(context): column '\(name)': \(message)", column: name)
        }
        guard triplets.definitions.count == rows else {
            throw corrupt("\(triplets.definitions.count) values for a row group of \(rows) rows")
        }
        let present = maxDefinition == 0 ? rows : triplets.definitions.lazy.filter { $0 == maxDefinition }.count
        guard present == triplets.values.count else {
            throw corrupt("\(triplets.values.count) values for \(present) non-null rows")
        }
        let nulls: [Bool]? = maxDefinition == 0 || present == rows ? nil : triplets.definitions.map { $0 < maxDefinition }
        var next = 0
        /// The row's value, or nil for a null row.
        func fill<T>(_ placeholder: T, _ extract: (ParquetValue) -> T?) throws -> [T] {
            var out: [T] = []
            out.reserveCapacity(rows)
            for row in 0..<rows {
                if let nulls, nulls[row] {
                    out.append(placeholder)
                    continue
                }
                guard let value = extract(triplets.values[next]) else { throw corrupt("a value of the wrong type") }
                out.append(value)
                next += 1
            }
            return out
        }
        let values: ColumnValues
        switch type.scalar {
        case .boolean: values = .bool(try fill(false) { $0.bool })
        case .string: values = .string(try fill("") { $0.string })
        case .float, .double: values = .double(try fill(.nan) { $0.double })
        default:
            if case .unsigned = element.annotation {
                // UINT_8/16/32 are stored in INT32's bits: read them back unsigned.
                values = .int(try fill(0) { $0.int.map { Int64(UInt32(truncatingIfNeeded: $0)) } })
            } else {
                values = .int(try fill(0) { $0.int })
            }
        }
        return Column(name: name, type: type, values: values, nulls: nulls)
    }
}
