/// Bounds-checked little-endian reads over a model's bytes, for the legacy
/// binary layout. Every length is compared with the bytes left before it is
/// used, so a hostile count is refused, never allocated.
struct LittleEndianReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    func peek(_ count: Int) -> [UInt8] { Array(bytes[offset..<min(offset + count, bytes.count)]) }

    mutating func skip(_ count: Int, _ what: String) throws(XGBoostError) {
        guard count >= 0, count <= remaining else {
            throw XGBoostError(.corruptModel, "legacy binary model: \(what) (\(count) bytes) run past the end of "
                + "the file at byte \(offset) of \(bytes.count)")
        }
        offset += count
    }

    mutating func slice(_ count: Int, _ what: String) throws(XGBoostError) -> Slice {
        let start = offset
        try skip(count, what)
        return Slice(bytes: bytes[start..<offset])
    }

    /// A dmlc string: a uint64 length, then the bytes.
    mutating func string(_ what: String) throws(XGBoostError) -> String {
        let length = try slice(8, what).uint64(at: 0)
        guard length <= UInt64(ModelLimits.maxLegacyString) else {
            throw ModelLimits.exceeded("legacy binary model: the length of \(what)", length,
                                       ModelLimits.maxLegacyString, "maxLegacyString")
        }
        return String(decoding: try slice(Int(length), what).bytes, as: UTF8.self)
    }

    struct Slice {
        let bytes: ArraySlice<UInt8>

        /// Callers pass offsets inside the slice (fixed layouts).
        func uint32(at position: Int) -> UInt32 {
            let start = bytes.startIndex + position
            var value: UInt32 = 0
            for index in (start..<(start + 4)).reversed() { value = value << 8 | UInt32(bytes[index]) }
            return value
        }

        func int32(at position: Int) -> Int32 { Int32(bitPattern: uint32(at: position)) }

        func uint64(at position: Int) -> UInt64 {
            UInt64(uint32(at: position + 4)) << 32 | UInt64(uint32(at: position))
        }
    }
}
