import ConveyorCore

/// Spark's StringIndexerModel: label → its index in `labels`. One or many
/// columns (Spark 3 writes `labels_length` + `labels_array_N`).
struct StringIndexer: NodeTransformer {
    let name: String
    let op = "string_indexer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let labels: [[String]]
    let lookups: [LabelLookup]
    let handleInvalid: HandleInvalid

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        if attrs.has("labels_length") {
            let count = try attrs.size("labels_length")
            guard count == node.inputs.count else {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(node.name)' (string_indexer): labels_length \(count) for \(node.inputs.count) inputs")
            }
            labels = try (0..<count).map { try attrs.strings("labels_array_\($0)") }
        } else {
            labels = [try attrs.strings("labels")]
        }
        guard node.inputs.count == labels.count, node.outputs.count == labels.count else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (string_indexer): \(labels.count) label lists for "
                    + "\(node.inputs.count) inputs and \(node.outputs.count) outputs")
        }
        name = node.name
        inputNames = node.inputNames
        outputs = node.outputNames.map { ColumnSpec($0, .double) }
        lookups = labels.map(LabelLookup.init)
        handleInvalid = try attrs.handleInvalid()
    }

    var inputType: ColumnType { .string }

    var details: [Fact] {
        zip(inputNames, labels).map { Fact("labels", "\($0.1.count) for '\($0.0)'") }
            + [Fact("handle_invalid", handleInvalid.rawValue)]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        var keep: [Bool]?
        for (index, input) in inputNames.enumerated() {
            let column = try frame.require(input, stage: stage)
            let lookup = lookups[index]
            // Fast path: plain strings with no nulls need no Optional copy.
            if case .string(let strings) = column.values, column.nulls == nil,
               let indices = Self.indices(strings, lookup) {
                try frame.put(.doubles(outputs[index].name, indices))
                continue
            }
            let values = column.optionalStrings()
            let unknown = Double(labels[index].count)
            var out = [Double](repeating: 0, count: values.count)
            for row in 0..<values.count {
                if let value = values[row], let found = lookup.index(of: value) {
                    out[row] = Double(found)
                    continue
                }
                switch handleInvalid {
                case .keep: out[row] = unknown
                case .skip:
                    if keep == nil { keep = [Bool](repeating: true, count: frame.rowCount) }
                    keep?[row] = false
                case .error:
                    let what = values[row].map { "unseen label '\($0)'" } ?? "null value"
                    throw invalid(
                        "\(what) in column '\(input)' (handle_invalid=error)", frame, row: row,
                        column: input, stage: stage)
                }
            }
            try frame.put(.doubles(outputs[index].name, out))
        }
        if let keep { frame = frame.filtered(keeping: keep) }
    }

    /// Every value's index, or nil if any value is unknown (the caller then
    /// takes the slow path that applies `handle_invalid`).
    static func indices(_ strings: [String], _ lookup: LabelLookup) -> [Double]? {
        var out = [Double](repeating: 0, count: strings.count)
        for row in 0..<strings.count {
            guard let found = lookup.index(of: strings[row]) else { return nil }
            out[row] = Double(found)
        }
        return out
    }
}
