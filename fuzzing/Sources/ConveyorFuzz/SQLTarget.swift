import ConveyorCore
import Operators

/// SQLTransformer statements: the first byte picks ANSI (even) or legacy
/// (odd) semantics, the rest is the statement. It is parsed and analysed
/// (`SQLTransform`, `outputs(given:)` over the types its columns suggest) and
/// run over three rows holding the edges (zero, NaN, ±huge, empty and
/// non-ASCII strings, nulls), so the evaluator's casts, arithmetic and
/// string functions see them.
enum SQLTarget {
    static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let statement = String(decoding: bytes.dropFirst(), as: UTF8.self)
        guard let engine = try? SQLTransform(statement: statement, ansi: first % 2 == 0) else { return }
        let inputs = engine.inputs
        var types: [String: ColumnType] = [:]
        for spec in inputs { types[spec.name] = spec.type }
        _ = try? engine.outputs(given: types)
        guard let frame = try? Frame(columns: inputs.compactMap(column)) else { return }
        _ = try? engine.transform(frame, stage: "fuzz")
    }

    /// Three rows of edge values for one input; nil for a type without a layout here.
    static func column(_ spec: ColumnSpec) -> Column? {
        let nulls = [false, false, true]
        switch (spec.type.shape, spec.type.scalar) {
        case (.scalar, .string):
            return .strings(spec.name, ["", "Ünï%_\\", "x"], nulls: nulls)
        case (.scalar, .boolean):
            return Column(name: spec.name, type: spec.type, values: .bool([true, false, false]), nulls: nulls)
        case (.scalar, let scalar) where scalar.isIntegral:
            return Column(name: spec.name, type: spec.type, values: .int([Int64.max, -1, 0]), nulls: nulls)
        case (.scalar, _):
            return Column(name: spec.name, type: spec.type, values: .double([-0.0, .nan, 1e308]), nulls: nulls)
        case (.vector, _):
            let block = VectorBlock(width: 2, storage: [1, .infinity, -0.0, .nan, 0, 0], rows: 3)
            return Column(name: spec.name, type: .vector(2), values: .vector(block), nulls: nulls)
        case (.list, _):
            return nil
        }
    }
}
