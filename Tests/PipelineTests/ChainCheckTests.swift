import ConveyorCore
import Foundation
import Testing
@testable import Pipeline

@Suite struct ChainCheckTests {
    let loader = PipelineLoader(registry: fakeRegistry())
    let base = URL(fileURLWithPath: "/nonexistent")

    func stage(_ name: String, input: [SchemaField], output: [SchemaField]) -> StageDefinition {
        StageDefinition(name: name, kind: "fake", model: "none",
                        schema: .inline(Schema(input: input, output: output)))
    }

    func load(_ stages: [StageDefinition], output: [String]? = nil) throws -> Pipeline {
        try loader.load(PipelineDefinition(name: "test", stages: stages, output: output), relativeTo: base)
    }

    @Test func aFittingChainLoadsAndRuns() async throws {
        let pipeline = try load([
            stage("a", input: [SchemaField(name: "x", type: .double)], output: [SchemaField(name: "y", type: .double)]),
            stage("b", input: [SchemaField(name: "y", type: .double)], output: [SchemaField(name: "z", type: .double)]),
        ], output: ["z", "y"])
        #expect(pipeline.inputs == [ColumnSpec("x", .double)])
        #expect(pipeline.outputs.map(\.name) == ["z", "y"])
        let result = try await pipeline.run(try Frame(columns: [.doubles("x", [1, 2])]))
        #expect(result.columnNames == ["z", "y"])
        #expect(result.column("z")?.values == .double([1, 2]))
    }

    @Test func aStageReadingAnUnproducedColumnIsRefusedNamingIt() throws {
        #expect {
            _ = try load([
                stage("a", input: [SchemaField(name: "x", type: .double)], output: [SchemaField(name: "y", type: .double)]),
                stage("b", input: [SchemaField(name: "w", type: .double)], output: [SchemaField(name: "z", type: .double)]),
            ])
        } throws: { error in
            let error = error as! ConveyorError
            return error.code == .chainMismatch && error.stage == "b" && error.column == "w"
                && error.message.contains("no earlier stage produces")
        }
    }

    @Test func textIntoANumberIsRefusedNamingBothStages() throws {
        #expect {
            _ = try load([
                stage("a", input: [SchemaField(name: "x", type: .double)], output: [SchemaField(name: "y", type: .string)]),
                stage("b", input: [SchemaField(name: "y", type: .double)], output: [SchemaField(name: "z", type: .double)]),
            ])
        } throws: { error in
            let error = error as! ConveyorError
            return error.code == .chainMismatch && error.message.contains("stage 'b'")
                && error.message.contains("stage 'a'")
        }
    }

    @Test func vectorWidthsMustAgree() {
        #expect(ChainCheck.mismatch(produced: .vector(19), expected: .vector(21)) == "width 19 where 21 is needed")
        #expect(ChainCheck.mismatch(produced: .vector(21), expected: .vector(21)) == nil)
        #expect(ChainCheck.mismatch(produced: .vector(nil), expected: .vector(21)) == nil)
        #expect(ChainCheck.mismatch(produced: .double, expected: .vector(3)) != nil)
        #expect(ChainCheck.mismatch(produced: ColumnType(.float), expected: .double) == nil)
    }

    @Test func listsFitOnlyLists() {
        #expect(ChainCheck.mismatch(produced: .stringList, expected: .stringList) == nil)
        #expect(ChainCheck.mismatch(produced: .stringList, expected: .string) == "a list and a single value or vector do not fit")
        #expect(ChainCheck.mismatch(produced: .vector(3), expected: .stringList) != nil)
    }

    @Test func stageCountAndNamesAreChecked() throws {
        let one = stage("a", input: [SchemaField(name: "x", type: .double)], output: [SchemaField(name: "x", type: .double)])
        #expect(throws: ConveyorError.self) { _ = try load([]) }
        let sixteen = (0..<16).map { index in
            var copy = one
            copy.name = "s\(index)"
            return copy
        }
        #expect { _ = try load(sixteen) } throws: { ($0 as! ConveyorError).message.contains("1 to 15 stages") }
        #expect(throws: Never.self) { _ = try load(Array(sixteen.prefix(15))) }
        #expect { _ = try load([one, one]) } throws: { ($0 as! ConveyorError).message.contains("two stages are named 'a'") }
        var unknown = one
        unknown.kind = "tensorflow"
        #expect { _ = try load([unknown]) } throws: { ($0 as! ConveyorError).message.contains("unknown stage kind 'tensorflow'") }
    }

    @Test func unknownOutputColumnIsRefused() throws {
        #expect {
            _ = try load([stage("a", input: [SchemaField(name: "x", type: .double)], output: [SchemaField(name: "y", type: .double)])],
                         output: ["nope"])
        } throws: { ($0 as! ConveyorError).message.contains("'nope'") }
    }

    @Test func errorsFromAStageNameTheStageAndRow() async throws {
        let pipeline = try load([
            stage("a", input: [SchemaField(name: "x", type: .double)], output: [SchemaField(name: "y", type: .double)]),
        ])
        // The fake stage requires its input column; a frame without it fails in stage 'a'.
        await #expect {
            _ = try await pipeline.run(try Frame(columns: [.doubles("other", [1])]))
        } throws: { ($0 as! ConveyorError).stage == "a" }
        await #expect { _ = try await pipeline.run(Frame(rowCount: 0)) } throws: { ($0 as! ConveyorError).code == .emptyInput }
    }
}
