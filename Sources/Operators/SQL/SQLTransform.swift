import ConveyorCore

/// A SQLTransformer statement, parsed at load: `SELECT items FROM __THIS__
/// [WHERE predicate]` over a frame. Types are checked against the columns'
/// types (`outputs(given:)` at load, the frame's own at run time); the
/// WHERE clause drops rows (the frame keeps each row's input number).
/// `ansi` chooses Spark 4's ANSI semantics (row errors) or Spark 3's legacy
/// ones (null or wrap-around); docs/sql-transformer.md lists both.
public struct SQLTransform: Sendable {
    public let statement: String
    public let ansi: Bool
    let syntax: SQLStatement

    public init(statement: String, ansi: Bool) throws {
        self.statement = statement
        self.ansi = ansi
        syntax = try SQLParser.parse(statement)
        var names: Set<String> = []
        for item in syntax.items {
            guard case .expression(let expression, let alias, let text) = item else { continue }
            var plain: String?
            if case .column(let column, _) = expression { plain = column }
            guard let name = alias ?? plain else {
                throw SQLError.load("'\(text.prefix(80))' needs an alias (AS name): Conveyor does not reproduce the column "
                    + "names Spark generates for expressions", at: expression.position)
            }
            guard names.insert(name.lowercased()).inserted else {
                throw SQLError.load("the output column '\(name)' appears twice", at: expression.position)
            }
        }
    }

    /// Whether the SELECT list has `*` (every input column, in the frame's order).
    public var selectsAll: Bool { syntax.items.contains { if case .star = $0 { return true }; return false } }

    /// The columns the statement reads, in first-use order, with the type their use suggests
    /// (for pipelines whose schema does not type them).
    public var inputs: [ColumnSpec] { SQLInputTypes.infer(syntax) }

    /// The typed SELECT list (and predicate) for columns of these types.
    func plan(_ types: [String: SQLType]) throws -> (items: [(String, SQLNode)?], predicate: SQLNode?) {
        var analyzer = SQLAnalyzer(columns: types, ansi: ansi)
        var predicate: SQLNode?
        if let expression = syntax.predicate {
            analyzer.text = syntax.predicateText ?? ""
            predicate = try analyzer.boolean(try analyzer.check(expression), at: expression.position)
        }
        let items: [(String, SQLNode)?] = try syntax.items.map { item in
            guard case .expression(let expression, let alias, let text) = item else { return nil }
            analyzer.text = text
            let node = try analyzer.check(expression)
            let name: String
            if case .column(let resolved) = node.kind { name = alias ?? resolved } else { name = alias ?? text }
            guard node.type.columnType != nil else {
                throw SQLError.load("'\(text.prefix(80))' is of type \(node.type), which a frame cannot hold"
                    + (node.type == .null ? "; CAST the NULL to a type" : "; write decimal literals as doubles (1.5D)"),
                    at: expression.position)
            }
            return (name, node)
        }
        return (items, predicate)
    }

    /// The columns the SELECT list computes (not those `*` passes through), typed; a type error throws.
    public func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        let planned = try plan(types.mapValues(SQLType.init))
        if selectsAll {
            for case let (name, _)? in planned.items where types[name] != nil && !isPlainColumn(name, planned.items) {
                throw SQLError.load("the output column '\(name)' is both an input column (selected by *) and an alias", at: 1)
            }
        }
        return planned.items.compactMap { $0.flatMap { name, node in node.type.columnType.map { ColumnSpec(name, $0) } } }
    }

    private func isPlainColumn(_ name: String, _ items: [(String, SQLNode)?]) -> Bool {
        items.contains { if let (n, node) = $0, n == name, case .column(name) = node.kind { return true }; return false }
    }

    /// Runs the statement: filters by WHERE, then computes the SELECT list on the rows kept.
    public func transform(_ frame: Frame, stage: String) throws -> Frame {
        var types: [String: SQLType] = [:]
        for column in frame.columns { types[column.name] = SQLType(column.type) }
        let planned: (items: [(String, SQLNode)?], predicate: SQLNode?)
        do { planned = try plan(types) } catch let error as ConveyorError { throw error.inStage(stage) }
        do {
            return try run(planned, frame, types: types, stage: stage)
        } catch let error as ConveyorError where error.row != nil {
            // Spark filters and projects one row at a time: the error it reports is that of the
            // first failing row (leftmost item), which a column-wise pass may not meet first. Rows
            // fail independently, so the shortest failing prefix ends at that row: found by
            // bisection (O(n log n)), then the row is run alone for its leftmost error.
            func rows(_ keep: (Int) -> Bool) -> Frame { frame.filtered(keeping: (0..<frame.rowCount).map(keep)) }
            func fails(_ frame: Frame) -> Bool { (try? run(planned, frame, types: types, stage: stage)) == nil }
            var low = 1, high = frame.rowCount
            while low < high {
                let middle = low + (high - low) / 2
                if fails(rows { $0 < middle }) { high = middle } else { low = middle + 1 }
            }
            _ = try run(planned, rows { $0 == high - 1 }, types: types, stage: stage)
            throw error
        }
    }

    private func run(_ planned: (items: [(String, SQLNode)?], predicate: SQLNode?), _ frame: Frame, types: [String: SQLType],
                     stage: String) throws -> Frame {
        var input = frame
        if let predicate = planned.predicate {
            let evaluator = SQLEvaluator(frame: frame, ansi: ansi, output: "WHERE", types: types)
            let test = try evaluator.evaluate(predicate, active: nil)
            let flags = test.bools
            input = frame.filtered(keeping: (0..<frame.rowCount).map { !test.nulls[$0] && flags[$0] })
        }
        var columns: [Column] = []
        for item in planned.items {
            guard let (name, node) = item else {
                columns += input.columns
                continue
            }
            let evaluator = SQLEvaluator(frame: input, ansi: ansi, output: name, types: types)
            columns.append(try evaluator.evaluate(node, active: nil).column(name, type: node.type))
        }
        var out = input
        out.removeColumns { _ in true }
        for column in columns {
            guard out.column(column.name) == nil else {
                throw ConveyorError(.invalidInput, "the SQL statement outputs the column '\(column.name)' twice", stage: stage,
                                    column: column.name)
            }
            try out.put(column)
        }
        return out
    }
}
