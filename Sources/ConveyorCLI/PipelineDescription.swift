import ConveyorCore
import Foundation
import Pipeline

/// Renders a loaded pipeline for `conveyor inspect`, as text or JSON.
struct PipelineDescription {
    let pipeline: Pipeline

    init(_ pipeline: Pipeline) {
        self.pipeline = pipeline
    }

    func text() -> String {
        var out = "pipeline \(pipeline.name)"
        if let url = pipeline.sourceURL { out += "  (\(url.path))" }
        out += "\n"
        if let description = pipeline.definition.description { out += "  \(description)\n" }
        out += "input columns (CSV order):\n"
        for (index, column) in pipeline.inputs.enumerated() {
            out += "  \(index + 1). \(column)\n"
        }
        out += "stages:\n"
        for (index, stage) in pipeline.stages.enumerated() {
            let model = pipeline.definition.stages[index].model
            out += "  \(index + 1). \(stage.name) [\(stage.kind)] \(model)\n"
            out += "     reads:  \(stage.inputs.map(\.description).joined(separator: ", "))\n"
            out += "     writes: \(stage.outputs.map(\.description).joined(separator: ", "))\n"
            for fact in stage.facts { out += Self.render(fact, indent: 5) }
        }
        out += "output columns:\n"
        for column in pipeline.outputs { out += "  - \(column)\n" }
        return out
    }

    private static func render(_ fact: Fact, indent: Int) -> String {
        var out = String(repeating: " ", count: indent) + "\(fact.label): \(fact.value)\n"
        for child in fact.children { out += render(child, indent: indent + 2) }
        return out
    }

    func json() -> String {
        func columns(_ specs: [ColumnSpec]) -> [[String: Any]] {
            specs.map { spec in
                var entry: [String: Any] = ["name": spec.name, "type": spec.type.scalar.rawValue]
                if spec.type.isVector {
                    entry["struct"] = "vector"
                    if let width = spec.type.vectorWidth { entry["width"] = width }
                }
                // A list of strings, as SageMaker's schema spells it.
                if spec.type.isList { entry["struct"] = "array" }
                return entry
            }
        }
        func facts(_ list: [Fact]) -> [[String: Any]] {
            list.map { fact in
                var entry: [String: Any] = ["label": fact.label, "value": fact.value]
                if !fact.children.isEmpty { entry["children"] = facts(fact.children) }
                return entry
            }
        }
        let object: [String: Any] = [
            "name": pipeline.name,
            "input": columns(pipeline.inputs),
            "output": columns(pipeline.outputs),
            "stages": pipeline.stages.enumerated().map { index, stage in
                [
                    "name": stage.name, "kind": stage.kind,
                    "model": pipeline.definition.stages[index].model,
                    "input": columns(stage.inputs), "output": columns(stage.outputs),
                    "facts": facts(stage.facts),
                ] as [String: Any]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
    }
}
