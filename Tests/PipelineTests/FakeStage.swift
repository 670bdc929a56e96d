import ConveyorCore
import Foundation
@testable import Pipeline

/// A stage with declared columns that copies its first input to each
/// output: enough to test definitions and chain checks without models.
struct FakeStage: Stage {
    var name: String
    var kind = "fake"
    var inputs: [ColumnSpec]
    var outputs: [ColumnSpec]
    var facts: [Fact] { [Fact("fake", "yes")] }

    func transform(_ frame: Frame) throws -> Frame {
        var frame = frame
        let source = try frame.require(inputs[0].name, stage: name)
        for output in outputs { try frame.put(source.renamed(output.name)) }
        return frame
    }
}

/// Registers kind `fake` whose columns come from the stage's schema.
func fakeRegistry() -> StageRegistry {
    StageRegistry(["fake": { context in
        let schema = context.schema ?? Schema(input: [], output: [])
        return FakeStage(name: context.definition.name, inputs: schema.input.map(\.spec),
                         outputs: schema.output.map(\.spec))
    }])
}

func decode(_ json: String) throws -> PipelineDefinition {
    try JSONDecoder().decode(PipelineDefinition.self, from: Data(json.utf8))
}
