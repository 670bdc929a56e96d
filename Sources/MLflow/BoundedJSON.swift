import ConveyorCore
import Foundation

/// JSON from an MLflow directory (signature strings, input examples):
/// size and nesting checked before Foundation parses it.
enum BoundedJSON {
    static func parse(_ data: Data, what: String) throws -> Any {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= MLflowLimits.maxJSONDepth else {
                    throw ConveyorError(.modelCorrupt, "\(what) nests deeper than \(MLflowLimits.maxJSONDepth) levels")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ConveyorError(.modelCorrupt, "\(what) is not valid JSON: \(error.localizedDescription.boundedForMessage(120))")
        }
    }

    /// Reads a file of at most `limit` bytes, checking the size first.
    static func readFile(_ url: URL, limit: Int, what: String) throws -> Data {
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
                throw ConveyorError(.modelCorrupt, "\(what) \(url.path) is not a regular file")
            }
            size = (attributes[.size] as? NSNumber)?.intValue ?? Int.max
        } catch let error as ConveyorError {
            throw error
        } catch {
            throw ConveyorError(.modelNotFound, "\(what) \(url.path) cannot be read: no such file")
        }
        guard size <= limit else {
            throw ConveyorError(.modelCorrupt, "\(what) \(url.path) has \(size) bytes; the limit is \(limit)")
        }
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                throw ConveyorError(.modelCorrupt, "\(what) \(url.path) grew past \(limit) bytes while being read")
            }
            return data
        } catch let error as ConveyorError {
            throw error
        } catch {
            throw ConveyorError(.modelCorrupt, "\(what) \(url.path) cannot be read: \(error.localizedDescription)")
        }
    }
}
