@testable import Codecs
import ConveyorTestSupport
import Testing

/// Where a partial CSV buffer's last complete record ends, against a plain
/// reading of the rule (a newline outside quotes ends a record; every quote
/// toggles), on fixed-seed random text over the bytes that matter.
@Suite struct RecordSplitterTests {
    /// The rule itself, byte by byte, written without the splitter's shortcut.
    static func expectedPrefix(_ bytes: [UInt8]) -> Int {
        var quoted = false
        var end = 0
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if byte == UInt8(ascii: "\n") && !quoted { end = index + 1 }
        }
        return end
    }

    @Test func csvPrefixFollowsTheQuoteRuleOnRandomText() {
        var generator = SeededGenerator(seed: 0x5EED)
        let alphabet: [UInt8] = Array("ab,\n\r\" 1".utf8)
        var withQuotes = 0
        for length in 0..<300 {
            for _ in 0..<20 {
                // Quotes are rare in half the cases, so both paths run often.
                let quoteless = generator.next() % 2 == 0
                let text = (0..<length).map { _ -> UInt8 in
                    let byte = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    return quoteless && byte == UInt8(ascii: "\"") ? UInt8(ascii: "b") : byte
                }
                if text.contains(UInt8(ascii: "\"")) { withQuotes += 1 }
                #expect(RecordSplitter.completePrefixLength(text, type: .csv) == Self.expectedPrefix(text), "\(text)")
            }
        }
        #expect(withQuotes > 1000 && withQuotes < 5000, "both paths exercised: \(withQuotes) of 6000 had quotes")
    }

    @Test func csvPrefixCases() {
        let cases: [(String, Int)] = [
            ("", 0), ("a,b", 0), ("a,b\n", 4), ("a,b\nc,d", 4), ("a\nb\n", 4),
            ("\"x\ny\"\n", 6), ("\"x\ny\"", 0), ("a,\"b\nc", 0), ("a\n\"b\nc", 2), ("\"\"\"\"\n", 5),
        ]
        for (text, expected) in cases {
            #expect(RecordSplitter.completePrefixLength(Array(text.utf8), type: .csv) == expected, "\(text.debugDescription)")
        }
    }

    @Test func containsFindsTheByteAtEveryPositionAndAlignment() {
        for length in 0..<40 {
            for offset in 0..<8 {
                let storage = [UInt8](repeating: UInt8(ascii: "a"), count: length + offset)
                storage.withUnsafeBytes { raw in
                    let window = UnsafeRawBufferPointer(rebasing: raw[offset...])
                    #expect(!RecordSplitter.contains(UInt8(ascii: "\""), in: window))
                }
                for position in 0..<length {
                    var marked = storage
                    marked[offset + position] = UInt8(ascii: "\"")
                    marked.withUnsafeBytes { raw in
                        let window = UnsafeRawBufferPointer(rebasing: raw[offset...])
                        #expect(RecordSplitter.contains(UInt8(ascii: "\""), in: window), "length \(length) at \(position)")
                    }
                }
            }
        }
        // Bytes one away from the target, and 0x80-heavy ones, are not it.
        let near: [UInt8] = [0x21, 0x23, 0xA2, 0x80, 0xFF, 0x00, 0x02, 0x20, 0x22 ^ 0x80]
        near.withUnsafeBytes { #expect(!RecordSplitter.contains(UInt8(ascii: "\""), in: $0)) }
    }
}
