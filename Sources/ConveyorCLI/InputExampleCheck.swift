import Codecs
import ConveyorCore
import Foundation
import MLflow
import Pipeline

/// `conveyor validate`'s smoke run: each MLflow stage's saved input
/// example, decoded by the stage's own signature like a JSON request, run
/// through that stage and the ones after it, and printed as CSV rows.
struct InputExampleCheck {
    let pipeline: Pipeline

    /// Report lines; throws (exit 3) when an example cannot be read or does not run.
    func run() async throws -> [String] {
        var lines: [String] = []
        for (index, stage) in pipeline.stages.enumerated() {
            guard let mlflow = stage as? MLflowStage else { continue }
            let example: MLflowInputExample
            do {
                guard let read = try mlflow.model.inputExample() else {
                    lines.append("  input example: none saved with stage '\(stage.name)'")
                    continue
                }
                example = read
            } catch let error as ConveyorError {
                throw error.inStage(stage.name)
            }
            let output: [UInt8]
            do {
                var frame = try FrameDecoder(inputs: stage.inputs).decode(example.body, as: .json)
                for later in pipeline.stages[index...] { frame = try await later.transform(frame) }
                output = try FrameEncoder().encode(frame, columns: pipeline.outputs.map(\.name), as: .csv)
            } catch {
                let wrapped = ConveyorError.wrap(error, code: .stageFailed, stage: stage.name)
                throw ConveyorError(.invalidPipeline, "the input example \(example.url.lastPathComponent) does not run: \(wrapped)",
                                    stage: stage.name)
            }
            let rows = example.rowCount
            lines.append("  input example: \(example.url.lastPathComponent) (\(example.layout), \(rows) row\(rows == 1 ? "" : "s")) "
                + "-> \(pipeline.outputs.map(\.name).joined(separator: ", ")):")
            let text = String(decoding: output, as: UTF8.self)
            lines += text.split(separator: "\n", omittingEmptySubsequences: true).map { "    \($0)" }
        }
        return lines
    }
}
