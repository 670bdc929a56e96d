import ConveyorCore

/// A string → index map keyed by UTF-8 bytes (open addressing), for
/// every lookup Spark and MLeap make with Java's `String.equals`: a string
/// indexer's labels, a CountVectorizer's vocabulary, Word2Vec's words,
/// StopWordsRemover's stop words. Equality is byte for byte, as Java's is
/// (code unit for code unit): Swift's `String ==` is Unicode canonical
/// equivalence, under which precomposed "é" (U+00E9) equals "e" + U+0301,
/// two different labels to Spark (Tests/Fixtures/spark-text/unicode). It is
/// also faster: Unicode-aware hashing was most of the indexer's cost.
struct UTF8Index: Sendable {
    private let bytes: [UInt8]
    /// Per distinct label: where its bytes are, and its answer.
    private struct Entry: Sendable {
        let start: Int
        let length: Int
        let answer: Int
        /// The first eight bytes (fewer zero-padded): with the length, the
        /// whole of a short key, compared at once.
        let head: UInt64
    }
    private let entries: [Entry]
    /// Open-addressing slots: a label's position + 1, 0 for empty.
    private let slots: [Int32]
    private let mask: Int

    /// Each key's index is its position; should a key repeat (byte for
    /// byte), its first position wins (a string indexer's labels), or its
    /// last with `lastWins` (Scala's `zipWithIndex.toMap`: CountVectorizer,
    /// Word2Vec).
    init(_ labels: [String], lastWins: Bool = false) {
        var bytes: [UInt8] = []
        var entries: [Entry] = []
        var capacity = 8
        while capacity < labels.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (index, label) in labels.enumerated() {
            let utf8 = Array(label.utf8)
            let head = utf8.withUnsafeBytes { TextValues.head($0) }
            let hash = utf8.withUnsafeBytes { Self.hash($0, head: head) }
            var slot = hash & mask
            var duplicate = false
            while slots[slot] != 0 {
                let position = Int(slots[slot]) - 1
                let other = entries[position]
                if bytes[other.start..<other.start + other.length].elementsEqual(utf8) {
                    if lastWins {
                        entries[position] = Entry(start: other.start, length: other.length, answer: index, head: other.head)
                    }
                    duplicate = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if duplicate { continue }
            entries.append(Entry(start: bytes.count, length: utf8.count, answer: index, head: head))
            bytes.append(contentsOf: utf8)
            slots[slot] = Int32(entries.count)
        }
        self.bytes = bytes
        self.entries = entries
        self.slots = slots
        self.mask = mask
    }

    var count: Int { entries.count }

    /// The key's index, or nil if it is no key (byte for byte).
    func index(of value: String) -> Int? {
        if let found = value.utf8.withContiguousStorageIfAvailable({ index(ofUTF8: UnsafeRawBufferPointer($0)) }) {
            return found
        }
        // A bridged or lazily decoded string: its bytes copied once.
        return Array(value.utf8).withUnsafeBytes { index(ofUTF8: $0) }
    }

    func contains(_ value: String) -> Bool { index(of: value) != nil }

    /// The index of the key whose UTF-8 bytes these are (a column's stored
    /// text, `TextValues.forEachUTF8`), or nil.
    func index(ofUTF8 key: UnsafeRawBufferPointer) -> Int? {
        index(ofUTF8: key, head: TextValues.head(key))
    }

    /// The same, given the key's first eight bytes (`TextValues.forEachUTF8WithHead`).
    func index(ofUTF8 key: UnsafeRawBufferPointer, head: UInt64) -> Int? {
        let hash = Self.hash(key, head: head)
        return bytes.withUnsafeBytes { stored in
            entries.withUnsafeBufferPointer { entries in
                slots.withUnsafeBufferPointer { slots -> Int? in
                    var slot = hash & mask
                    while true {
                        let position = Int(slots[slot])
                        if position == 0 { return nil }
                        let entry = entries[position - 1]
                        if entry.length == key.count && entry.head == head {
                            var same = true
                            for offset in min(8, entry.length)..<entry.length where stored[entry.start + offset] != key[offset] {
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

    /// The head and the length in one multiply (labels are mostly short:
    /// a byte-at-a-time hash was most of a lookup), any further bytes
    /// FNV-1a style; the high half folded down, since the slot is the low bits.
    private static func hash(_ key: UnsafeRawBufferPointer, head: UInt64) -> Int {
        var hash = (head ^ UInt64(truncatingIfNeeded: key.count) &* 0xFF51_AFD7_ED55_8CCD) &* 0x9E37_79B9_7F4A_7C15
        var offset = 8
        while offset < key.count {
            hash = (hash ^ UInt64(key[offset])) &* 0x0000_0100_0000_01b3
            offset &+= 1
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}
