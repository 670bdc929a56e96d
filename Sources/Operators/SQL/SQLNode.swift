import Foundation

/// A type-checked expression, ready to run: every implicit cast Spark's
/// analyzer would add is an explicit `.cast` node, so kernels see operands
/// of one type. `text` is the expression as written, for row errors.
struct SQLNode: Sendable {
    indirect enum Kind: Sendable {
        case column(String)
        case literal(SQLScalar)
        case cast(SQLNode)
        /// `+ - * / % div` over operands of one numeric type (the node's, except `/` and div).
        case arithmetic(String, SQLNode, SQLNode)
        case negate(SQLNode)
        /// Comparison of two operands of one type; `<=>` is null-safe.
        case compare(String, SQLNode, SQLNode)
        case and(SQLNode, SQLNode)
        case or(SQLNode, SQLNode)
        case not(SQLNode)
        case isNull(SQLNode, negated: Bool)
        /// COALESCE, NVL, IFNULL: the first non-null, later arguments only where needed.
        case coalesce([SQLNode])
        /// CASE WHEN (and IF): the first branch whose condition is true.
        case caseWhen([(SQLNode, SQLNode)], otherwise: SQLNode?)
        case inList(SQLNode, [SQLNode])
        case like(SQLNode, SQLLikePattern)
        case call(SQLFunction, [SQLNode])
    }

    var kind: Kind
    var type: SQLType
    var text: String
    /// `regexp_replace` and `split`: the pattern, compiled at load (it must be a literal).
    var regex: NSRegularExpression? = nil
    /// `split` with an empty pattern splits into characters (Spark's own rule).
    var emptyPattern = false
}

/// A literal's value.
enum SQLScalar: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
}

/// The functions the engine computes (each with Spark's null, NaN and ANSI behaviour).
enum SQLFunction: String, Sendable {
    case log, ln, log10, log2, log1p, exp, sqrt, pow, abs, round, bround, floor, ceil, greatest, least, signum
    case isnan, nanvl
    case lower, upper, trim, ltrim, rtrim, length, concat, concatWS = "concat_ws", substring
    case regexpReplace = "regexp_replace", split
}
