import ConveyorCore
import Foundation
import Testing
@testable import SparkML

/// Spark's text stages, saved by PySpark 4.3 (training/spark_text.py): every
/// output equals Spark's own transform, lists element by element and vectors
/// bit for bit; what Spark computes in ways Conveyor does not is refused.
@Suite struct SparkTextTests {
    static let fixtures = [
        "pipeline", "ngram1", "ngram3", "stopwords_case", "stopwords_multi", "hashingtf_default", "hashingtf_binary",
        "hashingtf_spark2", "countvec_mintf", "countvec_fraction", "word2vec",
        // Saved by PySpark 3.5.9.
        "spark-3.5/pipeline", "spark-3.5/stopwords_multi", "spark-3.5/hashingtf_binary", "spark-3.5/countvec_fraction",
        "spark-3.5/word2vec",
    ]

    @Test func everyFixtureOnDiskIsTested() throws {
        let names = try ["", "spark-3.5/"].flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: sparkTextFixtures.appendingPathComponent(folder).path)
                .filter { $0.hasSuffix(".expected.json") }.map { folder + $0.dropLast(".expected.json".count) }
        }
        #expect(Set(names) == Set(Self.fixtures))
    }

    @Test func fixturesComeFromBothSparkVersions() throws {
        #expect(try SparkTextFixture("pipeline").stage().sparkVersion.hasPrefix("4."))
        #expect(try SparkTextFixture("spark-3.5/pipeline").stage().sparkVersion.hasPrefix("3.5"))
    }

    @Test(arguments: fixtures)
    func equalsSparkTransform(_ name: String) throws {
        try checkTextAgainstSpark(try SparkTextFixture(name))
    }

    @Test func pipelineHoldsEveryTextClass() throws {
        let classes = try SparkTextFixture("pipeline").stage().stageClasses.map { $0.split(separator: ".").last ?? "" }
        #expect(classes == ["Tokenizer", "StopWordsRemover", "NGram", "HashingTF", "IDFModel", "CountVectorizerModel",
                            "RegexTokenizer", "RegexTokenizer", "RegexTokenizer", "RegexTokenizer"])
    }

    /// The fixtures hold what the comparisons are meant to cover.
    @Test func fixturesExerciseTheEdges() throws {
        let pipeline = try SparkTextFixture("pipeline")
        // The null text is refused; the empty text gives one empty token, as Java's split does.
        #expect(pipeline.errorRows == [4])
        #expect(pipeline.expected[3]?["words"] as? [String] == [""])
        // IDF with minDocFreq 2 stores explicit zeros for rare terms.
        let stored = pipeline.expected.values.compactMap { ($0["tfidf"] as? [String: Any])?["values"] as? [Any] }
        #expect(stored.joined().contains { ($0 as? NSNumber)?.doubleValue == 0 })
        // Java's dot takes vertical tab and form feed, not the other line terminators.
        #expect(pipeline.expected[16]?["rdot"] as? [String] == ["v\u{0B}t", "f\u{0C}f", "l r", "c u"])
        // Spark 2's murmur3 puts some terms elsewhere than Spark 3's.
        let v3 = try SparkTextFixture("hashingtf_default"), v2 = try SparkTextFixture("hashingtf_spark2")
        let differing = v3.expected.keys.filter { row in
            let a = v3.expected[row]?["out"] as? [String: Any], b = v2.expected[row]?["out"] as? [String: Any]
            return (a?["indices"] as? [Any])?.map { "\($0)" } != (b?["indices"] as? [Any])?.map { "\($0)" }
        }
        #expect(!differing.isEmpty)
        for name in Self.fixtures { #expect(try !SparkTextFixture(name).errorRows.isEmpty, "\(name): no null row") }
    }

    @Test func nullRowIsRefusedNamingRowAndColumn() throws {
        let fixture = try SparkTextFixture("ngram3")
        do {
            _ = try fixture.stage().transformAll(try fixture.frame(row: 3))
            Issue.record("accepted a null list")
        } catch let error as ConveyorError {
            #expect(error.code == .invalidInput && error.row == 1 && error.column == "tokens", "\(error)")
            #expect(error.message.contains("null"))
        }
    }

    /// Stages whose parameters Spark reads in a way Conveyor does not reproduce.
    @Test(arguments: [
        ("refused/stopwords_tr", "param 'locale': 'tr'"),
        ("refused/regex_posix", "param 'pattern': pattern '\\p{Lower}+' uses property classes"),
        ("refused/regex_flags", "param 'pattern': pattern '(?i)[a-z]+' uses inline flags (?i)"),
    ])
    func unsupportedParamsAreRefused(_ name: String, _ message: String) throws {
        do {
            _ = try SparkMLStage(name: "text", modelURL: sparkTextFixtures.appendingPathComponent(name), schema: nil)
            Issue.record("\(name) loaded")
        } catch let error as ConveyorError {
            #expect(error.code == .unsupportedModel, "\(error)")
            #expect(error.stage == "text" && error.message.contains(message), "\(error)")
        }
    }

    /// Hand-made metadata with out-of-range params: refused at load, naming the param.
    @Test(arguments: [
        ("HashingTF", #""numFeatures":1e12"#, "param 'numFeatures'"),
        ("HashingTF", #""numFeatures":0"#, "param 'numFeatures'"),
        ("NGram", #""n":0"#, "param 'n'"),
        ("NGram", #""n":2.5"#, "param 'n'"),
        ("RegexTokenizer", #""minTokenLength":-1"#, "param 'minTokenLength'"),
        ("RegexTokenizer", #""pattern":"(unclosed""#, "does not compile"),
        ("StopWordsRemover", #""locale":"lt_LT""#, "param 'locale'"),
    ])
    func badParamsAreRefused(_ className: String, _ param: String, _ message: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-text-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("metadata"), withIntermediateDirectories: true)
        let metadata = #"{"class":"org.apache.spark.ml.feature.\#(className)","sparkVersion":"4.3.0","uid":"x","#
            + #""paramMap":{"inputCol":"a","outputCol":"b","stopWords":["the"],\#(param)},"defaultParamMap":{}}"#
        try Data(metadata.utf8).write(to: dir.appendingPathComponent("metadata/part-00000"))
        do {
            _ = try SparkMLStage(name: "text", modelURL: dir, schema: nil)
            Issue.record("\(className) with \(param) loaded")
        } catch let error as ConveyorError {
            #expect(error.message.contains(message) && error.message.contains(className), "\(error)")
        }
    }
}
