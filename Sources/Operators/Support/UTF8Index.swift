/// A string → index map keyed by UTF-8 bytes (FNV-1a, open addressing), for
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
            let hash = utf8.withUnsafeBytes { Self.hash($0) }
            var slot = hash & mask
            var duplicate = false
            while slots[slot] != 0 {
                let position = Int(slots[slot]) - 1
                let other = entries[position]
                if bytes[other.start..<other.start + other.length].elementsEqual(utf8) {
                    if lastWins { entries[position] = Entry(start: other.start, length: other.length, answer: index) }
                    duplicate = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if duplicate { continue }
            entries.append(Entry(start: bytes.count, length: utf8.count, answer: index))
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
        if let found = value.utf8.withContiguousStorageIfAvailable({ find(UnsafeRawBufferPointer($0)) }) {
            return found
        }
        // A bridged or lazily decoded string: its bytes copied once.
        return Array(value.utf8).withUnsafeBytes { find($0) }
    }

    func contains(_ value: String) -> Bool { index(of: value) != nil }

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
