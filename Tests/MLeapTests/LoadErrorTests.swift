import ConveyorCore
import Foundation
import Testing

@testable import MLeap

@Suite struct LoadErrorTests {
    @Test func unknownOpIsRefusedNamingOpAndNode() throws {
        let url = try writeBundle([("magic_node", "frobnicate", "", ["x"], ["y"])])
        defer { try? FileManager.default.removeItem(at: url) }
        let error = conveyorError { _ = try MLeapStage(name: "m", bundleURL: url, schema: nil) }
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.hasPrefix("MLeap op 'frobnicate' (node 'magic_node') is not supported") == true)
        #expect(error?.stage == "m")
    }

    @Test func protobufBundleIsRefused() throws {
        let url = try writeBundle([], format: "protobuf")
        defer { try? FileManager.default.removeItem(at: url) }
        let error = conveyorError { _ = try MLeapStage(name: "m", bundleURL: url, schema: nil) }
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("'protobuf'") == true)
    }

    @Test func missingBundleFile() {
        let error = conveyorError {
            _ = try MLeapStage(name: "m", bundleURL: URL(fileURLWithPath: "/nonexistent/model.zip"), schema: nil)
        }
        #expect(error?.code == .modelNotFound)
        #expect(error?.message.contains("/nonexistent/model.zip") == true)
    }

    @Test func vectorIndexerCategoryMapsMustFitTheVector() throws {
        // Feature 3 of a width-3 vector, and a map with more values than indices.
        for attributes in [
            #""keys": {"type": "list", "long": [3]}, "key_3_keys": {"type": "list", "double": [0.0]}, "key_3_values": {"type": "list", "long": [0]}, "num_features": {"long": 3}"#,
            #""keys": {"type": "list", "long": [1]}, "key_1_keys": {"type": "list", "double": [0.0, 1.0]}, "key_1_values": {"type": "list", "long": [0]}, "num_features": {"long": 3}"#,
        ] {
            let url = try writeBundle([("vi", "vector_indexer", attributes, ["v"], ["w"])])
            defer { try? FileManager.default.removeItem(at: url) }
            let error = conveyorError { _ = try MLeapStage(name: "m", bundleURL: url, schema: nil) }
            #expect(error?.code == .modelCorrupt)
            #expect(error?.message.contains("'vi' (vector_indexer)") == true)
        }
    }

    @Test func missingNodeDirectoryIsCorrupt() throws {
        let url = try writeBundle([("a", "binarizer", #""threshold": {"double": 0.5}"#, ["x"], ["y"])])
        defer { try? FileManager.default.removeItem(at: url) }
        try FileManager.default.removeItem(at: url.appendingPathComponent("root/a.node"))
        let error = conveyorError { _ = try MLeapStage(name: "m", bundleURL: url, schema: nil) }
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("a.node") == true)
    }

    @Test func corruptZipIsRefused() throws {
        let original = try Data(contentsOf: shared("mleap-airbnb-lr/airbnb.model.lr.zip"))
        var bytes = [UInt8](original)
        for i in 200..<260 { bytes[i] ^= 0x5A }  // inside the first entry's data
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("corrupt-\(UUID()).zip")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = conveyorError { _ = try MLeapStage(name: "m", bundleURL: url, schema: nil) }
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains(url.path) == true)
    }

    @Test func truncatedTarGzIsRefused() throws {
        let original = try Data(contentsOf: shared("sagemaker-pysdk-titanic-features/mleap_model.tar.gz"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trunc-\(UUID()).tar.gz")
        try original.prefix(original.count / 2).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = conveyorError { _ = try MLeapStage(name: "m", bundleURL: url, schema: nil) }
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("truncated") == true)
    }

    @Test func schemaMustCoverBundleInputs() throws {
        let schema = Schema(
            input: [SchemaField(name: "Pclass", type: .float)],
            output: [SchemaField(name: "features", type: .double, structure: .vector)])
        let error = conveyorError {
            _ = try MLeapStage(
                name: "m", bundleURL: shared("sagemaker-pysdk-titanic-features/mleap_model.tar.gz"), schema: schema)
        }
        #expect(error?.code == .invalidPipeline)
        #expect(error?.message.contains("'Embarked'") == true)
    }
}
