import Foundation
import Testing
@testable import XGBoost

/// Broken or unsupported models are refused with a typed error, never a crash.
@Suite struct LoadingErrorTests {
    static func bytes(_ version: String, _ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Fixtures.url(version, file)))
    }

    private func expectRefusal(_ bytes: [UInt8], _ code: XGBoostError.Code,
                               mentioning text: String? = nil) {
        do {
            _ = try Booster(modelData: bytes)
            Issue.record("the model was accepted")
        } catch {
            #expect(error.code == code, "\(error)")
            if let text { #expect(error.message.contains(text), "\(error)") }
        }
    }

    @Test func missingFileIsRefused() {
        let url = URL(fileURLWithPath: "/nonexistent/conveyor/model.json")
        #expect(throws: XGBoostError(.fileNotFound, "model file /nonexistent/conveyor/model.json does not exist")) {
            try Booster(contentsOf: url)
        }
    }

    @Test func emptyModelIsRefused() {
        expectRefusal([], .corruptModel, mentioning: "empty")
    }

    @Test(arguments: ["binary_logistic.json", "binary_logistic.ubj", "multi_softprob.ubj", "binary_logistic.bin"])
    func truncatedModelIsRefused(_ file: String) throws {
        let whole = try Self.bytes("2.1.4", file)
        for fraction in [0.05, 0.5, 0.97] {
            expectRefusal(Array(whole.prefix(Int(Double(whole.count) * fraction))), .corruptModel)
        }
    }

    @Test func corruptJSONIsRefused() throws {
        var bytes = try Self.bytes("3.0.5", "binary_logistic.json")
        // Break the structure (not just a string's contents) past the middle.
        let colon = try #require(bytes[(bytes.count / 2)...].firstIndex(of: UInt8(ascii: ":")))
        bytes[colon] = UInt8(ascii: "@")
        expectRefusal(bytes, .corruptModel, mentioning: "not a readable json model")
    }

    @Test func corruptUBJSONIsRefused() throws {
        var bytes = try Self.bytes("3.0.5", "binary_logistic.ubj")
        // Garble a run of bytes in the middle: markers and lengths go wrong.
        for index in (bytes.count / 2)..<(bytes.count / 2 + 64) { bytes[index] = 0xEE }
        expectRefusal(bytes, .corruptModel)
    }

    @Test func garbageIsRefused() {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        expectRefusal(noise, .corruptModel)
        expectRefusal(Array("not a model at all".utf8), .corruptModel)
        expectRefusal(Array(#"{"some": "json"}"#.utf8), .corruptModel, mentioning: "not an XGBoost model")
    }

    @Test func unsupportedObjectiveIsNamed() throws {
        let text = String(decoding: try Self.bytes("2.1.4", "reg_squarederror.json"), as: UTF8.self)
        let changed = text.replacingOccurrences(of: #""name":"reg:squarederror""#, with: #""name":"reg:expectileerror""#)
        try #require(changed != text)
        expectRefusal(Array(changed.utf8), .unsupportedModel, mentioning: "'reg:expectileerror'")
    }

    @Test func vectorBaseScoreOfWrongLengthIsRefused() throws {
        let text = String(decoding: try Self.bytes("3.4.1", "multi_softprob.json"), as: UTF8.self)
        let changed = text.replacingOccurrences(
            of: #""base_score":"[6.0753345E-1,-1.1222138E0,1.7404318E0,-1.2257516E0]""#,
            with: #""base_score":"[6.0753345E-1,-1.1222138E0]""#)
        try #require(changed != text)
        expectRefusal(Array(changed.utf8), .unsupportedModel, mentioning: "cannot apply it exactly")
    }

    @Test func wrongFeatureCountIsRefusedAtPredict() throws {
        let booster = try Booster(contentsOf: Fixtures.url("3.4.1", "binary_logistic.ubj"))
        #expect(throws: XGBoostError.self) { try booster.predict([1, 2, 3], rows: 1) }
        let empty = try booster.predict([], rows: 0)
        #expect(empty.rows == 0 && empty.values.isEmpty)
    }
}
