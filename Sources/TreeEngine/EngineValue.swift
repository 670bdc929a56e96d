/// The precision an ensemble compares and sums in: `Float` for XGBoost
/// (float32 thresholds, leaves and sums), `Double` for Spark and MLeap.
///
/// Comparisons become integer comparisons: `key` maps values to signed
/// integers of the same width in the same order (-0 and +0 both to 0, as
/// IEEE compares them equal), so for values that are not NaN, `x < t` ⇔
/// `key(x) < key(t)`. A complete tree's split is one `Split` word, so a
/// descent can hold a node in a register and pick between two with a move.
public protocol EngineValue: BinaryFloatingPoint, Sendable {
    associatedtype Key: FixedWidthInteger & SignedInteger & Sendable
    associatedtype Split: Sendable

    static func key(_ value: Self) -> Key
    /// The inverse of `key` (zero comes back as +0).
    static func value(ofKey key: Key) -> Self
    static func split(slot: UInt32, key: Key) -> Split
    static func slot(of split: Split) -> UInt32
    static func key(of split: Split) -> Key
}

extension Float: EngineValue {
    @inline(__always)
    public static func key(_ value: Float) -> Int32 {
        let bits = value == 0 ? 0 : Int32(bitPattern: value.bitPattern)
        return bits ^ ((bits >> 31) & 0x7FFF_FFFF)
    }

    public static func value(ofKey key: Int32) -> Float {
        Float(bitPattern: UInt32(bitPattern: key ^ ((key >> 31) & 0x7FFF_FFFF)))
    }

    /// Slot in the low half, key in the high half.
    @inline(__always)
    public static func split(slot: UInt32, key: Int32) -> UInt64 { UInt64(slot) | UInt64(UInt32(bitPattern: key)) << 32 }
    @inline(__always)
    public static func slot(of split: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: split) }
    @inline(__always)
    public static func key(of split: UInt64) -> Int32 { Int32(truncatingIfNeeded: split >> 32) }
}

extension Double: EngineValue {
    @inline(__always)
    public static func key(_ value: Double) -> Int64 {
        let bits = value == 0 ? 0 : Int64(bitPattern: value.bitPattern)
        return bits ^ ((bits >> 63) & 0x7FFF_FFFF_FFFF_FFFF)
    }

    public static func value(ofKey key: Int64) -> Double {
        Double(bitPattern: UInt64(bitPattern: key ^ ((key >> 63) & 0x7FFF_FFFF_FFFF_FFFF)))
    }

    @inline(__always)
    public static func split(slot: UInt32, key: Int64) -> DoubleSplit { DoubleSplit(key: key, slot: slot) }
    @inline(__always)
    public static func slot(of split: DoubleSplit) -> UInt32 { split.slot }
    @inline(__always)
    public static func key(of split: DoubleSplit) -> Int64 { split.key }
}

/// A complete tree's split in double precision: the threshold's key and
/// where the row's key is.
public struct DoubleSplit: Sendable {
    var key: Int64
    var slot: UInt32
}

/// The missing-value rule folded into the keys, so that a descent step is
/// one load and one compare. A row holds two keys per feature: in the even
/// slot a missing value is `Key.max` (at or above every threshold's key: it
/// goes right), in the odd slot `Key.min` (below every threshold's key: it
/// goes left). A split reads the slot of its default direction and goes
/// right when the key is at or above its own. Thresholds are never NaN
/// (refused when the engine is built).
enum SplitKey {
    /// The slot a split reads for `feature`.
    static func slot(feature: Int32, defaultLeft: Bool) -> UInt32 {
        UInt32(feature) &* 2 &+ (defaultLeft ? 1 : 0)
    }

    /// The key a split compares with: at or above it goes right. `x <= t`
    /// is `key(x) < key(t) + 1`; the key of +∞ plus one still fits.
    static func key<Value: EngineValue>(_ threshold: Value, rule: SplitRule) -> Value.Key {
        Value.key(threshold) &+ (rule == .lessOrEqual ? 1 : 0)
    }

    /// Writes one row's `width` values as `2 × width` keys.
    @inline(__always)
    static func fill<Value: EngineValue>(_ keys: UnsafeMutablePointer<Value.Key>, from row: UnsafePointer<Value>,
                                         width: Int) {
        for feature in 0..<width {
            let value = row[feature]
            let missing = value.isNaN
            let key = missing ? 0 : Value.key(value)
            keys[2 &* feature] = missing ? .max : key
            keys[2 &* feature &+ 1] = missing ? .min : key
        }
    }
}
