import ConveyorCore

extension Column {
    /// Rows `range` of the column (a Parquet row group cut into pieces).
    func rows(_ range: Range<Int>) -> Column {
        picking(Array(range))
    }

    /// The rows at `indexes`, in that order (pass-through columns follow
    /// the rows a pipeline kept, e.g. after `handle_invalid=skip`).
    func picking(_ indexes: [Int]) -> Column {
        func pick<T>(_ all: [T]) -> [T] { indexes.map { all[$0] } }
        let values: ColumnValues
        switch self.values {
        case .double(let all): values = .double(pick(all))
        case .int(let all): values = .int(pick(all))
        case .bool(let all): values = .bool(pick(all))
        case .string(let all): values = .string(all.picking(indexes))
        case .vector(let block):
            var storage: [Double] = []
            storage.reserveCapacity(indexes.count * block.width)
            for index in indexes { storage += block.row(index) }
            values = .vector(VectorBlock(width: block.width, storage: storage, rows: indexes.count))
        case .stringLists(let lists):
            var out = StringLists()
            for index in indexes { out.append(row: lists.row(index)) }
            values = .stringLists(out)
        }
        return Column(name: name, type: type, values: values, nulls: nulls.map { pick($0) })
    }

    /// The column as a pipeline input of `spec`'s type: integers widen to
    /// doubles and floats to doubles, as the same values written as CSV text
    /// would read; anything else is refused naming the column and both types.
    func conformed(to spec: ColumnSpec, source: String) throws -> Column {
        try Self.checkConformable(type, to: spec, source: source)
        if type.scalar.isIntegral && !spec.type.scalar.isIntegral, case .int(let all) = values {
            return Column(name: spec.name, type: spec.type, values: .double(all.map { Double($0) }), nulls: nulls)
        }
        return Column(name: spec.name, type: spec.type, values: values, nulls: nulls)
    }

    /// Whether a column of `type` can feed `spec`; checked once per object, before any row is read.
    static func checkConformable(_ type: ColumnType, to spec: ColumnSpec, source: String) throws {
        guard spec.type.shape == .scalar, type.shape == .scalar else {
            throw ConveyorError(.invalidInput, "\(source): the pipeline reads column '\(spec.name)' as \(spec.type); "
                + "vector and list inputs are not read from Parquet yet", column: spec.name)
        }
        let from = type.scalar, to = spec.type.scalar
        let numeric: Set<ScalarType> = [.float, .double]
        if from == to || (from.isIntegral && to.isIntegral) || (numeric.contains(to) && (from.isIntegral || numeric.contains(from))) {
            return
        }
        throw ConveyorError(.invalidInput, "\(source): column '\(spec.name)' is \(type) in the Parquet file; the pipeline "
            + "reads it as \(spec.type)", column: spec.name)
    }
}
