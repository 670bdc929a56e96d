import ConveyorCore

/// Literals, names, calls, CASE and CAST.
extension SQLParser {
    mutating func primary() throws -> SQLExpression {
        let token = current
        let position = token.position
        switch token.kind {
        case .number:
            index += 1
            return .literal(try SQLParser.numberLiteral(token, negative: false), position: position)
        case .string(let text):
            index += 1
            var value = text
            // Adjacent literals concatenate ('a' 'b' is 'ab').
            while case .string(let more) = current.kind { value += more; index += 1 }
            return .literal(.string(value), position: position)
        case .symbol("("):
            index += 1
            if isKeyword("SELECT") || isKeyword("WITH") { throw refused("subquery") }
            let inner = try expression()
            if isSymbol(",") { throw SQLError.load("row constructors ((a, b)) are not supported", at: current.position) }
            try expect(symbol: ")")
            return inner
        case .word(let text, let quoted):
            let word = quoted ? "" : text.uppercased()
            switch word {
            case "NULL": index += 1; return .literal(.null, position: position)
            case "TRUE": index += 1; return .literal(.boolean(true), position: position)
            case "FALSE": index += 1; return .literal(.boolean(false), position: position)
            case "CASE": index += 1; return try caseExpression(position: position)
            case "CAST": index += 1; return try castExpression(position: position)
            case "EXISTS": throw refused("EXISTS (a subquery)")
            case "INTERVAL", "EXTRACT", "TRY_CAST": throw SQLError.load("\(word) is not supported", at: position)
            default: break
            }
            if ["DATE", "TIMESTAMP", "X"].contains(word), case .string = peek(1).kind {
                throw SQLError.load("\(word) literals are not supported", at: position)
            }
            if !quoted, SQLParser.reserved.contains(word) { throw unexpected("an expression") }
            index += 1
            if isSymbol("(") { return try call(text, position: position) }
            if accept(symbol: ".") {
                if isSymbol("*") { throw SQLError.load("qualified star (\(text).*) is not supported", at: position) }
                let field = try name("a column name after '.'")
                if isSymbol(".") { throw SQLError.load("nested field access is not supported", at: position) }
                // `__THIS__.x` or `alias.x`: the only table is the stage's frame.
                return .column(field, position: position)
            }
            return .column(text, position: position)
        case .symbol("*"):
            throw SQLError.load("'*' is only supported as a whole SELECT item", at: position)
        default:
            throw unexpected("an expression")
        }
    }

    mutating func call(_ name: String, position: Int) throws -> SQLExpression {
        try expect(symbol: "(")
        if isKeyword("DISTINCT") { throw SQLError.load("\(name)(DISTINCT …): aggregates are not supported", at: position) }
        var args: [SQLExpression] = []
        if isSymbol("*") {
            throw SQLError.load("aggregate function '\(name)(*)' is not supported: a SQLTransformer stage here maps each row "
                + "to at most one row", at: position)
        }
        if !isSymbol(")") {
            repeat { args.append(try expression()) } while accept(symbol: ",")
        }
        try expect(symbol: ")")
        if isKeyword("OVER") { throw SQLError.load("window function '\(name)(…) OVER' is not supported", at: current.position) }
        if isKeyword("FILTER") || isKeyword("WITHIN") { throw SQLError.load("aggregate function '\(name)' is not supported", at: position) }
        return .function(name.lowercased(), args, position: position)
    }

    mutating func caseExpression(position: Int) throws -> SQLExpression {
        var subject: SQLExpression?
        if !isKeyword("WHEN") { subject = try expression() }
        var branches: [(SQLExpression, SQLExpression)] = []
        while accept(keyword: "WHEN") {
            let condition = try expression()
            try expect(keyword: "THEN")
            branches.append((condition, try expression()))
        }
        guard !branches.isEmpty else { throw unexpected("WHEN") }
        var otherwise: SQLExpression?
        if accept(keyword: "ELSE") { otherwise = try expression() }
        try expect(keyword: "END")
        return .caseWhen(subject: subject, branches: branches, otherwise: otherwise, position: position)
    }

    mutating func castExpression(position: Int) throws -> SQLExpression {
        try expect(symbol: "(")
        let value = try expression()
        try expect(keyword: "AS")
        let typePosition = current.position
        var typeName = try name("a type name").uppercased()
        if isSymbol("(") || isSymbol("<") {
            throw SQLError.load("CAST to \(typeName) with parameters is not supported (decimal, varchar, arrays, structs)",
                                at: typePosition)
        }
        typeName = typeName == "INTEGER" ? "INT" : typeName == "LONG" ? "BIGINT" : typeName == "BOOL" ? "BOOLEAN" : typeName
        try expect(symbol: ")")
        return .cast(value, typeName: typeName, position: position)
    }

    /// Spark's numeric literals: `1` int (bigint when too large for int),
    /// `1L`, `1S`, `1Y`, `1.5D`, `1e3` (double), `1.5` (decimal); `F` and `BD` refused.
    static func numberLiteral(_ token: SQLToken, negative: Bool) throws -> SQLLiteral {
        guard case .number(let digits, let suffix) = token.kind else { throw SQLError.load("expected a number", at: token.position) }
        let text = (negative ? "-" : "") + digits
        let position = token.position
        let fractional = digits.contains(".") || digits.lowercased().contains("e")
        switch suffix {
        case "L", "S", "Y", "":
            if suffix.isEmpty, fractional {
                guard let value = Double(text) else { throw SQLError.load("malformed number \(text)", at: position) }
                return digits.lowercased().contains("e") ? .double(value) : .decimal(text, value)
            }
            guard !fractional else { throw SQLError.load("malformed number \(text)\(suffix)", at: position) }
            guard let value = Int64(text) else {
                throw SQLError.load("the number \(text) does not fit a bigint (decimal literals are not supported)", at: position)
            }
            switch suffix {
            case "L": return .long(value)
            case "S", "Y": throw SQLError.load("smallint and tinyint literals (\(text)\(suffix)) are not supported", at: position)
            default: return Int32(exactly: value) != nil ? .int(value) : .long(value)
            }
        case "D":
            guard let value = Double(text) else { throw SQLError.load("malformed number \(text)D", at: position) }
            return .double(value)
        default:
            throw SQLError.load("\(suffix == "F" ? "float" : "decimal") literals (\(text)\(suffix)) are not supported", at: position)
        }
    }
}
