import ConveyorCore

/// One tree block's `key=value` lines, read into checked numbers. Every
/// array must have exactly the count its tree declares: the count is
/// compared with the tokens on the line before anything of that size is
/// made (the tokens themselves are bounded by the file).
struct TreeFields {
    let values: [String: Range<Int>]
    let bytes: [UInt8]
    let tree: Int
    let source: String

    func fail(_ message: String) -> ConveyorError {
        ConveyorError(.modelCorrupt, "LightGBM model \(source): tree \(tree): \(message)")
    }

    func has(_ key: String) -> Bool { values[key] != nil }

    func tokenCount(_ key: String) -> Int {
        values[key].map { TextNumbers.tokens(bytes, $0).count } ?? 0
    }

    private func tokens(_ key: String, count: Int) throws(ConveyorError) -> [Range<Int>] {
        guard let range = values[key] else { throw fail("'\(key)' is missing") }
        let tokens = TextNumbers.tokens(bytes, range)
        guard tokens.count == count else { throw fail("'\(key)' has \(tokens.count) values, expected \(count)") }
        return tokens
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range].prefix(40), as: UTF8.self) }

    func integer(_ key: String, in bounds: ClosedRange<Int>, limitName: String? = nil) throws(ConveyorError) -> Int {
        guard let value = try optionalInteger(key) else { throw fail("'\(key)' is missing") }
        if let limitName, value > bounds.upperBound {
            throw LightGBMLimits.exceeded(source, "tree \(tree): \(key)", value, bounds.upperBound, limitName)
        }
        guard bounds.contains(value) else { throw fail("\(key) \(value) is out of range \(bounds)") }
        return value
    }

    func optionalInteger(_ key: String) throws(ConveyorError) -> Int? {
        guard let range = values[key] else { return nil }
        guard let value = TextNumbers.integer(bytes[range]) else { throw fail("\(key) '\(text(range))' is not an integer") }
        return value
    }

    func ints(_ key: String, count: Int) throws(ConveyorError) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        for token in try tokens(key, count: count) {
            guard let value = TextNumbers.integer(bytes[token]) else {
                throw fail("'\(key)': '\(text(token))' is not an integer")
            }
            result.append(value)
        }
        return result
    }

    func int32s(_ key: String, count: Int) throws(ConveyorError) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(count)
        for value in try ints(key, count: count) {
            guard let narrow = Int32(exactly: value) else { throw fail("'\(key)': \(value) does not fit 32 bits") }
            result.append(narrow)
        }
        return result
    }

    func doubles(_ key: String, count: Int) throws(ConveyorError) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(count)
        for token in try tokens(key, count: count) {
            guard let value = TextNumbers.double(bytes[token]) else {
                throw fail("'\(key)': '\(text(token))' is not a number")
            }
            result.append(value)
        }
        return result
    }
}
