import Codecs
import ConveyorCore
import Storage

/// SageMaker's ManifestFile input: `[{"prefix": "s3://b/p/"}, "rel/a", "rel/b"]`.
/// Each entry names the object `prefix + entry`; its output is `entry.out`.
public enum ManifestFile {
    public static func objects(in bytes: [UInt8], source: String) throws -> [InputObject] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes[...])
        } catch {
            throw ConveyorError(.invalidInput, "manifest \(source) is not JSON: \(error)")
        }
        guard case .array(let items) = value, case .string(let prefix)? = items.first?["prefix"] else {
            throw ConveyorError(.invalidInput, "manifest \(source) must be a list starting with {\"prefix\": \"s3://bucket/prefix/\"}")
        }
        let base = try StorageLocation(prefix)
        return try items.dropFirst().enumerated().map { index, item in
            guard case .string(let relative) = item else {
                throw ConveyorError(.invalidInput, "manifest \(source) entry \(index + 2) is not a string")
            }
            let location = StorageLocation(scheme: base.scheme, prefix: base.prefix + relative)
            return InputObject(location: location, relativeKey: relative, size: 0)
        }
    }
}
