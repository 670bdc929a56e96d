import ConveyorCore
import Foundation

/// `regexp_replace(str, pattern, replacement)` and `split(str, pattern[, limit])`:
/// the pattern must be a string literal, compiled once at load as a Java
/// regex (Operators' JavaRegex, which refuses what ICU reads differently).
extension SQLAnalyzer {
    func regexFunction(_ name: String, _ args: [SQLNode], position: Int) throws -> SQLNode {
        guard (name == "split" ? 2...3 : 3...3).contains(args.count) else {
            throw fail("\(name) takes \(name == "split" ? "2 or 3" : "3") arguments, found \(args.count)", at: position)
        }
        let type: SQLType = name == "split" ? .stringArray : .string
        if case .literal(.null) = args[1].kind { return node(.literal(.null), type) }
        guard case .literal(.string(let pattern)) = args[1].kind else {
            throw fail("\(name) needs a string literal pattern here (it is compiled at load)", at: position)
        }
        if let feature = JavaRegex.unsupportedFeature(pattern) {
            throw fail("\(name)'s pattern '\(pattern)' uses \(feature), which is not supported", at: position)
        }
        let regex: NSRegularExpression
        do {
            regex = try JavaRegex.compile(pattern.isEmpty ? "(?:)" : pattern)
        } catch {
            throw fail("\(name)'s pattern '\(pattern)' is not a valid regular expression", at: position)
        }
        var operands = [try stringOperand(args[0], at: position), args[1]]
        if name == "regexp_replace" {
            operands.append(try stringOperand(args[2], at: position))
        } else if args.count == 3 {
            guard args[2].type == .int else { throw fail("split's limit must be an int, found \(args[2].type)", at: position) }
            operands.append(args[2])
        }
        var call = node(.call(name == "split" ? .split : .regexpReplace, operands), type)
        call.regex = regex
        call.emptyPattern = pattern.isEmpty
        return call
    }
}
