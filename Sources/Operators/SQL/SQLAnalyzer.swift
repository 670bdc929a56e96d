import ConveyorCore

/// Resolves columns against the stage's input types and types every
/// expression as Spark's analyzer does, adding its implicit casts; type
/// errors are refused at load, naming the expression and its position.
/// `ansi` selects Spark 4's ANSI coercion rules or Spark 3's legacy ones.
struct SQLAnalyzer {
    let columns: [String: SQLType]
    let ansi: Bool
    /// The select item (or WHERE clause) being checked, for messages and row errors.
    var text = ""

    init(columns: [String: SQLType], ansi: Bool) {
        self.columns = columns
        self.ansi = ansi
    }

    func fail(_ message: String, at position: Int) -> ConveyorError {
        SQLError.load("\(message) in '\(text.prefix(120))'", at: position)
    }

    /// A column by name: exactly, else case-insensitively (Spark's default), refusing ambiguity.
    func resolve(_ name: String, at position: Int) throws -> (String, SQLType) {
        if let type = columns[name] { return (name, type) }
        let matches = columns.filter { $0.key.lowercased() == name.lowercased() }
        guard matches.count == 1, let match = matches.first else {
            if matches.count > 1 {
                throw fail("column '\(name)' is ambiguous: \(matches.keys.sorted().joined(separator: ", "))", at: position)
            }
            throw fail("unknown column '\(name)'; the input has \(columns.keys.sorted().map { "'\($0)'" }.joined(separator: ", "))",
                       at: position)
        }
        return (match.key, match.value)
    }

    func node(_ kind: SQLNode.Kind, _ type: SQLType) -> SQLNode { SQLNode(kind: kind, type: type, text: text) }

    /// Wraps `value` in a cast to `type` (a NULL literal simply takes the type).
    func coerce(_ value: SQLNode, to type: SQLType) -> SQLNode {
        if value.type == type { return value }
        if case .literal(.null) = value.kind { return node(.literal(.null), type) }
        if case .literal(let scalar) = value.kind, value.type == .decimal, type == .double { return node(.literal(scalar), .double) }
        return node(.cast(value), type)
    }

    /// Refuses operands the engine cannot compute with (vectors, lists, other pass-through types).
    func scalar(_ value: SQLNode, at position: Int) throws -> SQLNode {
        switch value.type {
        case .opaque(let type):
            throw fail("a \(type) column can only be selected as it is (a plain column or *); SQL expressions here compute with "
                + "int, bigint, double, string and boolean values", at: position)
        case .stringArray: throw fail("array<string> values can only be selected as they are", at: position)
        default: return value
        }
    }

    func check(_ expression: SQLExpression) throws -> SQLNode {
        switch expression {
        case .column(let name, let position):
            let (resolved, type) = try resolve(name, at: position)
            return node(.column(resolved), type)
        case .literal(let literal, _):
            return literal.node(text: text)
        case .unary(let op, let inner, let position):
            let value = try scalar(try check(inner), at: position)
            if op == "NOT" { return node(.not(try boolean(value, at: position)), .boolean) }
            let numeric = try numericOperand(value, op: op, at: position)
            return op == "+" ? numeric : node(.negate(numeric), numeric.type)
        case .binary(let op, let left, let right, let position):
            let l = try scalar(try check(left), at: left.position), r = try scalar(try check(right), at: right.position)
            switch op {
            case "AND", "OR":
                let a = try boolean(l, at: left.position), b = try boolean(r, at: right.position)
                return node(op == "AND" ? .and(a, b) : .or(a, b), .boolean)
            case "||": return try function("concat", [l, r], position: position)
            case "=", "<>", "<", "<=", ">", ">=", "<=>":
                let type = try comparisonType(l.type, r.type, op: op, at: position)
                let compared = node(.compare(op == "<>" ? "=" : op, coerce(l, to: type), coerce(r, to: type)), .boolean)
                return op == "<>" ? node(.not(compared), .boolean) : compared
            default:
                return try arithmetic(op, l, r, at: position)
            }
        case .function(let name, let args, let position):
            try refuseRowChanging(name, at: position)
            return try function(name, try args.map { try scalar(try check($0), at: $0.position) }, position: position)
        case .caseWhen(let subject, let branches, let otherwise, let position):
            return try caseWhen(subject: subject, branches: branches, otherwise: otherwise, at: position)
        case .cast(let inner, let typeName, let position):
            let value = try scalar(try check(inner), at: position)
            guard let target = SQLType(castTarget: typeName) else {
                throw fail("CAST to \(typeName) is not supported (int, bigint, double, string and boolean are)", at: position)
            }
            guard value.type != .decimal || target == .double || target == .string else {
                throw fail("CAST of a decimal literal to \(target) is not supported", at: position)
            }
            if value.type == .decimal, target == .string, case .literal = value.kind {
                throw fail("CAST of a decimal literal to string is not supported", at: position)
            }
            return coerce(value, to: target)
        case .inList(let value, let items, let negated, let position):
            let v = try scalar(try check(value), at: value.position)
            let list = try items.map { try scalar(try check($0), at: $0.position) }
            var type = v.type
            for item in list { type = try comparisonType(type, item.type, op: "IN", at: position) }
            let test = node(.inList(coerce(v, to: type), list.map { coerce($0, to: type) }), .boolean)
            return negated ? node(.not(test), .boolean) : test
        case .between(let value, let low, let high, let negated, let position):
            // Spark rewrites it as value >= low AND value <= high.
            let test = try check(.binary("AND", .binary(">=", value, low, position: position),
                                         .binary("<=", value, high, position: position), position: position))
            return negated ? node(.not(test), .boolean) : test
        case .isNull(let value, let negated, _):
            return node(.isNull(try check(value), negated: negated), .boolean)
        case .like(let value, let pattern, let negated, let position):
            let v = try stringOperand(try scalar(try check(value), at: position), at: position)
            guard case .literal(let literal, _) = pattern else {
                throw fail("LIKE needs a literal pattern here", at: pattern.position)
            }
            guard case .string(let text) = literal else {
                if case .null = literal { return node(.literal(.null), .boolean) }
                throw fail("LIKE needs a string pattern", at: pattern.position)
            }
            let test = node(.like(v, try SQLLikePattern(text, position: pattern.position)), .boolean)
            return negated ? node(.not(test), .boolean) : test
        }
    }

    func boolean(_ value: SQLNode, at position: Int) throws -> SQLNode {
        if value.type == .boolean { return value }
        if value.type == .null { return coerce(value, to: .boolean) }
        if !ansi, value.type == .string { return coerce(value, to: .boolean) }
        throw fail("a boolean is needed, found \(value.type)", at: position)
    }
}

extension SQLLiteral {
    func node(text: String) -> SQLNode {
        switch self {
        case .null: return SQLNode(kind: .literal(.null), type: .null, text: text)
        case .boolean(let v): return SQLNode(kind: .literal(.bool(v)), type: .boolean, text: text)
        case .int(let v): return SQLNode(kind: .literal(.int(v)), type: .int, text: text)
        case .long(let v): return SQLNode(kind: .literal(.int(v)), type: .long, text: text)
        case .double(let v): return SQLNode(kind: .literal(.double(v)), type: .double, text: text)
        case .decimal(_, let v): return SQLNode(kind: .literal(.double(v)), type: .decimal, text: text)
        case .string(let v): return SQLNode(kind: .literal(.string(v)), type: .string, text: text)
        }
    }
}
