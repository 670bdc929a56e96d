import Testing

@testable import Operators

/// The byte-keyed label lookup must answer exactly as the `[String: Int]`
/// (first index wins) it replaced, including for strings that are equal
/// to a label under Swift's canonical equivalence but not byte for byte.
@Suite struct LabelLookupTests {
    static let labels = [
        "vhigh", "high", "med", "low", "", " low", "5more", "high", "Ünïcödé", "e\u{301}",
        "a label longer than fifteen bytes, so not a small string", "日本語", "low ", "MED",
    ]

    func reference(_ labels: [String]) -> [String: Int] {
        var map: [String: Int] = [:]
        for (index, label) in labels.enumerated() where map[label] == nil { map[label] = index }
        return map
    }

    @Test func answersAsTheStringDictionary() {
        let lookup = LabelLookup(Self.labels)
        let map = reference(Self.labels)
        let probes = Self.labels + [
            "\u{e9}",  // precomposed é: canonically equal to the decomposed label
            "Hi", "hig", "highh", "lo", "vhigh\0", "unseen", "  ", "a label longer than fifteen bytes",
            String(repeating: "x", count: 300), "日本", "me" + "d",
        ]
        for probe in probes {
            #expect(lookup.index(of: probe) == map[probe], "\(probe.debugDescription)")
        }
        #expect(lookup.index(of: "high") == 1)  // a repeated label keeps its first index
        #expect(lookup.index(of: "\u{e9}") == 9)
        #expect(lookup.index(of: "unseen") == nil)
    }

    @Test func manyLabelsFillTheTable() {
        let labels = (0..<5_000).map { "label-\($0 * 7919 % 5_000)" } + ["label-3"]
        let lookup = LabelLookup(labels)
        let map = reference(labels)
        for probe in labels + (4_990..<5_010).map({ "label-\($0)" }) {
            #expect(lookup.index(of: probe) == map[probe])
        }
    }

    @Test func emptyLabelList() {
        let lookup = LabelLookup([])
        #expect(lookup.index(of: "") == nil)
        #expect(lookup.index(of: "a") == nil)
    }
}
