import ConveyorCore
import Foundation
import Testing
@testable import SparkML

/// Copies of the real saves of training/spark_classes2.py with one thing
/// changed: each is refused at load with a message naming it, never a crash.
@Suite struct SparkClasses2HostileTests {
    /// A copy of fixture `name` whose metadata JSON lines under `folder`
    /// (relative to the save) go through `edit`; removes `drop` (relative paths).
    static func crafted(_ name: String, folder: String = "", drop: [String] = [],
                        edit: (String) -> String = { $0 }) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-classes2-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: sparkClasses2Fixtures.appendingPathComponent(name), to: copy)
        let metadata = copy.appendingPathComponent(folder).appendingPathComponent("metadata")
        for file in try FileManager.default.contentsOfDirectory(atPath: metadata.path) where file.hasPrefix("part-") {
            let url = metadata.appendingPathComponent(file)
            try edit(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }
        for path in drop { try FileManager.default.removeItem(at: copy.appendingPathComponent(path)) }
        return copy
    }

    static func refusal(_ url: URL) -> ConveyorError? {
        defer { try? FileManager.default.removeItem(at: url) }
        return #expect(throws: ConveyorError.self) { try SparkMLStage(name: "s", modelURL: url, schema: nil) }
    }

    @Test func alsWithAHugeRankIsRefused() throws {
        let url = try Self.crafted("als_nan") { $0.replacingOccurrences(of: "\"rank\":3", with: "\"rank\":1000000000") }
        #expect(Self.refusal(url)?.message.contains("rank") == true)
    }

    @Test func alsFactorsOfAnotherRankAreRefused() throws {
        let url = try Self.crafted("als_nan") { $0.replacingOccurrences(of: "\"rank\":3", with: "\"rank\":4") }
        #expect(Self.refusal(url)?.message.contains("4 features") == true)
    }

    @Test func alsWithAnUnknownColdStartStrategyIsRefused() throws {
        let url = try Self.crafted("als_nan") { $0.replacingOccurrences(of: "\"coldStartStrategy\":\"nan\"", with: "\"coldStartStrategy\":\"zero\"") }
        let error = Self.refusal(url)
        #expect(error?.code == .unsupportedModel && error?.message.contains("coldStartStrategy") == true, "\(String(describing: error))")
    }

    @Test func lshWithAZeroBucketLengthIsRefused() throws {
        let url = try Self.crafted("brp_lsh") { $0.replacingOccurrences(of: "\"bucketLength\":1.5", with: "\"bucketLength\":0.0") }
        #expect(Self.refusal(url)?.message.contains("bucketLength") == true)
    }

    @Test func targetEncoderOfAnUnknownTargetTypeIsRefused() throws {
        let url = try Self.crafted("target_binary_keep_0_0") { $0.replacingOccurrences(of: "\"targetType\":\"binary\"", with: "\"targetType\":\"ordinal\"") }
        let error = Self.refusal(url)
        #expect(error?.code == .unsupportedModel && error?.message.contains("targetType") == true, "\(String(describing: error))")
    }

    @Test func targetEncoderWithMoreColumnsThanDataRowsIsRefused() throws {
        let url = try Self.crafted("target_binary_keep_0_0") {
            $0.replacingOccurrences(of: "\"inputCols\":[\"a\",\"b\"]", with: "\"inputCols\":[\"a\",\"b\",\"c\"]")
                .replacingOccurrences(of: "\"outputCols\":[\"a_te\",\"b_te\"]", with: "\"outputCols\":[\"a_te\",\"b_te\",\"c_te\"]")
        }
        #expect(Self.refusal(url)?.message.contains("3 input columns but 2 data rows") == true)
    }

    @Test func rformulaWithoutItsPipelineIsRefused() throws {
        let url = try Self.crafted("rformula_basic", drop: ["pipelineModel"])
        #expect(Self.refusal(url)?.message.contains("pipelineModel/metadata") == true)
    }

    /// Spark refuses an Interaction of a vector without ML attributes; so does Conveyor, at load.
    @Test func interactionOfAnUnattributedVectorIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-interaction-\(UUID().uuidString)")
        let metadata = dir.appendingPathComponent("metadata")
        try FileManager.default.createDirectory(at: metadata, withIntermediateDirectories: true)
        try #"{"class":"org.apache.spark.ml.feature.Interaction","timestamp":1,"sparkVersion":"4.3.0","uid":"interaction_1","paramMap":{"inputCols":["v","x"],"outputCol":"out"},"defaultParamMap":{}}"#
            .write(to: metadata.appendingPathComponent("part-00000"), atomically: true, encoding: .utf8)
        let vectorInput = Schema(input: [SchemaField(name: "v", type: .double, structure: .vector),
                                        SchemaField(name: "x", type: .double)], output: [])
        let error = #expect(throws: ConveyorError.self) { try SparkMLStage(name: "s", modelURL: dir, schema: vectorInput) }
        #expect(error?.code == .unsupportedModel && error?.message.contains("Vector attributes must be defined") == true,
                "\(String(describing: error))")
        // A plain double pair is numeric × numeric, as Spark computes it.
        let stage = try SparkMLStage(name: "s", modelURL: dir, schema: nil)
        let out = try stage.transformAll(try Frame(columns: [.doubles("v", [2]), .doubles("x", [-3])]))
        #expect(out.column("out")?.values == .vector(VectorBlock(width: 1, storage: [-6], rows: 1)))
        try? FileManager.default.removeItem(at: dir)
    }

    /// An Interaction input made by a stage whose ML attributes Conveyor does not track is refused at load,
    /// naming the column and the stage.
    @Test func interactionOfAnUntrackedProducerIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-interaction-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ folder: String, _ json: String) throws {
            let metadata = dir.appendingPathComponent(folder).appendingPathComponent("metadata")
            try FileManager.default.createDirectory(at: metadata, withIntermediateDirectories: true)
            try json.write(to: metadata.appendingPathComponent("part-00000"), atomically: true, encoding: .utf8)
        }
        try write("", #"{"class":"org.apache.spark.ml.PipelineModel","sparkVersion":"4.3.0","uid":"p","paramMap":{"stageUids":["bin","int"]},"defaultParamMap":{}}"#)
        try write("stages/0_bin", #"{"class":"org.apache.spark.ml.feature.Binarizer","sparkVersion":"4.3.0","uid":"bin","paramMap":{"inputCol":"x","outputCol":"b","threshold":0.5},"defaultParamMap":{}}"#)
        try write("stages/1_int", #"{"class":"org.apache.spark.ml.feature.Interaction","sparkVersion":"4.3.0","uid":"int","paramMap":{"inputCols":["b","z"],"outputCol":"out"},"defaultParamMap":{}}"#)
        let error = #expect(throws: ConveyorError.self) { try SparkMLStage(name: "s", modelURL: dir, schema: nil) }
        #expect(error?.code == .unsupportedModel && error?.message.contains("'b' comes from Binarizer 'bin'") == true,
                "\(String(describing: error))")
    }
}
