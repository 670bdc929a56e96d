/// The parsed statement before types: what the parser accepts, each node
/// with its 1-based position in the statement for messages.
indirect enum SQLExpression: Sendable {
    case column(String, position: Int)
    /// A literal as written: `kind` is Spark's literal type.
    case literal(SQLLiteral, position: Int)
    case unary(String, SQLExpression, position: Int)
    case binary(String, SQLExpression, SQLExpression, position: Int)
    case function(String, [SQLExpression], position: Int)
    /// `CASE [subject] WHEN … THEN … [ELSE …] END`.
    case caseWhen(subject: SQLExpression?, branches: [(SQLExpression, SQLExpression)], otherwise: SQLExpression?, position: Int)
    case cast(SQLExpression, typeName: String, position: Int)
    case inList(SQLExpression, [SQLExpression], negated: Bool, position: Int)
    case between(SQLExpression, SQLExpression, SQLExpression, negated: Bool, position: Int)
    case isNull(SQLExpression, negated: Bool, position: Int)
    case like(SQLExpression, SQLExpression, negated: Bool, position: Int)

    var position: Int {
        switch self {
        case .column(_, let p), .literal(_, let p), .unary(_, _, let p), .binary(_, _, _, let p), .function(_, _, let p),
             .caseWhen(_, _, _, let p), .cast(_, _, let p), .inList(_, _, _, let p), .between(_, _, _, _, let p),
             .isNull(_, _, let p), .like(_, _, _, let p):
            return p
        }
    }
}

/// A literal and the Spark type its spelling gives it.
enum SQLLiteral: Sendable {
    case null
    case boolean(Bool)
    case int(Int64)
    case long(Int64)
    case double(Double)
    /// `1.5` is a decimal in Spark; kept as its text and nearest double.
    case decimal(String, Double)
    case string(String)
}

/// One item of the SELECT list.
enum SQLSelectItem: Sendable {
    case star(position: Int)
    /// An expression, its alias (nil: Spark names it after the text), and its text as written.
    case expression(SQLExpression, alias: String?, text: String)
}

/// `SELECT items FROM __THIS__ [WHERE predicate]`.
struct SQLStatement: Sendable {
    var items: [SQLSelectItem]
    var predicate: SQLExpression?
    var predicateText: String?
}

extension SQLExpression {
    var children: [SQLExpression] {
        switch self {
        case .column, .literal: return []
        case .unary(_, let x, _), .cast(let x, _, _), .isNull(let x, _, _): return [x]
        case .binary(_, let a, let b, _), .like(let a, let b, _, _): return [a, b]
        case .function(_, let args, _): return args
        case .caseWhen(let subject, let branches, let otherwise, _):
            return (subject.map { [$0] } ?? []) + branches.flatMap { [$0.0, $0.1] } + (otherwise.map { [$0] } ?? [])
        case .inList(let x, let items, _, _): return [x] + items
        case .between(let x, let a, let b, _, _): return [x, a, b]
        }
    }

    /// The tree's depth, computed without recursion (a long `a + b + …` chain is as deep as it is long).
    var depth: Int {
        var deepest = 0
        var stack: [(SQLExpression, Int)] = [(self, 1)]
        while let (node, level) = stack.popLast() {
            deepest = Swift.max(deepest, level)
            for child in node.children { stack.append((child, level + 1)) }
        }
        return deepest
    }
}
