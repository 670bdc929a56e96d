import ConveyorCore

/// Strings from request bytes, refused (nil) when they are not valid UTF-8
/// rather than repaired to U+FFFD: a repaired label would be scored.
enum UTF8Text {
    /// ASCII (nearly every field) skips the standard library's generic
    /// validation, which looks up type metadata on every call.
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        TextValues.isASCII(bytes) ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }

    static func string(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { string($0) }
    }
}
