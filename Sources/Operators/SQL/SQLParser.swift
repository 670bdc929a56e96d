import ConveyorCore

/// Recursive descent over Spark SQL's grammar for what SQLTransformer
/// statements hold: `SELECT items FROM __THIS__ [WHERE predicate]`, with
/// Spark's precedence (OR < AND < NOT < predicates and comparisons <
/// `+ - ||` < `* / % div` < unary). Anything else is refused here, naming
/// the construct and its position.
struct SQLParser {
    var tokens: [SQLToken]
    var index = 0
    let chars: [Character]
    /// Bounds the nesting depth, so a hostile statement cannot exhaust the stack.
    var depth = 0
    static let maxDepth = 200

    static func parse(_ statement: String) throws -> SQLStatement {
        var parser = SQLParser(tokens: try SQLLexer.tokens(statement), chars: Array(statement))
        return try parser.statement()
    }

    var current: SQLToken { tokens[index] }

    mutating func advance() -> SQLToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func isKeyword(_ word: String, ahead: Int = 0) -> Bool {
        tokens[min(index + ahead, tokens.count - 1)].keyword == word
    }

    func peek(_ ahead: Int) -> SQLToken { tokens[min(index + ahead, tokens.count - 1)] }

    func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    mutating func accept(keyword: String) -> Bool {
        guard isKeyword(keyword) else { return false }
        index += 1
        return true
    }

    mutating func accept(symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        index += 1
        return true
    }

    mutating func expect(symbol: String) throws {
        guard accept(symbol: symbol) else { throw unexpected("'\(symbol)'") }
    }

    mutating func expect(keyword: String) throws {
        guard accept(keyword: keyword) else { throw unexpected(keyword) }
    }

    /// "expected X, found Y" at the current token.
    func unexpected(_ wanted: String) -> ConveyorError {
        SQLError.load("expected \(wanted), found \(describe(current))", at: current.position)
    }

    func describe(_ token: SQLToken) -> String {
        switch token.kind {
        case .word(let text, let quoted): return quoted ? "`\(text)`" : "'\(text)'"
        case .number(let text, let suffix): return "number \(text)\(suffix)"
        case .string(let text): return "string '\(text.prefix(40))'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "the end of the statement"
        }
    }

    /// The statement's text between two token positions (for Spark-style names and messages).
    func text(from start: Int, to endToken: Int) -> String {
        let end = tokens[endToken].position - 1
        guard start - 1 < end, end <= chars.count else { return "" }
        return String(chars[(start - 1)..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    mutating func statement() throws -> SQLStatement {
        if isKeyword("WITH") { throw refused("common table expressions (WITH)") }
        try expect(keyword: "SELECT")
        if isKeyword("DISTINCT") { throw refused("SELECT DISTINCT") }
        _ = accept(keyword: "ALL")
        var items: [SQLSelectItem] = []
        repeat { items.append(try selectItem()) } while accept(symbol: ",")
        guard accept(keyword: "FROM") else { throw unexpected("FROM __THIS__") }
        try table()
        var predicate: SQLExpression?
        var predicateText: String?
        if accept(keyword: "WHERE") {
            let start = current.position
            predicate = try bounded(try expression(), at: start)
            predicateText = text(from: start, to: index)
        }
        try refuseClauses()
        _ = accept(symbol: ";")
        guard current.kind == .end else { throw unexpected("the end of the statement") }
        return SQLStatement(items: items, predicate: predicate, predicateText: predicateText)
    }

    mutating func selectItem() throws -> SQLSelectItem {
        let start = current.position
        if isSymbol("*") { return .star(position: advance().position) }
        if case .word = current.kind, peek(1).kind == .symbol("."), peek(2).kind == .symbol("*") {
            throw refused("qualified star (\(describe(current)).*)")
        }
        let expr = try bounded(try expression(), at: start)
        let written = text(from: start, to: index)
        var alias: String?
        if accept(keyword: "AS") {
            alias = try name("an alias")
        } else if case .word(_, let quoted) = current.kind, quoted || !SQLParser.reserved.contains(current.keyword ?? "") {
            alias = try name("an alias")
        }
        return .expression(expr, alias: alias, text: written)
    }

    /// Refuses trees deeper than `maxDepth` (chains included), so evaluation cannot exhaust the stack.
    func bounded(_ expression: SQLExpression, at position: Int) throws -> SQLExpression {
        guard expression.depth <= SQLParser.maxDepth else {
            throw SQLError.load("expressions nested deeper than \(SQLParser.maxDepth) (operator chains count)", at: position)
        }
        return expression
    }

    mutating func name(_ what: String) throws -> String {
        guard case .word(let text, _) = current.kind else { throw unexpected(what) }
        index += 1
        return text
    }

    /// `FROM __THIS__ [[AS] alias]`: the only table a SQLTransformer reads.
    mutating func table() throws {
        if isSymbol("(") { throw refused("subquery in FROM") }
        guard case .word(let table, _) = current.kind, table == "__THIS__" else {
            throw SQLError.load("only FROM __THIS__ is supported (the stage's input frame); found \(describe(current))",
                                at: current.position)
        }
        index += 1
        if accept(keyword: "AS") { _ = try name("a table alias") } else if case .word(_, let quoted) = current.kind,
            quoted || !SQLParser.reserved.contains(current.keyword ?? "") { _ = try name("a table alias") }
        if isSymbol(",") { throw refused("a second table in FROM (a join)") }
    }

    mutating func refuseClauses() throws {
        let clauses = ["JOIN": "JOIN", "INNER": "JOIN", "LEFT": "JOIN", "RIGHT": "JOIN", "FULL": "JOIN", "CROSS": "JOIN",
                       "NATURAL": "JOIN", "GROUP": "GROUP BY (aggregation)", "HAVING": "HAVING (aggregation)",
                       "ORDER": "ORDER BY", "SORT": "SORT BY", "CLUSTER": "CLUSTER BY", "DISTRIBUTE": "DISTRIBUTE BY",
                       "LIMIT": "LIMIT", "OFFSET": "OFFSET", "UNION": "UNION", "INTERSECT": "INTERSECT", "EXCEPT": "EXCEPT",
                       "MINUS": "MINUS", "WINDOW": "WINDOW", "LATERAL": "LATERAL VIEW", "TABLESAMPLE": "TABLESAMPLE",
                       "PIVOT": "PIVOT", "UNPIVOT": "UNPIVOT", "QUALIFY": "QUALIFY"]
        if let word = current.keyword, let clause = clauses[word] { throw refused(clause) }
    }

    func refused(_ construct: String) -> ConveyorError {
        SQLError.load("\(construct) is not supported: a SQLTransformer stage here maps each row to at most one row "
            + "of the same frame", at: current.position)
    }

    /// Words that end an expression instead of naming an alias.
    static let reserved: Set<String> = [
        "FROM", "WHERE", "AS", "AND", "OR", "NOT", "IS", "IN", "BETWEEN", "LIKE", "RLIKE", "ILIKE", "REGEXP", "THEN",
        "ELSE", "END", "WHEN", "CASE", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "GROUP", "HAVING",
        "ORDER", "SORT", "CLUSTER", "DISTRIBUTE", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "MINUS",
        "WINDOW", "LATERAL", "DIV", "OVER", "SELECT", "ON", "USING", "TABLESAMPLE", "PIVOT", "UNPIVOT", "QUALIFY",
    ]
}
