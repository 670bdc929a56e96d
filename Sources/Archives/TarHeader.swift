import ConveyorCore
import Foundation

/// One 512-byte tar header block. Its size is untrusted: it is parsed
/// without overflow and bounded, then charged to the budget by the reader.
struct TarHeader {
    /// Sizes beyond this are refused outright (the archive limits are far lower).
    static let maxSize = 1 << 62

    let name: String
    let size: Int
    let type: Character
    let linkName: String

    init(_ b: [UInt8], source: String) throws {
        guard b.count == 512 else {
            throw ConveyorError(.modelCorrupt, "'\(source)' has a truncated tar header")
        }
        func field(_ start: Int, _ length: Int) -> String {
            String(decoding: b[start..<(start + length)].prefix { $0 != 0 }, as: UTF8.self)
        }
        // The checksum counts its own field as spaces.
        let stored = Int(field(148, 8).trimmingCharacters(in: .whitespaces), radix: 8)
        var sum = 0
        for (index, byte) in b.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        guard let stored, stored == sum else {
            throw ConveyorError(.modelCorrupt, "'\(source)' has a corrupt tar header (bad checksum)")
        }
        let prefix = field(345, 155)
        let base = field(0, 100)
        let isUstar = field(257, 5) == "ustar"
        name = isUstar && !prefix.isEmpty ? prefix + "/" + base : base
        type = Character(UnicodeScalar(b[156]))
        linkName = field(157, 100)
        let parsed: Int?
        if b[124] & 0x80 != 0 {
            parsed = Self.base256(b[124..<136])
        } else {
            parsed = Int(field(124, 12).trimmingCharacters(in: .whitespaces), radix: 8)
        }
        guard let parsed, parsed >= 0, parsed <= Self.maxSize else {
            throw ConveyorError(
                .modelCorrupt, "'\(source)' has a corrupt tar header for '\(base)' (size out of range)")
        }
        size = parsed
    }

    /// GNU base-256 (entries over 8 GiB): big-endian two's complement with
    /// the top bit as a marker. Negative or over-wide values give nil.
    private static func base256(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard let first = bytes.first, first & 0x40 == 0 else { return nil }
        var value = Int(first & 0x3F)
        for byte in bytes.dropFirst() {
            guard value <= maxSize >> 8 else { return nil }
            value = value << 8 | Int(byte)
        }
        return value
    }
}
