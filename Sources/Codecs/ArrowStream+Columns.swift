import ConveyorCore

extension ArrowStream.Batch {
    /// Appends this batch's rows of every planned column to `builders`;
    /// returns the rows read so far. Rows in errors count from the stream's start.
    func append(into builders: inout [ColumnBuilder], plan: ArrowStream.ColumnPlan, rowsBefore: Int) throws -> Int {
        let (total, overflow) = rowsBefore.addingReportingOverflow(length)
        guard !overflow else { throw failure("", "too many rows") }
        for (input, source) in plan.sources.enumerated() {
            let field = plan.fields[source]
            let node = plan.firstNode[source]
            guard nodes[node].length == length else {
                throw failure(field.name, "has \(nodes[node].length) values; the batch has \(length) rows")
            }
            try append(field, node: node, buffer: plan.firstBuffer[source], into: &builders[input], rowsBefore: rowsBefore)
        }
        return total
    }

    private func append(_ field: ArrowStream.Field, node: Int, buffer: Int, into builder: inout ColumnBuilder,
                        rowsBefore: Int) throws {
        let name = field.name
        let validity = try self.validity(node: node, buffer: buffer, column: name)
        func isNull(_ row: Int) -> Bool { validity.map { !arrowBit($0, row) } ?? false }
        switch field.type {
        case .utf8, .largeUTF8:
            let wide = field.type == .largeUTF8
            let data = buffers[buffer + 2]
            let offsets = try self.offsets(node: node, buffer: buffer + 1, wide: wide, limit: data.count, column: name)
            let bytes = UnsafeRawBufferPointer(rebasing: body[data])
            for row in 0..<length {
                if isNull(row) { builder.appendNull(); continue }
                try builder.appendText(UnsafeRawBufferPointer(rebasing: bytes[offsets[row]..<offsets[row + 1]]),
                                       row: rowsBefore + row + 1)
            }
        case .bool:
            let bits = try self.buffer(buffer + 1, minimum: (length + 7) / 8, column: name, what: "data")
            for row in 0..<length {
                if isNull(row) { builder.appendNull(); continue }
                try builder.appendBool(arrowBit(bits, row), row: rowsBefore + row + 1)
            }
        case .int(let bits, let signed):
            let data = try self.buffer(buffer + 1, minimum: length * (bits / 8), column: name, what: "data")
            for row in 0..<length {
                if isNull(row) { builder.appendNull(); continue }
                let number = rowsBefore + row + 1
                if !signed && bits == 64 {
                    let value = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * row, as: UInt64.self))
                    guard let exact = Int64(exactly: value) else {
                        throw ConveyorError(.invalidInput, "\(value) is out of range", row: number, column: name)
                    }
                    try builder.appendInteger(exact, row: number)
                } else {
                    try builder.appendInteger(Self.integer(data, row, bits: bits, signed: signed), row: number)
                }
            }
        case .float(let bits):
            let data = try self.buffer(buffer + 1, minimum: length * (bits / 8), column: name, what: "data")
            for row in 0..<length {
                if isNull(row) { builder.appendNull(); continue }
                try builder.appendNumber(Self.double(data, row, bits: bits), row: rowsBefore + row + 1)
            }
        case .list(let child), .largeList(let child), .fixedSizeList(let child, _):
            try appendVectors(field, child: child, node: node, buffer: buffer, validity: validity, into: &builder,
                              rowsBefore: rowsBefore)
        case .other:
            throw failure(name, "\(field.type) is not read")
        }
    }

    /// Vector rows: each list's elements (float32 or float64; a null element is NaN, missing).
    private func appendVectors(_ field: ArrowStream.Field, child: ArrowStream.Field, node: Int, buffer: Int,
                               validity: UnsafeRawBufferPointer?, into builder: inout ColumnBuilder,
                               rowsBefore: Int) throws {
        let name = field.name
        let childNode = node + 1
        let childLength = nodes[childNode].length
        let offsets: [Int]
        let childBuffer: Int
        switch field.type {
        case .fixedSizeList(_, let size):
            let (needed, overflow) = size.multipliedReportingOverflow(by: length)
            guard !overflow, needed <= childLength else {
                throw failure(name, "\(length) lists of \(size) need more than the \(childLength) values given")
            }
            offsets = (0...length).map { $0 * size }
            childBuffer = buffer + 1
        default:
            offsets = try self.offsets(node: node, buffer: buffer + 1, wide: field.type != .list(child),
                                       limit: childLength, column: name)
            childBuffer = buffer + 2
        }
        guard case .float(let bits) = child.type else { throw failure(name, "\(field.type) is not read") }
        let childValidity = try self.validity(node: childNode, buffer: childBuffer, column: name)
        let data = try self.buffer(childBuffer + 1, minimum: childLength * (bits / 8), column: name, what: "values")
        for row in 0..<length {
            if let validity, !arrowBit(validity, row) { builder.appendNull(); continue }
            let start = offsets[row]
            let end = offsets[row + 1]
            try builder.beginVector(count: end - start, row: rowsBefore + row + 1)
            for element in start..<end {
                let missing = childValidity.map { !arrowBit($0, element) } ?? false
                builder.appendElement(missing ? .nan : Self.double(data, element, bits: bits))
            }
        }
    }

    @inline(__always)
    static func integer(_ data: UnsafeRawBufferPointer, _ row: Int, bits: Int, signed: Bool) -> Int64 {
        switch (bits, signed) {
        case (8, true): return Int64(data.load(fromByteOffset: row, as: Int8.self))
        case (8, false): return Int64(data[row])
        case (16, true): return Int64(Int16(littleEndian: data.loadUnaligned(fromByteOffset: 2 * row, as: Int16.self)))
        case (16, false): return Int64(UInt16(littleEndian: data.loadUnaligned(fromByteOffset: 2 * row, as: UInt16.self)))
        case (32, true): return Int64(Int32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * row, as: Int32.self)))
        case (32, false): return Int64(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * row, as: UInt32.self)))
        default: return Int64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * row, as: Int64.self))
        }
    }

    @inline(__always)
    static func double(_ data: UnsafeRawBufferPointer, _ index: Int, bits: Int) -> Double {
        if bits == 32 {
            return Double(Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))))
        }
        return Double(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self)))
    }
}
