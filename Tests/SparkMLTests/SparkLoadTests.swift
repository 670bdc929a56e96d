import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

/// Loading: archives, unsupported classes, broken directories, facts, schema overrides.
@Suite struct SparkLoadTests {
    let car = projectRoot.appendingPathComponent("models/car-evaluation-spark/pipeline")

    func copy(_ source: URL) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-spark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent("model")
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }

    func metadataFile(_ directory: URL) throws -> URL {
        let metadata = directory.appendingPathComponent("metadata")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: metadata.path)
            .first { $0.hasPrefix("part-00000") })
        return metadata.appendingPathComponent(name)
    }

    @Test func unsupportedStageClassIsRefusedNamingIt() throws {
        let model = try copy(car)
        let stages = model.appendingPathComponent("stages")
        let assembler = try #require(try FileManager.default.contentsOfDirectory(atPath: stages.path).first { $0.hasPrefix("2_") })
        let file = try metadataFile(stages.appendingPathComponent(assembler))
        let text = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "org.apache.spark.ml.feature.VectorAssembler", with: "org.apache.spark.ml.clustering.LocalLDAModel")
        try Data(text.utf8).write(to: file)
        let error = conveyorError { _ = try SparkMLStage(name: "car", modelURL: model, schema: nil) }
        #expect(error?.code == .unsupportedModel)
        #expect(error?.stage == "car")
        #expect(error?.message.contains("'org.apache.spark.ml.clustering.LocalLDAModel'") == true)
    }

    @Test func aMissingStageDirectoryOrDataIsReported() throws {
        let model = try copy(car)
        let stages = model.appendingPathComponent("stages")
        let indexer = try #require(try FileManager.default.contentsOfDirectory(atPath: stages.path).first { $0.hasPrefix("0_") })
        try FileManager.default.removeItem(at: stages.appendingPathComponent(indexer).appendingPathComponent("data"))
        let error = conveyorError { _ = try SparkMLStage(name: "car", modelURL: model, schema: nil) }
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("data/part-*.parquet") == true)
        try FileManager.default.removeItem(at: stages.appendingPathComponent(indexer))
        #expect(conveyorError { _ = try SparkMLStage(name: "car", modelURL: model, schema: nil) }?.message.contains(indexer) == true)
    }

    @Test func readsTheDirectoryInsideATarGz() async throws {
        let model = try copy(car)
        let archive = model.deletingLastPathComponent().appendingPathComponent("model.tar.gz")
        let status = try await offPool {
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
            tar.arguments = ["-czf", archive.path, "-C", model.deletingLastPathComponent().path, "model"]
            try tar.run()
            tar.waitUntilExit()
            return tar.terminationStatus
        }
        #expect(status == 0)
        let fromArchive = try SparkMLStage(name: "car", modelURL: archive, schema: nil)
        let direct = try SparkMLStage(name: "car", modelURL: car, schema: nil)
        let fixture = try SparkFixture(projectRoot.appendingPathComponent("models/car-evaluation-spark/expected.json"), model: car)
        let frame = try fixture.frame(rows: fixture.rows)
        #expect(try fromArchive.transform(frame) == (try direct.transform(frame)))
    }

    @Test func derivedSchemaAndFactsListStagesAndParams() throws {
        let stage = try SparkMLStage(name: "car", modelURL: car, schema: nil)
        #expect(stage.outputs.first { $0.name == "features" }?.type == .vector(27))
        #expect(stage.outputs.first { $0.name == "probability" }?.type == .vector(4))
        #expect(stage.outputs.last?.name == "predicted_class")
        let stages = try #require(stage.facts.first { $0.label == "stages" })
        #expect(stages.children.count == 5)
        #expect(stages.children[0].label == "0 StringIndexerModel")
        #expect(stages.children[0].children.contains { $0.label == "handleInvalid" && $0.value == "keep" })
        #expect(stages.children[4].children.contains { $0.label == "labels" && $0.value.contains("vgood") })
        #expect(stage.facts.contains { $0.label == "input schema" && $0.value.contains("buying: string") })
    }

    @Test func aSchemaOverrideSelectsOutputsAndChecksInputs() throws {
        let fields = ["buying", "maint", "doors", "persons", "lug_boots", "safety"].map { SchemaField(name: $0, type: .string) }
        let schema = Schema(input: fields, output: [SchemaField(name: "predicted_class", type: .string),
                                                    SchemaField(name: "probability", type: .double, structure: .vector)])
        let stage = try SparkMLStage(name: "car", modelURL: car, schema: schema)
        #expect(stage.outputs.map(\.name) == ["predicted_class", "probability"])
        #expect(stage.outputs[1].type == .vector(4))
        let bad = Schema(input: Array(fields.dropLast()), output: schema.output)
        #expect(conveyorError { _ = try SparkMLStage(name: "car", modelURL: car, schema: bad) }?.message.contains("'safety'") == true)
    }
}

func conveyorError(_ body: () throws -> Void) -> ConveyorError? {
    do {
        try body()
        Issue.record("expected a ConveyorError, nothing was thrown")
    } catch let error as ConveyorError {
        return error
    } catch {
        Issue.record("expected a ConveyorError, got \(error)")
    }
    return nil
}
