import ConveyorCore

/// Expressions, lowest precedence first, as Spark's grammar nests them.
extension SQLParser {
    mutating func expression() throws -> SQLExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= SQLParser.maxDepth else {
            throw SQLError.load("expressions nested deeper than \(SQLParser.maxDepth)", at: current.position)
        }
        return try orExpression()
    }

    mutating func orExpression() throws -> SQLExpression {
        var left = try andExpression()
        while isKeyword("OR") {
            let position = advance().position
            left = .binary("OR", left, try andExpression(), position: position)
        }
        return left
    }

    mutating func andExpression() throws -> SQLExpression {
        var left = try notExpression()
        while isKeyword("AND") {
            let position = advance().position
            left = .binary("AND", left, try notExpression(), position: position)
        }
        return left
    }

    mutating func notExpression() throws -> SQLExpression {
        if isKeyword("NOT") || isSymbol("!") {
            let position = advance().position
            depth += 1
            defer { depth -= 1 }
            guard depth <= SQLParser.maxDepth else { throw SQLError.load("expressions nested too deeply", at: position) }
            return .unary("NOT", try notExpression(), position: position)
        }
        return try predicate()
    }

    /// A comparison chain, then `[NOT] BETWEEN | IN | LIKE` or `IS [NOT] NULL`.
    mutating func predicate() throws -> SQLExpression {
        var value = try comparison()
        while true {
            let position = current.position
            if accept(keyword: "IS") {
                let negated = accept(keyword: "NOT")
                if accept(keyword: "NULL") {
                    value = .isNull(value, negated: negated, position: position)
                    continue
                }
                if isKeyword("TRUE") || isKeyword("FALSE") || isKeyword("DISTINCT") || isKeyword("UNKNOWN") {
                    throw SQLError.load("IS \(negated ? "NOT " : "")\(current.keyword ?? "") is not supported", at: position)
                }
                throw unexpected("NULL after IS")
            }
            let negated = isKeyword("NOT") && ["BETWEEN", "IN", "LIKE", "RLIKE", "ILIKE", "REGEXP"].contains(peek(1).keyword ?? "")
            if negated { index += 1 }
            if accept(keyword: "BETWEEN") {
                let low = try comparison()
                try expect(keyword: "AND")
                value = .between(value, low, try comparison(), negated: negated, position: position)
            } else if accept(keyword: "IN") {
                try expect(symbol: "(")
                if isKeyword("SELECT") || isKeyword("WITH") { throw refused("subquery in IN") }
                var items = [try expression()]
                while accept(symbol: ",") { items.append(try expression()) }
                try expect(symbol: ")")
                value = .inList(value, items, negated: negated, position: position)
            } else if accept(keyword: "LIKE") {
                if isKeyword("ANY") || isKeyword("ALL") || isKeyword("SOME") { throw refused("LIKE ANY/ALL") }
                let pattern = try comparison()
                if isKeyword("ESCAPE") { throw SQLError.load("LIKE … ESCAPE is not supported", at: current.position) }
                value = .like(value, pattern, negated: negated, position: position)
            } else if let word = current.keyword, ["RLIKE", "ILIKE", "REGEXP"].contains(word) {
                throw SQLError.load("\(word) is not supported", at: position)
            } else {
                if negated { index -= 1 }
                return value
            }
        }
    }

    static let comparisons: Set<String> = ["=", "==", "<>", "!=", "<", "<=", ">", ">=", "<=>"]

    mutating func comparison() throws -> SQLExpression {
        var left = try bitwise()
        while case .symbol(let op) = current.kind, SQLParser.comparisons.contains(op) {
            let position = advance().position
            left = .binary(op == "==" ? "=" : op == "!=" ? "<>" : op, left, try bitwise(), position: position)
        }
        return left
    }

    mutating func bitwise() throws -> SQLExpression {
        let value = try additive()
        if case .symbol(let op) = current.kind, ["&", "|", "^"].contains(op) {
            throw SQLError.load("the bitwise operator '\(op)' is not supported", at: current.position)
        }
        return value
    }

    mutating func additive() throws -> SQLExpression {
        var left = try multiplicative()
        while case .symbol(let op) = current.kind, op == "+" || op == "-" || op == "||" {
            let position = advance().position
            left = .binary(op, left, try multiplicative(), position: position)
        }
        return left
    }

    mutating func multiplicative() throws -> SQLExpression {
        var left = try unary()
        while true {
            let position = current.position
            if case .symbol(let op) = current.kind, op == "*" || op == "/" || op == "%" {
                index += 1
                left = .binary(op, left, try unary(), position: position)
            } else if accept(keyword: "DIV") {
                left = .binary("DIV", left, try unary(), position: position)
            } else {
                return left
            }
        }
    }

    mutating func unary() throws -> SQLExpression {
        if case .symbol(let op) = current.kind, op == "-" || op == "+" || op == "~" {
            let position = advance().position
            if op == "~" { throw SQLError.load("the bitwise operator '~' is not supported", at: position) }
            depth += 1
            defer { depth -= 1 }
            guard depth <= SQLParser.maxDepth else { throw SQLError.load("expressions nested too deeply", at: position) }
            // `-5` is a literal in Spark (its type is the literal's), `-i` a negation.
            if op == "-", case .number = current.kind, let literal = try? SQLParser.numberLiteral(current, negative: true) {
                index += 1
                return try postfix(.literal(literal, position: position))
            }
            return .unary(op, try unary(), position: position)
        }
        return try postfix(try primary())
    }

    /// Refuses `expr[index]`, `expr.field` and `expr::type` after a primary.
    mutating func postfix(_ value: SQLExpression) throws -> SQLExpression {
        if isSymbol("[") { throw SQLError.load("subscripts ([…]) are not supported", at: current.position) }
        if isSymbol("::") { throw SQLError.load("the '::' cast is not supported; write CAST(x AS type)", at: current.position) }
        return value
    }
}
