import ConveyorCore
import Foundation
import Testing

@testable import SageMakerArtifacts

/// The restricted pickle reader takes the model bytes out of SageMaker's
/// pickled Booster and refuses every other pickle without executing it.
/// Fixtures come from training/malicious_pickles.py (opcode by opcode; the
/// expected model bytes are taken from the real pickle with pickletools).
@Suite struct BoosterPickleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Fixtures")
    static let titanicXGBoost = root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/mleap-bundles/sagemaker-pysdk-titanic-features/xgb_model.tar.gz")
    /// What the payloads would create if anything ran them.
    static let marker = "/tmp/conveyor-pickle-test-marker"

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    @Test func realSageMakerArtifactYieldsTheBoosterModelBytes() throws {
        let loaded = try XGBoostArtifact.load(Self.titanicXGBoost)
        #expect(loaded.bytes == (try Self.fixture("booster_protocol3.handle.bin")))
        #expect(loaded.packaging == "SageMaker model.tar.gz (xgboost-model), pickled xgboost Booster")
        // Legacy binary: LearnerModelParam, then the objective name.
        #expect(loaded.bytes.count == 8392)
        #expect(String(decoding: loaded.bytes[(136 + 8)..<(136 + 8 + 15)], as: UTF8.self) == "binary:logistic")
    }

    @Test func protocol3BoosterLayoutIsRead() throws {
        let bytes = try BoosterPickle.modelBytes(try Self.fixture("booster_protocol3.pkl"), source: "p3")
        #expect(bytes == (try Self.fixture("booster_protocol3.handle.bin")))
    }

    @Test(arguments: [
        ("os_system.pkl", "the global 'os.system'"),
        ("posix_system.pkl", "the global 'posix.system'"),
        ("builtins_eval.pkl", "the global 'builtins.eval'"),
        ("inst_subprocess.pkl", "opcode 0x69 ('INST')"),
        ("booster_with_payload.pkl", "the global 'os.system'"),
        ("reconstructor_misuse.pkl", "calling copyreg._reconstructor with tuple is not the Booster layout"),
    ])
    func maliciousPicklesAreRefusedAndNothingRuns(_ name: String, _ reason: String) throws {
        try? FileManager.default.removeItem(atPath: Self.marker)
        let bytes = try Self.fixture(name)
        #expect(BoosterPickle.looksLikePickle(bytes), "a stage must route \(name) to the pickle reader")
        do {
            _ = try BoosterPickle.modelBytes(bytes, source: name)
            Issue.record("\(name) was accepted")
        } catch let error as ConveyorError {
            #expect(error.code == .unsupportedModel)
            #expect(error.message.contains(reason), "\(error.message)")
            #expect(error.message.contains("is a Python pickle that is not a plain xgboost Booster"))
            #expect(error.message.contains("nothing in a pickle is ever executed"))
        }
        #expect(!FileManager.default.fileExists(atPath: Self.marker), "the payload must not have run")
    }

    @Test func anArtifactWhoseMemberIsMaliciousIsRefusedByName() throws {
        // A model.tar.gz-shaped artifact: the stage reads xgboost-model, sees a pickle, refuses it.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pickle-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("xgboost-model")
        try Data(try Self.fixture("booster_with_payload.pkl")).write(to: model)
        let error = #expect(throws: ConveyorError.self) { try XGBoostArtifact.load(model) }
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("'os.system'") == true)
    }

    @Test func truncatedAndEmptyPicklesAreCorrupt() throws {
        let good = try Self.fixture("booster_protocol3.pkl")
        for cut in [1, 30, good.count / 2, good.count - 1] {
            let error = #expect(throws: ConveyorError.self) {
                try BoosterPickle.modelBytes(Array(good.prefix(cut)), source: "cut")
            }
            #expect(error?.code == .modelCorrupt, "cut at \(cut): \(String(describing: error))")
        }
        // A pickle of a plain dict is not a Booster.
        let dict: [UInt8] = [0x80, 0x03, UInt8(ascii: "}"), UInt8(ascii: ".")]
        let error = #expect(throws: ConveyorError.self) { try BoosterPickle.modelBytes(dict, source: "dict") }
        #expect(error?.message.contains("a pickle of dict, not of an xgboost Booster") == true)
    }
}
