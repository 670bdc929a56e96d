/// Finds the multiplier a condition table indexes with: `(outcomes &*
/// magic) >> (64 - bits)` must send every combination of a tree's condition
/// outcomes to a slot of its own, or to one shared only with combinations
/// reaching the same leaf. Random sparse multipliers are tried (sparse ones
/// spread bits with few carries), from a fixed seed so that a model loads
/// the same way every time, with the fewest bits first: a table of
/// `2^conditions` slots, then twice and four times that. The smallest
/// width gets few attempts: on the Car model, 256 there instead of 4,096
/// cut the search's work 6.8 times for 12 % more table slots.
///
/// Not generic, so that it stays quick in debug builds too: it runs for
/// every tree of every model loaded. `budget` counts the combinations
/// checked across a whole ensemble: a crafted model cannot make loading
/// search for long (the Car model checks about 2.5 million).
enum MagicSearch {
    /// Multipliers tried at each table width, smallest first.
    static var attempts: [Int] { [256, 4_096, 4_096] }
    /// Combinations an ensemble's searches may check in all.
    static var ensembleBudget: Int { 1 << 26 }

    static func find(_ combinations: [UInt64], _ leaves: [Int32], conditions: Int, seed: UInt64,
                     budget: inout Int) -> (magic: UInt64, bits: Int, slots: [Int32])? {
        precondition(combinations.count == leaves.count && !combinations.isEmpty)
        if conditions == 0 { return (0, 1, [leaves[0], leaves[0]]) }
        var random = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15 &+ seed)
        return combinations.withUnsafeBufferPointer { combinations in
            leaves.withUnsafeBufferPointer { leaves in
                for (extra, attempts) in attempts.enumerated() {
                    if let found = search(combinations, leaves, bits: conditions + extra, attempts: attempts,
                                          random: &random, budget: &budget) {
                        return found
                    }
                }
                return nil
            }
        }
    }

    /// One table width. A slot holds a leaf for the attempt its stamp names,
    /// so an attempt that fails early costs only what it read.
    static func search(_ combinations: UnsafeBufferPointer<UInt64>, _ leaves: UnsafeBufferPointer<Int32>, bits: Int,
                       attempts: Int, random: inout SplitMix64,
                       budget: inout Int) -> (magic: UInt64, bits: Int, slots: [Int32])? {
        let shift = UInt64(64 - bits)
        var stamps = [Int32](repeating: -1, count: 1 << bits)
        var slots = [Int32](repeating: leaves[0], count: 1 << bits)
        let count = combinations.count
        let found: UInt64? = stamps.withUnsafeMutableBufferPointer { stamps in
            slots.withUnsafeMutableBufferPointer { slots in
                for attempt in 0..<Int32(attempts) {
                    guard budget > 0 else { return nil }
                    let magic = random.next() & random.next() & random.next()
                    var index = 0
                    defer { budget -= index + 1 }
                    while index < count {
                        let slot = Int(truncatingIfNeeded: (combinations[index] &* magic) >> shift)
                        if stamps[slot] != attempt {
                            stamps[slot] = attempt
                            slots[slot] = leaves[index]
                        } else if slots[slot] != leaves[index] {
                            break
                        }
                        index += 1
                    }
                    if index == count {
                        // A slot no combination reaches is never read: give it
                        // a real leaf all the same.
                        for slot in 0..<slots.count where stamps[slot] != attempt { slots[slot] = leaves[0] }
                        return magic
                    }
                }
                return nil
            }
        }
        return found.map { ($0, bits, slots) }
    }
}

/// A small deterministic generator (SplitMix64) for the multiplier search.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
