import Foundation
import Testing

@testable import Operators

/// The byte-keyed index answers as Java's `String.equals` would: a key
/// matches only byte for byte (never by Swift's canonical equivalence),
/// and a repeated key keeps its first position, or its last with `lastWins`.
@Suite struct UTF8IndexTests {
    static let labels = [
        "vhigh", "high", "med", "low", "", " low", "5more", "high", "Ünïcödé", "e\u{301}",
        "a label longer than fifteen bytes, so not a small string", "日本語", "low ", "MED",
    ]

    /// The reference: positions by UTF-8 bytes, first or last wins.
    func reference(_ labels: [String], lastWins: Bool = false) -> [[UInt8]: Int] {
        var map: [[UInt8]: Int] = [:]
        for (index, label) in labels.enumerated() where lastWins || map[Array(label.utf8)] == nil {
            map[Array(label.utf8)] = index
        }
        return map
    }

    @Test func answersByteForByte() {
        for lastWins in [false, true] {
            let lookup = UTF8Index(Self.labels, lastWins: lastWins)
            let map = reference(Self.labels, lastWins: lastWins)
            let probes = Self.labels + [
                "\u{e9}",  // precomposed é: canonically equal to the decomposed label, not the same bytes
                "Hi", "hig", "highh", "lo", "vhigh\0", "unseen", "  ", "a label longer than fifteen bytes",
                String(repeating: "x", count: 300), "日本", "me" + "d", "Ünïcödé".decomposedStringWithCanonicalMapping,
            ]
            for probe in probes {
                #expect(lookup.index(of: probe) == map[Array(probe.utf8)], "\(probe.debugDescription)")
            }
            #expect(lookup.index(of: "high") == (lastWins ? 7 : 1))
            #expect(lookup.index(of: "e\u{301}") == 9)
        }
        let lookup = UTF8Index(Self.labels)
        // Swift says these are equal; Spark (and this index) do not.
        #expect("\u{e9}" == "e\u{301}")
        #expect(lookup.index(of: "\u{e9}") == nil)
        #expect(!lookup.contains("Ünïcödé".decomposedStringWithCanonicalMapping))
        #expect(lookup.count == Self.labels.count - 1)
    }

    @Test func manyLabelsFillTheTable() {
        let labels = (0..<5_000).map { "label-\($0 * 7919 % 5_000)" } + ["label-3"]
        let lookup = UTF8Index(labels)
        let map = reference(labels)
        for probe in labels + (4_990..<5_010).map({ "label-\($0)" }) {
            #expect(lookup.index(of: probe) == map[Array(probe.utf8)])
        }
    }

    @Test func emptyLabelList() {
        let lookup = UTF8Index([])
        #expect(lookup.index(of: "") == nil)
        #expect(lookup.index(of: "a") == nil)
    }
}
