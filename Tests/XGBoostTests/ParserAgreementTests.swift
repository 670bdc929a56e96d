import Foundation
import Testing
@testable import XGBoost

/// The model we check must be the model libxgboost loads: documents our
/// parser and libxgboost 1.7.4's would read differently are refused.
@Suite struct ParserAgreementTests {
    static func text(_ version: String, _ file: String) throws -> String {
        String(decoding: try HostileModels.fixtureBytes(version, file), as: UTF8.self)
    }

    @Test func duplicateKeyHidingAHostileTreeIsRefused() throws {
        // {"learner":{...},"version":[2,1,4]}. Foundation keeps the first of
        // two "learner" keys, libxgboost the last: append a second learner
        // whose tree 0 has a cycle.
        let clean = try Self.text("2.1.4", "binary_logistic.json")
        let cycle = try #require(clean.range(of: #""right_children":[2,4,6,"#))
        let hostile = clean.replacingCharacters(in: cycle, with: #""right_children":[2,4,0,"#)
        let version = try #require(hostile.range(of: #","version":"#, options: .backwards))
        let hostileLearner = hostile[hostile.index(after: hostile.startIndex)..<version.lowerBound]
        try #require(hostileLearner.hasPrefix(#""learner":{"#))
        let combined = String(clean.dropLast()) + "," + hostileLearner + "}"
        HostileModels.expectRefusal(Array(combined.utf8), .corruptModel, mentioning: [#"the key "learner" twice"#])
    }

    /// Found by fuzzing/run.sh xgboost-json: Foundation's JSON5 scanner
    /// trapped on invalid UTF-8 inside a key instead of throwing.
    @Test func invalidUTF8InAKeyIsRefused() throws {
        var bytes = Array(try Self.text("2.1.4", "binary_logistic.json").utf8)
        let key = try #require(String(decoding: bytes, as: UTF8.self).range(of: #""learner""#))
        let offset = String(decoding: bytes, as: UTF8.self).utf8.distance(
            from: String(decoding: bytes, as: UTF8.self).utf8.startIndex, to: key.lowerBound)
        bytes[offset + 2] = 0xFF
        HostileModels.expectRefusal(bytes, .corruptModel, mentioning: ["not valid UTF-8"])
    }

    @Test func escapedKeyIsRefused() throws {
        let clean = try Self.text("2.1.4", "binary_logistic.json")
        let range = try #require(clean.range(of: #""left_children""#))
        let escaped = clean.replacingCharacters(in: range, with: #""left\u005fchildren""#)
        HostileModels.expectRefusal(Array(escaped.utf8), .corruptModel, mentioning: ["an escaped key"])
    }

    @Test func json5ExtrasAreRefused() throws {
        let clean = try Self.text("2.1.4", "binary_logistic.json")
        let key = try #require(clean.range(of: #""attributes":"#))
        let unquoted = clean.replacingCharacters(in: key, with: "attributes:")
        HostileModels.expectRefusal(Array(unquoted.utf8), .corruptModel, mentioning: ["not a double-quoted string"])
        let commented = "{/* x */" + clean.dropFirst()
        HostileModels.expectRefusal(Array(commented.utf8), .corruptModel, mentioning: ["comment"])
        // libxgboost reads `{` and a letter as UBJSON; so do we, and refuse it.
        let bare = "{learner" + clean.dropFirst(#"{"learner""#.count)
        HostileModels.expectRefusal(Array(bare.utf8), .corruptModel, mentioning: ["invalid UBJSON"])
    }

    @Test func leadingWhitespaceJSONLoads() throws {
        // libxgboost alone would read this as the legacy binary format.
        let clean = try Self.text("2.1.4", "binary_logistic.json")
        let booster = try Booster(modelData: Array(("\n  \t" + clean).utf8))
        #expect(booster.facts.format == .json && booster.facts.trees == 30)
    }

    @Test func ubjsonDuplicateKeyIsRefused() {
        // {U1 "a" i 1 U1 "a" i 2}: libxgboost keeps the first, a dictionary the last.
        let bytes: [UInt8] = [UInt8(ascii: "{"), UInt8(ascii: "U"), 1, UInt8(ascii: "a"), UInt8(ascii: "i"), 1,
                              UInt8(ascii: "U"), 1, UInt8(ascii: "a"), UInt8(ascii: "i"), 2, UInt8(ascii: "}")]
        #expect(throws: UBJSONReader.Failure.self) { try UBJSONReader.parse(bytes) }
    }
}

extension ParserAgreementTests {
    /// Foundation's JSON5 scanner traps (SIGILL) on some malformed numbers
    /// instead of throwing; found by fuzzing/run.sh xgboost-json, whose
    /// reproducer is in fuzzing/corpus/xgboost-json/. Every bare token must
    /// be a JSON number or a word XGBoost writes, checked before Foundation.
    @Test(arguments: ["1.0547793E-", "2.540928E331.1026468E1", "01", "1.", ".5", "+1", "1e", "--1", "0x10", "nan",
                      "Inf", "truefalse"])
    func malformedNumbersAreRefusedBeforeFoundation(token: String) {
        let model = #"{"learner":{"learner_model_param":{"num_feature":"1"},"x":["# + token + #"]}}"#
        do {
            _ = try Booster(modelData: Array(model.utf8))
            Issue.record("'\(token)' was accepted")
        } catch {
            #expect(error.code == .corruptModel, "\(token): \(error)")
            #expect(error.message.contains("malformed number or word"), "\(token): \(error.message)")
        }
    }

    @Test func numbersXGBoostWritesAreAccepted() throws {
        for token in ["0", "-0", "5E-1", "-1.25e+30", "123", "1E1", "NaN", "Infinity", "-Infinity", "true", "null"] {
            try JSONKeyCheck.checkToken(ArraySlice(token.utf8), at: 0)
        }
    }
}
