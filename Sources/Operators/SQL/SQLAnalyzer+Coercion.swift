import ConveyorCore

/// Spark's type coercion for the types frames carry: numeric widening
/// (int < bigint < double), strings meeting numbers, NULL taking the other
/// side's type. Decimal arithmetic (a literal like `1.5` meeting an integer)
/// is refused: its result type is a decimal, which frames do not carry.
extension SQLAnalyzer {
    /// The type both sides of a comparison (or IN list) are cast to.
    func comparisonType(_ a: SQLType, _ b: SQLType, op: String, at position: Int) throws -> SQLType {
        if a == b { return a == .decimal ? .double : a }
        if a == .null { return b == .decimal ? .double : b }
        if b == .null { return a == .decimal ? .double : a }
        if a.isNumeric && b.isNumeric {
            // An integer against a decimal literal compares as doubles (exact for the literals people write).
            return SQLType.widerNumeric(a, b) == .decimal ? .double : SQLType.widerNumeric(a, b) ?? .double
        }
        if a == .string || b == .string {
            let other = a == .string ? b : a
            // ANSI (AnsiTypeCoercion.findWiderTypeForString): a string meets an integer as a bigint;
            // legacy (findCommonTypeForBinaryComparison): as the other side's type.
            switch other {
            case .int, .long: return ansi ? .long : other
            case .double, .decimal: return .double
            case .boolean: return .boolean
            default: break
            }
        }
        throw fail("cannot compare \(a) with \(b) ('\(op)')", at: position)
    }

    /// The common type of CASE branches, COALESCE arguments, greatest/least.
    func commonType(_ types: [SQLType], what: String, at position: Int) throws -> SQLType {
        var result: SQLType = .null
        for type in types {
            if result == .null || result == type { result = type; continue }
            if type == .null { continue }
            if result.isNumeric && type.isNumeric {
                let wider = SQLType.widerNumeric(result, type) ?? .double
                // A decimal literal meeting an integer makes a decimal (refused); meeting a double, a double.
                if wider == .decimal {
                    throw fail("\(what) mixes a decimal literal with integers (a decimal result); write the literal as a double "
                        + "(1.5D) or CAST it AS DOUBLE", at: position)
                }
                result = wider
                continue
            }
            if result == .string || type == .string {
                let other = result == .string ? type : result
                if other.isNumeric || other == .boolean {
                    // ANSI widens a string with a number to the number's type (integers: bigint); legacy to string.
                    result = !ansi ? .string : other.isIntegral ? .long : other == .boolean ? .boolean : .double
                    continue
                }
            }
            throw fail("\(what) mixes \(result) and \(type)", at: position)
        }
        return result == .decimal ? .double : result
    }

    /// An operand of arithmetic: numbers as they are, strings as doubles (or bigints, ANSI), NULL as int.
    func numericOperand(_ value: SQLNode, op: String, at position: Int) throws -> SQLNode {
        switch value.type {
        case .int, .long, .double, .decimal: return value
        case .null: return coerce(value, to: .int)
        case .string: return coerce(value, to: .double)
        default: throw fail("'\(op)' needs numbers, found \(value.type)", at: position)
        }
    }

    func stringOperand(_ value: SQLNode, at position: Int) throws -> SQLNode {
        switch value.type {
        case .string: return value
        case .null, .int, .long, .double, .boolean: return coerce(value, to: .string)
        default: throw fail("a string is needed, found \(value.type)", at: position)
        }
    }

    func arithmetic(_ op: String, _ left: SQLNode, _ right: SQLNode, at position: Int) throws -> SQLNode {
        var l = try numericOperand(left, op: op, at: position), r = try numericOperand(right, op: op, at: position)
        // ANSI promotes a string meeting an integer to bigint (legacy: always double).
        if ansi, left.type == .string, right.type.isIntegral { l = coerce(left, to: .long) }
        if ansi, right.type == .string, left.type.isIntegral { r = coerce(right, to: .long) }
        if left.type == .null && right.type != .null { l = coerce(left, to: r.type == .decimal ? .double : r.type) }
        if right.type == .null && left.type != .null { r = coerce(right, to: l.type == .decimal ? .double : l.type) }
        guard var type = SQLType.widerNumeric(l.type, r.type) else { throw fail("'\(op)' needs numbers", at: position) }
        if (l.type == .decimal || r.type == .decimal) && type != .double {
            throw fail("decimal arithmetic ('\(op)' with a decimal literal and \(l.type == .decimal ? r.type : l.type)) is not "
                + "supported: Spark's result is a decimal; write the literal as a double (1.5D) or CAST it AS DOUBLE", at: position)
        }
        switch op {
        case "/":
            return node(.arithmetic("/", coerce(l, to: .double), coerce(r, to: .double)), .double)
        case "DIV":
            guard l.type.isIntegral && r.type.isIntegral else {
                throw fail("div needs integral operands (int or bigint), found \(l.type) and \(r.type)", at: position)
            }
            return node(.arithmetic("DIV", coerce(l, to: .long), coerce(r, to: .long)), .long)
        default:
            if type == .decimal { type = .double }
            return node(.arithmetic(op, coerce(l, to: type), coerce(r, to: type)), type)
        }
    }

    func caseWhen(subject: SQLExpression?, branches: [(SQLExpression, SQLExpression)], otherwise: SQLExpression?,
                  at position: Int) throws -> SQLNode {
        var conditions: [SQLNode] = []
        for (condition, _) in branches {
            if let subject {
                conditions.append(try check(.binary("=", subject, condition, position: condition.position)))
            } else {
                let checked = try scalar(try check(condition), at: condition.position)
                // Spark refuses an untyped NULL condition (DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE).
                guard checked.type != .null else { throw fail("a CASE WHEN condition is an untyped NULL", at: condition.position) }
                conditions.append(try boolean(checked, at: condition.position))
            }
        }
        let values = try branches.map { try scalar(try check($0.1), at: $0.1.position) }
        let fallback = try otherwise.map { try scalar(try check($0), at: $0.position) }
        let type = try commonType(values.map(\.type) + (fallback.map { [$0.type] } ?? []), what: "CASE", at: position)
        guard type != .null else { throw fail("every branch of CASE is NULL; CAST one to a type", at: position) }
        return node(.caseWhen(zip(conditions, values.map { coerce($0, to: type) }).map { ($0, $1) },
                              otherwise: fallback.map { coerce($0, to: type) }), type)
    }
}
