/// Float32 comparisons as integer comparisons, with the missing-value rule
/// folded in, so that a descent step is one load and one compare.
///
/// `key` maps floats to Int32 in the same order (-0 and +0 both to 0, as
/// IEEE compares them equal), so for any values that are not NaN,
/// `!(x < t)` ⇔ `key(x) >= key(t)`. A row holds two keys per feature: in
/// the even slot a missing value is `Int32.max` (at or above every
/// threshold's key: it goes right), in the odd slot `Int32.min` (below
/// every threshold's key: it goes left). A split reads the slot of its
/// default direction and goes right when the key is at or above its own.
/// Thresholds are never NaN (refused when the engine is built).
enum SplitKey {
    @inline(__always)
    static func key(_ value: Float) -> Int32 {
        let bits = value == 0 ? 0 : Int32(bitPattern: value.bitPattern)
        return bits ^ ((bits >> 31) & 0x7FFF_FFFF)
    }

    /// The inverse of `key` (zero comes back as +0).
    static func value(of key: Int32) -> Float {
        Float(bitPattern: UInt32(bitPattern: key ^ ((key >> 31) & 0x7FFF_FFFF)))
    }

    /// The slot a split reads for `feature`.
    static func slot(feature: Int32, defaultLeft: Bool) -> UInt32 {
        UInt32(feature) &* 2 &+ (defaultLeft ? 1 : 0)
    }

    /// Writes one row's `width` values as `2 × width` keys.
    @inline(__always)
    static func fill(_ keys: UnsafeMutablePointer<Int32>, from row: UnsafePointer<Float>, width: Int) {
        for feature in 0..<width {
            let value = row[feature]
            let missing = value.isNaN
            let key = missing ? 0 : Self.key(value)
            keys[2 &* feature] = missing ? .max : key
            keys[2 &* feature &+ 1] = missing ? .min : key
        }
    }
}
