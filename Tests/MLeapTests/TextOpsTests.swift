import ConveyorTestSupport
import ConveyorCore
import Foundation
import Testing

@testable import MLeap

/// Text ops beyond the parity bundles: RegexTokenizer settings checked
/// against Spark (RegexTokenizerVariants.json, from training/spark_parity_text.py),
/// null rows, LeapFrame lists and what `inspect` shows.
@Suite struct TextOpsTests {
    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]), as: UTF8.self)
    }

    static func regexStage(_ variant: [String: Any]) throws -> MLeapStage {
        let attributes = [
            #""regex": {"string": \#(try json(variant["pattern"]!))}"#,
            #""match_gaps": {"boolean": \#(variant["gaps"] as! Bool)}"#,
            #""token_min_length": {"int": \#(variant["minTokenLength"] as! Int)}"#,
            #""lowercase_text": {"boolean": \#(variant["toLowercase"] as! Bool)}"#,
        ].joined(separator: ", ")
        let url = try writeBundle([(name: "regex_tok", op: "regex_tokenizer", attributes: attributes,
                                    inputs: ["text"], outputs: ["tokens"])])
        return try MLeapStage(name: "regex", bundleURL: url, schema: nil)
    }

    @Test func regexTokenizerSettingsMatchSpark() throws {
        let url = SparkParityTextTests.expectedDir.appendingPathComponent("RegexTokenizerVariants.json")
        let doc = try #require(try ExactJSON.object(with: Data(contentsOf: url)) as? [String: Any])
        let texts = try #require(doc["inputs"] as? [String])
        let variants = try #require(doc["variants"] as? [[String: Any]])
        #expect(variants.count == 7)
        for variant in variants {
            let pattern = variant["pattern"] as! String
            let out = try Self.regexStage(variant).transformAll(try Frame(columns: [.strings("text", texts)]))
            guard case .stringLists(let lists)? = out.column("tokens")?.values else {
                Issue.record("\(pattern): no token lists")
                continue
            }
            let want = try #require(variant["rows"] as? [[String]])
            for (row, tokens) in want.enumerated() {
                #expect(Array(lists.row(row)) == tokens, "pattern \(pattern), gaps \(variant["gaps"]!), row \(row + 1): \(texts[row].debugDescription)")
            }
        }
    }

    @Test func nullTextGivesNullTokensAndVectors() throws {
        let url = SparkParityTextTests.parityBundles
            .appendingPathComponent("org.apache.spark.ml.parity.feature.HashingTermFrequencyParitySpec.zip")
        let stage = try MLeapStage(name: "tf", bundle: try MLeapBundle(url: url), schema: nil)
        let input = try Frame(columns: [.strings("loan_title", ["Debt Consolidation", ""], nulls: [false, true])])
        let out = try stage.transformAll(input)
        #expect(out.column("loan_title_tokens")?.nulls == [false, true])
        #expect(out.column("loan_title_tf")?.nulls == [false, true])
        let first = try vectorRow(out, "loan_title_tf", 0)
        #expect(first.reduce(0, +) == 2)
    }

    @Test func leapFrameReadsListsOfStrings() throws {
        let text = #"{"schema": {"fields": [{"name": "words", "type": {"type": "list", "base": "string"}}]}, "rows": [[["a", "b"]], [[]], [null]]}"#
        let frame = try LeapFrame.read(Data(text.utf8))
        guard case .stringLists(let lists)? = frame.column("words")?.values else {
            Issue.record("no list column")
            return
        }
        #expect((0..<3).map { Array(lists.row($0)) } == [["a", "b"], [], []])
        #expect(frame.column("words")?.nulls == [false, false, true])
        let bad = #"{"schema": {"fields": [{"name": "w", "type": {"type": "list", "base": "string"}}]}, "rows": [[["a", 1]]]}"#
        #expect(throws: ConveyorError.self) { try LeapFrame.read(Data(bad.utf8)) }
    }

    @Test func inspectShowsTextOpSettings() throws {
        let url = shared("rstudio-sff-text-classifier/sff.zip")
        let stage = try MLeapStage(name: "sff", bundle: try MLeapBundle(url: url), schema: nil)
        let nodes = try #require(stage.facts.first { $0.label == "nodes" })
        let tf = try #require(nodes.children.first { $0.value.hasPrefix("hashing_term_frequency") })
        #expect(tf.value == "hashing_term_frequency: wo_stop_words → hashed_features: vector<double>[4096]")
        #expect(tf.children.contains(Fact("binary", "true")))
        #expect(tf.children.contains(Fact("hash", "murmur3 (hashUnsafeBytes2)")))
        let tokenizer = try #require(nodes.children.first { $0.value.hasPrefix("tokenizer") })
        #expect(tokenizer.value == "tokenizer: review → word_list: list<string>")
        #expect(stage.inputs.map(\.description) == ["score: string", "review: string"])
    }

    @Test func aListWhereTextIsExpectedIsRefused() throws {
        let url = SparkParityTextTests.parityBundles
            .appendingPathComponent("org.apache.spark.ml.parity.feature.TokenizerParitySpec.zip")
        let stage = try MLeapStage(name: "tok", bundle: try MLeapBundle(url: url), schema: nil)
        let error = conveyorError {
            _ = try stage.transformAll(try Frame(columns: [.stringLists("loan_title", StringLists([["a"]]))]))
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.column == "loan_title")
        #expect(error?.message == "expected a string column, found list<string>")
    }
}
