import ConveyorCore

extension MLflowStage {
    public func transform(_ frame: Frame) async throws -> Frame {
        var work = frame
        if let assembledInput { try work.put(try assemble(frame, into: assembledInput)) }
        var result: Frame
        do {
            result = try await inner.transform(work)
        } catch let error as ConveyorError {
            throw error.inStage(name)
        }
        let predicted = try result.require(prediction, stage: name)
        // Keep what came in (rows a Spark stage skipped stay skipped) and add pyfunc's column.
        result = result.pruned(toColumnsOf: frame, keeping: [])
        try result.put(try convert(predicted))
        return result
    }

    /// The signature's numeric columns, in order, as the inner stage's one
    /// vector: integers and booleans as doubles, nulls as NaN (missing).
    func assemble(_ frame: Frame, into column: String) throws -> Column {
        let rows = frame.rowCount
        let width = inputs.reduce(0) { $0 + ($1.type.vectorWidth ?? 1) }
        let (count, overflow) = rows.multipliedReportingOverflow(by: width)
        guard !overflow else { throw ConveyorError(.invalidInput, "\(rows) rows of \(width) features are too many", stage: name) }
        var storage = [Double](repeating: .nan, count: count)
        var offset = 0
        for spec in inputs {
            let source = try frame.require(spec.name, stage: name)
            let block = try source.vectorBlock(stage: name)
            guard block.width == (spec.type.vectorWidth ?? 1), block.rowCount == rows else {
                throw ConveyorError(.invalidInput, "expected \(spec.type), got \(source.type)", stage: name, column: spec.name)
            }
            for row in 0..<rows where !source.isNull(row) {
                let base = row * width + offset
                for element in 0..<block.width { storage[base + element] = block[row, element] }
            }
            offset += block.width
        }
        return .vectors(column, VectorBlock(width: width, storage: storage, rows: rows))
    }

    /// The inner stage's prediction as the signature types it: integer
    /// labels for `long`/`int`, float32 or double values, or a vector.
    func convert(_ column: Column) throws -> Column {
        guard let spec = outputs.first else { return column }
        switch (spec.type.shape, column.values) {
        case (.scalar, .double(let values)) where spec.type.scalar.isIntegral:
            var ints = [Int64](repeating: 0, count: values.count)
            var nulls = column.nulls ?? [Bool](repeating: false, count: values.count)
            for (row, value) in values.enumerated() where !nulls[row] {
                if value.isNaN { nulls[row] = true; continue }
                guard let exact = Int64(exactly: value) else {
                    throw ConveyorError(.stageFailed, "the model predicted \(value) where the signature declares \(spec.type)",
                                        stage: name, row: row + 1, column: spec.name)
                }
                ints[row] = exact
            }
            return Column(name: spec.name, type: spec.type, values: .int(ints), nulls: nulls)
        case (.scalar, .double(let values)) where spec.type.scalar == .boolean:
            return Column(name: spec.name, type: spec.type, values: .bool(values.map { $0 != 0 }), nulls: column.nulls)
        default:
            var copy = column.renamed(spec.name)
            copy.type = spec.type
            return copy
        }
    }
}

extension MLflowStage {
    /// What `conveyor inspect` shows: the MLmodel's facts, the signature, then the flavour's model.
    public var facts: [Fact] {
        let signature = model.signature
        func describe(_ columns: [MLflowColumn], _ specs: [ColumnSpec]) -> [Fact] {
            zip(columns, specs).map { Fact($1.name, "\($0.mlflowType) -> \($1.type)") }
        }
        var facts = [
            Fact("mlflow model", model.directory.path),
            Fact("flavour", flavourText),
            Fact("saved by", "mlflow \(model.mlflowVersion ?? "?")"),
            Fact("signature inputs", "\(inputs.count)", children: describe(signature.inputs, inputs)),
            Fact("signature outputs", "\(outputs.count)", children: describe(signature.outputs, outputs)),
            Fact("input example", model.inputExampleURL?.lastPathComponent ?? "none"),
        ]
        if let assembledInput { facts.append(Fact("features", "the signature's columns in order -> \(assembledInput)")) }
        facts.append(Fact("pyfunc returns", prediction))
        facts.append(Fact("\(inner.kind) stage", model.flavour.modelURL.lastPathComponent, children: inner.facts))
        return facts
    }

    private var flavourText: String {
        switch model.flavour {
        case .xgboost(let url, let modelClass, let format):
            return "xgboost (\(url.lastPathComponent), \(format), \(modelClass))"
        case .lightgbm(let url): return "lightgbm (\(url.lastPathComponent), lightgbm.basic.Booster)"
        case .spark(let url, let modelClass): return "spark (\(url.lastPathComponent)/, \(modelClass))"
        }
    }
}
