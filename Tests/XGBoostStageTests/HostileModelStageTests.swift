import ConveyorCore
import Foundation
import Testing
@testable import XGBoostStage

/// A stage whose model file has a broken tree is refused at load as
/// model_corrupt, naming the file, the tree and the node, before libxgboost
/// sees the trees (a cycle there would hang every request taking that branch).
@Suite struct HostileModelStageTests {
    private func withModel(_ text: String, named name: String, _ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("conveyor-xgb-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        try body(url)
    }

    private func fixtureText(_ version: String, _ file: String) throws -> String {
        try String(contentsOf: StageFixtures.url(version, file), encoding: .utf8)
    }

    @Test func cyclicTreeIsModelCorrupt() throws {
        let original = try fixtureText("2.1.4", "binary_logistic.json")
        // Tree 0 comes first; its node 2 (off the NaN probe's path) now points back at the root.
        let range = try #require(original.range(of: #""right_children":[2,4,6,"#))
        let hostile = original.replacingCharacters(in: range, with: #""right_children":[2,4,0,"#)
        try withModel(hostile, named: "cyclic.json") { url in
            do {
                _ = try XGBoostStage(name: "scorer", modelURL: url, input: "features", outputs: nil)
                Issue.record("the cyclic model was accepted")
            } catch let error as ConveyorError {
                #expect(error.code == .modelCorrupt)
                #expect(error.stage == "scorer")
                #expect(error.message.contains(url.path), "\(error)")
                #expect(error.message.contains("tree 0, node 2: right child 0 is reached a second time"), "\(error)")
            }
        }
    }

    @Test func hugeFeatureCountIsModelCorrupt() throws {
        let original = try fixtureText("3.4.1", "multi_softprob.json")
        let range = try #require(original.range(of: #""num_feature":"21","num_target""#))
        let hostile = original.replacingCharacters(in: range, with: #""num_feature":"4000000000","num_target""#)
        try withModel(hostile, named: "wide.json") { url in
            do {
                _ = try XGBoostStage(name: "scorer", modelURL: url, input: "features", outputs: nil)
                Issue.record("the model was accepted")
            } catch let error as ConveyorError {
                #expect(error.code == .modelCorrupt)
                #expect(error.message.contains(url.path), "\(error)")
                #expect(error.message.contains("ModelLimits.maxFeatures"), "\(error)")
            }
        }
    }
}
