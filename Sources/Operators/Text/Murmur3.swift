/// Spark's `Murmur3_x86_32` over a term's UTF-8 bytes (seed 42), the hash
/// of HashingTF. Two versions exist: Spark 2.x's `hashUnsafeBytes` mixes
/// each tail byte (sign-extended) as a whole block, which is not standard
/// MurmurHash3; Spark 3+'s `hashUnsafeBytes2` is the standard tail. MLeap
/// bundles say which with `hashUnsafeBytesVersion` (absent: 1).
public enum Murmur3 {
    public enum Version: Int, Sendable {
        case spark2 = 1, spark3 = 2
    }

    public static let seed: UInt32 = 42

    public static func hash(_ bytes: UnsafeRawBufferPointer, version: Version, seed: UInt32 = seed) -> Int32 {
        let count = bytes.count
        let aligned = count - count % 4
        var h1 = seed
        var i = 0
        while i < aligned {
            // Little-endian words, as Platform.getInt reads them on x86 and ARM.
            let word = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
                | UInt32(bytes[i + 3]) << 24
            h1 = mixH1(h1, mixK1(word))
            i += 4
        }
        switch version {
        case .spark2:
            for j in aligned..<count {
                let signed = Int32(Int8(bitPattern: bytes[j]))
                h1 = mixH1(h1, mixK1(UInt32(bitPattern: signed)))
            }
        case .spark3:
            var k1: UInt32 = 0
            for (shift, j) in (aligned..<count).enumerated() { k1 ^= UInt32(bytes[j]) << (8 * UInt32(shift)) }
            h1 ^= mixK1(k1)
        }
        return Int32(bitPattern: fmix(h1, UInt32(truncatingIfNeeded: count)))
    }

    /// The term's feature index: Spark's `nonNegativeMod(hash, numFeatures)`.
    public static func index(of term: String, features: Int, version: Version) -> Int {
        var term = term
        let hash: Int32 = term.withUTF8 { Self.hash(UnsafeRawBufferPointer($0), version: version) }
        let raw = Int(hash) % features
        return raw < 0 ? raw + features : raw
    }

    private static func mixK1(_ k: UInt32) -> UInt32 {
        var k1 = k &* 0xcc9e_2d51
        k1 = (k1 << 15) | (k1 >> 17)
        return k1 &* 0x1b87_3593
    }

    private static func mixH1(_ h: UInt32, _ k1: UInt32) -> UInt32 {
        var h1 = h ^ k1
        h1 = (h1 << 13) | (h1 >> 19)
        return h1 &* 5 &+ 0xe654_6b64
    }

    private static func fmix(_ h: UInt32, _ length: UInt32) -> UInt32 {
        var h1 = h ^ length
        h1 ^= h1 >> 16
        h1 = h1 &* 0x85eb_ca6b
        h1 ^= h1 >> 13
        h1 = h1 &* 0xc2b2_ae35
        h1 ^= h1 >> 16
        return h1
    }
}
