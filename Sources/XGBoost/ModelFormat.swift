/// How a model's bytes are encoded.
public enum ModelFormat: String, Sendable, Equatable, CustomStringConvertible {
    case json
    /// Universal Binary JSON, as `save_model("x.ubj")` writes it (XGBoost 1.6+).
    case ubjson
    /// The deprecated custom binary format (`.bin`, `save_raw("deprecated")`).
    case legacyBinary = "legacy_binary"

    public var description: String { rawValue }

    /// Guesses the format from the first bytes. Both JSON and UBJSON start
    /// with `{`; UBJSON follows it with a key-length marker (XGBoost writes
    /// `L`, an int64) or a container marker, JSON with whitespace or `"`.
    public static func detect<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ModelFormat {
        var iterator = bytes.makeIterator()
        var first: UInt8?
        while let byte = iterator.next() {
            if !isJSONWhitespace(byte) { first = byte; break }
        }
        guard first == UInt8(ascii: "{") else { return .legacyBinary }
        // Whitespace before `{` means text.
        if bytes.first != UInt8(ascii: "{") { return .json }
        guard let second = iterator.next() else { return .json }
        switch second {
        case UInt8(ascii: "L"), UInt8(ascii: "l"), UInt8(ascii: "i"), UInt8(ascii: "U"),
             UInt8(ascii: "I"), UInt8(ascii: "$"), UInt8(ascii: "#"), UInt8(ascii: "}"):
            return .ubjson
        default:
            return .json
        }
    }

    static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
