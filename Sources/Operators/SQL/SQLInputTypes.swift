import ConveyorCore

/// The columns a statement reads, in first-use order, each with the type
/// its first use suggests: a string function or a comparison with a string
/// literal says string, a condition says boolean, a column only passed through
/// or tested for NULL says string, `div` says bigint, anything else double.
/// Only used when the pipeline's schema does not type the column.
enum SQLInputTypes {
    static func infer(_ statement: SQLStatement) -> [ColumnSpec] {
        var found: [ColumnSpec] = []
        func note(_ name: String, _ type: ColumnType) {
            if !found.contains(where: { $0.name == name }) { found.append(ColumnSpec(name, type)) }
        }
        func walk(_ e: SQLExpression, _ hint: ColumnType) {
            switch e {
            case .column(let name, _): note(name, hint)
            case .literal: break
            case .unary(let op, let x, _): walk(x, op == "NOT" ? ColumnType(.boolean) : .double)
            case .binary(let op, let a, let b, _):
                let isLogic = op == "AND" || op == "OR"
                let hintFor: (SQLExpression) -> ColumnType = { other in
                    if isLogic { return ColumnType(.boolean) }
                    if op == "DIV" { return ColumnType(.long) }
                    if op == "||" { return .string }
                    if case .literal(.string, _) = other { return .string }
                    if case .literal(.boolean, _) = other { return ColumnType(.boolean) }
                    return .double
                }
                walk(a, hintFor(b))
                walk(b, hintFor(a))
            case .function(let name, let args, _):
                let stringFunctions: Set<String> = ["lower", "upper", "lcase", "ucase", "trim", "ltrim", "rtrim", "length",
                                                    "char_length", "character_length", "concat", "concat_ws", "substring",
                                                    "substr", "regexp_replace", "split"]
                for (index, arg) in args.enumerated() {
                    walk(arg, stringFunctions.contains(name) && (index == 0 || name.hasPrefix("concat")) ? .string : .double)
                }
            case .caseWhen(let subject, let branches, let otherwise, _):
                if let subject { walk(subject, .double) }
                for (condition, value) in branches {
                    walk(condition, subject == nil ? ColumnType(.boolean) : .double)
                    walk(value, .double)
                }
                if let otherwise { walk(otherwise, .double) }
            case .cast(let x, _, _): walk(x, .string)
            case .inList(let x, let items, _, _):
                let isString = items.contains { if case .literal(.string, _) = $0 { return true }; return false }
                walk(x, isString ? .string : .double)
                for item in items { walk(item, .double) }
            case .between(let x, let a, let b, _, _):
                walk(x, { if case .literal(.string, _) = a { return ColumnType.string }; return .double }())
                walk(a, .double)
                walk(b, .double)
            case .isNull(let x, _, _): walk(x, .string)
            case .like(let x, let p, _, _):
                walk(x, .string)
                walk(p, .string)
            }
        }
        for item in statement.items {
            // A column only passed through reads as a string: any CSV field is one.
            if case .expression(let e, _, _) = item { walk(e, .string) }
        }
        if let predicate = statement.predicate { walk(predicate, ColumnType(.boolean)) }
        return found
    }
}
