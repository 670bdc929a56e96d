import ConveyorTestSupport
import Foundation
import Testing
@testable import XGBoost

/// Builds hostile models from the real fixtures: a JSON model edited at a
/// dotted path ("learner.gradient_booster.model.trees.0.left_children.2"),
/// or a binary model with bytes overwritten.
enum HostileModels {
    /// A JSON value to write at a path. Sendable, for test arguments.
    enum Value: Sendable {
        case int(Int)
        case string(String)
        case ints([Int])
        case doubles([Double])
        /// Drops the last element of the array found at the path.
        case dropLast
        /// Wraps the value found at the path in `levels` arrays.
        case nested(levels: Int)
    }

    static func document(_ version: String, _ file: String) throws -> Any {
        try ExactJSON.object(with: Data(contentsOf: Fixtures.url(version, file)))
    }

    /// Writes the document back as JSON. Not JSONSerialization: it writes
    /// 1.0 as `1`, and libxgboost refuses integers where it wants floats.
    static func bytes(of document: Any) throws -> [UInt8] {
        var text = ""
        try write(document, to: &text)
        return Array(text.utf8)
    }

    private static func write(_ value: Any, to text: inout String) throws {
        // Values the edits put in are Swift Ints, not NSNumbers.
        if Swift.type(of: value) == Int.self, let integer = value as? Int {
            text += "\(integer)"
            return
        }
        if Swift.type(of: value) == Double.self, let double = value as? Double {
            text += "\(double)"
            return
        }
        switch value {
        case let object as [String: Any]:
            text += "{"
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                try write(key, to: &text)
                text += ":"
                try write(object[key] as Any, to: &text)
            }
            text += "}"
        case let array as [Any]:
            text += "["
            for (index, item) in array.enumerated() {
                if index > 0 { text += "," }
                try write(item, to: &text)
            }
            text += "]"
        case let string as String:
            text += String(decoding: try JSONSerialization.data(withJSONObject: string, options: .fragmentsAllowed),
                           as: UTF8.self)
        case let number as NSNumber:
            // JSONSerialization keeps a number with a fraction or exponent as a double.
            let type = String(cString: number.objCType)
            if type == "d" || type == "f" {
                let double = number.doubleValue
                // XGBoost writes non-finite floats as JSON5 words (2.x leaves' split conditions are NaN).
                guard double.isFinite else {
                    text += double.isNaN ? "NaN" : double < 0 ? "-Infinity" : "Infinity"
                    return
                }
                text += double.rounded() == double && abs(double) < 1e15 ? "\(double)" : "\(Float(double))"
            } else {
                text += "\(number.int64Value)"
            }
        case is NSNull:
            text += "null"
        default:
            throw CocoaError(.coderInvalidValue)
        }
    }

    /// The fixture with each edit applied in order, as JSON bytes.
    static func edited(_ version: String, _ file: String, _ edits: [(String, Value)]) throws -> [UInt8] {
        var document = try document(version, file)
        for (path, value) in edits {
            document = changing(document, at: path.split(separator: ".")[...], to: value)
        }
        return try bytes(of: document)
    }

    static func changing(_ node: Any?, at path: ArraySlice<Substring>, to value: Value) -> Any {
        guard let first = path.first else { return apply(value, to: node) }
        let rest = path.dropFirst()
        if var object = node as? [String: Any] {
            object[String(first)] = changing(object[String(first)], at: rest, to: value)
            return object
        }
        if var array = node as? [Any], let index = Int(first), array.indices.contains(index) {
            array[index] = changing(array[index], at: rest, to: value)
            return array
        }
        Issue.record("path component \(first) does not exist")
        return node as Any
    }

    static func apply(_ value: Value, to node: Any?) -> Any {
        switch value {
        case .int(let number): return number
        case .string(let text): return text
        case .ints(let numbers): return numbers
        case .doubles(let numbers): return numbers
        case .dropLast: return Array((node as? [Any] ?? []).dropLast())
        case .nested(let levels):
            var wrapped: Any = node ?? 0
            for _ in 0..<levels { wrapped = [wrapped] }
            return wrapped
        }
    }

    /// Expects the model to be refused with `code` and a message containing
    /// every one of `texts`; returns the message.
    @discardableResult
    static func expectRefusal(_ bytes: [UInt8], _ code: XGBoostError.Code, mentioning texts: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            _ = try Booster(modelData: bytes)
            Issue.record("the hostile model was accepted", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            for text in texts {
                #expect(error.message.contains(text), "\(error)", sourceLocation: sourceLocation)
            }
            return error.message
        }
    }

    // MARK: binary layouts

    static func fixtureBytes(_ version: String, _ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Fixtures.url(version, file)))
    }

    static func writeLittleEndian(_ value: Int64, width: Int, into bytes: inout [UInt8], at offset: Int) {
        for index in 0..<width { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    static func writeBigEndian(_ value: Int64, width: Int, into bytes: inout [UInt8], at offset: Int) {
        for index in 0..<width { bytes[offset + width - 1 - index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    static func readLittleEndian(_ bytes: [UInt8], at offset: Int, width: Int) -> Int {
        (0..<width).reversed().reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
    }

    /// Offsets in a legacy binary model with the "binf" header (see
    /// LegacyBinaryModel): the learner parameters, the gbtree parameters
    /// and the first tree's parameters and node table.
    struct LegacyLayout {
        let learner = 4
        let objectiveLength = 140
        let gbtree: Int
        let firstTree: Int
        var firstNodes: Int { firstTree + 148 }

        init(_ bytes: [UInt8]) {
            let objective = HostileModels.readLittleEndian(bytes, at: 140, width: 8)
            let boosterAt = 148 + objective
            let booster = HostileModels.readLittleEndian(bytes, at: boosterAt, width: 8)
            gbtree = boosterAt + 8 + booster
            firstTree = gbtree + 160
        }

        /// Byte offset of a field of a node of the first tree: 0 parent,
        /// 4 left, 8 right, 12 split index, 16 value.
        func node(_ index: Int, field: Int) -> Int { firstNodes + 20 * index + field }
    }

    /// Offset of the first typed array written for `key` in a UBJSON model:
    /// the byte after the key, where `[` starts.
    static func ubjsonValue(after key: String, in bytes: [UInt8]) -> Int? {
        let pattern = Array(key.utf8)
        guard bytes.count > pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
            return start + pattern.count
        }
        return nil
    }
}
