/// A string indexer's label → index map that looks labels up by their UTF-8
/// bytes (FNV-1a, open addressing) instead of `Dictionary<String, Int>`,
/// whose Unicode-aware hashing was most of the indexer's cost.
///
/// Swift's `String ==` is canonical equivalence, not byte equality, so a
/// byte miss falls back to the `String` dictionary: every answer is the one
/// `[String: Int]` gives (a byte hit's index is copied from it at build time).
struct LabelLookup: Sendable {
    /// Label → index as the `String` dictionary answers it (first index wins).
    let byString: [String: Int]
    private let bytes: [UInt8]
    /// Per distinct label: where its bytes are, and its answer.
    private struct Entry: Sendable {
        let start: Int
        let length: Int
        let answer: Int
    }
    private let entries: [Entry]
    /// Open-addressing slots: a label's position + 1, 0 for empty.
    private let slots: [Int32]
    private let mask: Int

    init(_ labels: [String]) {
        // Spark writes unique labels; should one repeat, its first index wins.
        var map: [String: Int] = [:]
        for (index, label) in labels.enumerated() where map[label] == nil { map[label] = index }
        byString = map
        var bytes: [UInt8] = []
        var entries: [Entry] = []
        var capacity = 8
        while capacity < labels.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (index, label) in labels.enumerated() {
            let utf8 = Array(label.utf8)
            let hash = utf8.withUnsafeBytes { Self.hash($0) }
            var slot = hash & mask
            var duplicate = false
            while slots[slot] != 0 {
                let other = entries[Int(slots[slot]) - 1]
                if bytes[other.start..<other.start + other.length].elementsEqual(utf8) {
                    duplicate = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if duplicate { continue }
            entries.append(Entry(start: bytes.count, length: utf8.count, answer: map[label] ?? index))
            bytes.append(contentsOf: utf8)
            slots[slot] = Int32(entries.count)
        }
        self.bytes = bytes
        self.entries = entries
        self.slots = slots
        self.mask = mask
    }

    /// The label's index, or nil if it is not a label.
    func index(of value: String) -> Int? {
        let found = value.utf8.withContiguousStorageIfAvailable { find(UnsafeRawBufferPointer($0)) }
        if let found, let found { return found }
        return byString[value]
    }

    private func find(_ key: UnsafeRawBufferPointer) -> Int? {
        let hash = Self.hash(key)
        return bytes.withUnsafeBytes { stored in
            entries.withUnsafeBufferPointer { entries in
                slots.withUnsafeBufferPointer { slots -> Int? in
                    var slot = hash & mask
                    while true {
                        let position = Int(slots[slot])
                        if position == 0 { return nil }
                        let entry = entries[position - 1]
                        if entry.length == key.count {
                            var same = true
                            for offset in 0..<entry.length where stored[entry.start + offset] != key[offset] {
                                same = false
                                break
                            }
                            if same { return entry.answer }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    private static func hash(_ key: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
