import Foundation
import Testing
@testable import SparkML

/// Spark compares strings by their code units (Java's `String.equals`);
/// Swift's `String ==` is canonical equivalence. Precomposed "café"
/// (U+00E9) and decomposed "café" (e + U+0301) are two different labels,
/// terms, stop words and words to Spark, and must be to Conveyor:
/// training/spark_unicode.py fitted each stage on one form and recorded
/// what Spark 4.3's own transform does with both.
@Suite struct SparkUnicodeTests {
    static let names = ["indexer_nfc", "indexer_both", "countvec", "stopwords", "stopwords_lower", "word2vec"]

    @Test(arguments: names)
    func equalsSparkOnBothForms(_ name: String) throws {
        let fixture = try SparkTextFixture("unicode/\(name)")
        // The fixture really holds both forms, which Swift calls equal.
        let texts = fixture.rows.flatMap { row in row.flatMap { ($0 as? [String]) ?? [$0 as? String].compactMap { $0 } } }
        #expect(texts.contains("caf\u{e9}") && texts.contains("cafe\u{301}"))
        #expect(texts.contains { $0.utf8.elementsEqual("caf\u{e9}".utf8) }
                && texts.contains { $0.utf8.elementsEqual("cafe\u{301}".utf8) })
        #expect(fixture.expected.count == fixture.rows.count && fixture.errorRows.isEmpty)
        try checkTextAgainstSpark(fixture)
    }

    /// The decomposed form is unseen by a model fitted on the precomposed one.
    @Test func theOtherFormIsAnUnseenLabel() throws {
        let fixture = try SparkTextFixture("unicode/indexer_nfc")
        let decomposed = try #require(fixture.rows.firstIndex { ($0.first as? String)?.utf8.elementsEqual("cafe\u{301}".utf8) == true })
        #expect((fixture.expected[decomposed]?["i"] as? NSNumber)?.doubleValue == 2)
    }
}
