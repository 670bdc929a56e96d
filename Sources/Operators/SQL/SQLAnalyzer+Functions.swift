import ConveyorCore

/// Function calls: their argument counts and types, Spark's implicit casts
/// for them, and refusals naming aggregates, window functions and anything
/// the engine does not compute (UDFs included).
extension SQLAnalyzer {
    static let aggregates: Set<String> = [
        "count", "sum", "avg", "mean", "min", "max", "first", "last", "first_value", "last_value", "collect_list",
        "collect_set", "stddev", "stddev_pop", "stddev_samp", "std", "variance", "var_pop", "var_samp", "corr", "covar_pop",
        "covar_samp", "approx_count_distinct", "percentile", "percentile_approx", "median", "mode", "any", "some", "every",
        "bool_and", "bool_or", "count_if", "max_by", "min_by", "kurtosis", "skewness", "array_agg", "listagg", "string_agg",
    ]
    static let windows: Set<String> = ["row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
                                       "nth_value"]
    static let generators: Set<String> = ["explode", "explode_outer", "posexplode", "inline", "stack", "json_tuple"]

    /// Aggregates, window functions and generators, refused by name before their arguments are checked.
    func refuseRowChanging(_ name: String, at position: Int) throws {
        if SQLAnalyzer.aggregates.contains(name) {
            throw fail("aggregate function '\(name)' is not supported: a SQLTransformer stage here maps each row to at most "
                + "one row (no GROUP BY or aggregates)", at: position)
        }
        if SQLAnalyzer.windows.contains(name) { throw fail("window function '\(name)' is not supported", at: position) }
        if SQLAnalyzer.generators.contains(name) {
            throw fail("generator '\(name)' is not supported (it makes several rows of one)", at: position)
        }
    }

    func function(_ name: String, _ args: [SQLNode], position: Int) throws -> SQLNode {
        func arity(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(args.count) else {
                throw fail("\(name) takes \(counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)") "
                    + "argument(s), found \(args.count)", at: position)
            }
        }
        func doubles() throws -> [SQLNode] {
            try args.map { arg in
                switch arg.type {
                case .int, .long, .double, .decimal, .null, .string: return coerce(arg, to: .double)
                default: throw fail("\(name) needs numbers, found \(arg.type)", at: position)
                }
            }
        }
        func call(_ function: SQLFunction, _ operands: [SQLNode], _ type: SQLType) -> SQLNode {
            node(.call(function, operands), type)
        }
        switch name {
        case "log", "ln", "log10", "log2", "log1p", "exp", "sqrt", "signum", "sign":
            try arity(name == "log" ? 1...2 : 1...1)
            let function: SQLFunction = name == "sign" ? .signum : SQLFunction(rawValue: name) ?? .log
            return call(function, try doubles(), .double)
        case "pow", "power":
            try arity(2...2)
            return call(.pow, try doubles(), .double)
        case "isnan":
            try arity(1...1)
            return call(.isnan, try doubles(), .boolean)
        case "nanvl":
            try arity(2...2)
            return call(.nanvl, try doubles(), .double)
        case "isnull", "isnotnull":
            try arity(1...1)
            return node(.isNull(args[0], negated: name == "isnotnull"), .boolean)
        case "coalesce", "nvl", "ifnull":
            try arity(name == "coalesce" ? 1...1_000 : 2...2)
            let type = try commonType(args.map(\.type), what: name, at: position)
            guard type != .null else { throw fail("\(name) of NULLs only; CAST one to a type", at: position) }
            return node(.coalesce(args.map { coerce($0, to: type) }), type)
        case "if":
            try arity(3...3)
            let type = try commonType([args[1].type, args[2].type], what: "IF", at: position)
            guard type != .null else { throw fail("IF of NULLs only; CAST one to a type", at: position) }
            return node(.caseWhen([(try boolean(args[0], at: position), coerce(args[1], to: type))],
                                  otherwise: coerce(args[2], to: type)), type)
        case "abs":
            try arity(1...1)
            let value = try numericOperand(args[0], op: name, at: position)
            let type: SQLType = value.type == .decimal ? .double : value.type
            return call(.abs, [coerce(value, to: type)], type)
        case "floor", "ceil", "ceiling":
            try arity(1...1)
            let value = try numericOperand(args[0], op: name, at: position)
            guard value.type != .decimal else { throw fail("\(name) of a decimal literal is not supported", at: position) }
            return call(name == "floor" ? .floor : .ceil, [value.type == .double ? value : coerce(value, to: .long)], .long)
        case "round", "bround":
            try arity(1...2)
            var value = try numericOperand(args[0], op: name, at: position)
            guard value.type != .decimal else { throw fail("\(name) of a decimal literal is not supported", at: position) }
            if args[0].type == .string { value = coerce(args[0], to: .double) }
            var operands = [value]
            if args.count == 2 {
                guard case .literal(.int(let scale)) = args[1].kind, args[1].type == .int else {
                    throw fail("\(name)'s scale must be an integer literal", at: position)
                }
                operands.append(node(.literal(.int(scale)), .int))
            }
            return call(name == "round" ? .round : .bround, operands, value.type)
        case "greatest", "least":
            try arity(2...1_000)
            let type = try commonType(args.map(\.type), what: name, at: position)
            guard type != .null else { throw fail("\(name) of NULLs only; CAST one to a type", at: position) }
            return call(name == "greatest" ? .greatest : .least, args.map { coerce($0, to: type) }, type)
        case "lower", "lcase", "upper", "ucase", "trim", "ltrim", "rtrim", "length", "char_length", "character_length":
            try arity(1...1)
            let value = try stringOperand(args[0], at: position)
            switch name {
            case "lcase": return call(.lower, [value], .string)
            case "ucase": return call(.upper, [value], .string)
            case "length", "char_length", "character_length": return call(.length, [value], .int)
            default: return call(SQLFunction(rawValue: name) ?? .lower, [value], .string)
            }
        case "concat":
            try arity(1...1_000)
            return call(.concat, try args.map { try stringOperand($0, at: position) }, .string)
        case "concat_ws":
            try arity(1...1_000)
            return call(.concatWS, try args.map { try stringOperand($0, at: position) }, .string)
        case "substring", "substr":
            try arity(2...3)
            let positions = try args.dropFirst().map { arg -> SQLNode in
                guard arg.type == .int || arg.type == .null else {
                    throw fail("\(name)'s position and length must be int, found \(arg.type)", at: position)
                }
                return coerce(arg, to: .int)
            }
            return call(.substring, [try stringOperand(args[0], at: position)] + positions, .string)
        case "regexp_replace", "split":
            return try regexFunction(name, args, position: position)
        default:
            throw fail("unknown or unsupported function '\(name)' (UDFs and functions beyond those in docs/sql-transformer.md "
                + "are refused)", at: position)
        }
    }
}
