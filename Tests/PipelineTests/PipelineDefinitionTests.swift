import ConveyorCore
import Foundation
import Testing
@testable import Pipeline

@Suite struct PipelineDefinitionTests {
    @Test func acceptsTheHandWrittenShapeFromTheIssue() throws {
        let definition = try decode("""
            {"name": "car-evaluation",
             "stages": [
               {"name": "features", "kind": "mleap", "model": "../models/car-evaluation/features.zip",
                "schema": {"input": [{"name": "buying", "type": "string"}, {"name": "maint", "type": "string"}],
                           "output": {"name": "features", "type": "double", "struct": "vector"}}},
               {"name": "classifier", "kind": "xgboost", "model": "../models/car-evaluation/xgboost.json"}
             ]}
            """)
        #expect(definition.name == "car-evaluation")
        #expect(definition.stages.map(\.kind) == ["mleap", "xgboost"])
        guard case .inline(let schema)? = definition.stages[0].schema else {
            Issue.record("schema should be inline")
            return
        }
        #expect(schema.input.map(\.name) == ["buying", "maint"])
        #expect(schema.input.map(\.type) == [.string, .string])
        #expect(schema.output == [SchemaField(name: "features", type: .double, structure: .vector)])
        #expect(definition.stages[1].schema == nil)
    }

    @Test func schemaMayBeAFilePathAndOutputsACommaList() throws {
        let definition = try decode("""
            {"name": "p", "stages": [
              {"name": "a", "kind": "mleap", "model": "m.zip", "schema": "schema.json"},
              {"name": "b", "kind": "xgboost", "model": "x.json", "outputs": "predicted_label, probabilities"}]}
            """)
        #expect(definition.stages[0].schema == .file("schema.json"))
        #expect(definition.stages[1].outputs == ["predicted_label", "probabilities"])
    }

    @Test func refusesUnknownKeysNamingThem() throws {
        do {
            _ = try decode(#"{"name": "p", "stages": [{"name": "a", "kind": "mleap", "modle": "m.zip", "model": "m"}]}"#)
            Issue.record("expected an error")
        } catch let error as DecodingError {
            #expect(error.readableMessage.contains("'modle'"))
            #expect(error.readableMessage.contains("stages[0]"))
        }
    }

    @Test func missingModelNamesThePath() throws {
        do {
            _ = try decode(#"{"name": "p", "stages": [{"name": "a", "kind": "mleap"}]}"#)
            Issue.record("expected an error")
        } catch let error as DecodingError {
            #expect(error.readableMessage == "stages[0]: missing required key 'model'")
        }
    }

    @Test func schemaTypesAreChecked() throws {
        #expect(throws: DecodingError.self) {
            _ = try decode("""
                {"name": "p", "stages": [{"name": "a", "kind": "mleap", "model": "m",
                 "schema": {"input": [{"name": "x", "type": "decimal"}], "output": {"name": "y"}}}]}
                """)
        }
    }
}
