import ArgumentParser
import Codecs
import ConveyorCore
import Foundation
import Pipeline

struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run rows through a pipeline and print one result per input row.",
        discussion: """
            Rows come from standard input or --input; results go to standard output or --output.
            text/csv input has no header row; its columns follow the pipeline's input schema
            (see `conveyor inspect`). CSV and JSON Lines inputs are read and scored in chunks, so
            large files run in bounded memory. With --output the file appears only when every
            row succeeded.

            Examples:
              echo 'low,low,5more,more,big,high' | conveyor predict
              conveyor predict --pipeline pipelines/car-evaluation.json --input rows.csv --output scores.csv
              echo '{"data": ["low","low","5more","more","big","high"]}' | \\
                conveyor predict --content-type application/json --accept application/jsonlines

            With --explain (JSON Lines or JSON output) each result also carries exact TreeSHAP
            attributions of the model's margins on your own input columns: a base value and one
            value per column, per class, summing to the margin (docs/explanations.md):
              echo 'low,low,5more,more,big,high' | conveyor predict --explain --accept application/jsonlines
            """
    )

    @Option(help: "The pipeline JSON file, or a model folder (MLflow, Spark ML). Default: the bundled pipelines/car-evaluation.json.")
    var pipeline: String?

    @Option(help: "Input format: text/csv, application/json or application/jsonlines. Default: the pipeline's (text/csv).")
    var contentType: String?

    @Option(help: "Output format: text/csv, application/json or application/jsonlines. Default: the pipeline's (text/csv).")
    var accept: String?

    @Option(help: "Read rows from this file; '-' is standard input.")
    var input: String = "-"

    @Option(help: "Write results to this file; '-' is standard output.")
    var output: String = "-"

    @Option(help: "Bytes of input scored per chunk (CSV and JSON Lines).")
    var chunkBytes: Int = 1 << 20

    @Flag(help: "Add each row's attributions on the input columns (TreeSHAP, margin space). Needs JSON or JSON Lines output.")
    var explain = false

    func validate() throws {
        guard chunkBytes >= 1024 else { throw ValidationError("--chunk-bytes must be at least 1024") }
    }

    func run() async throws {
        AllocatorPolicy.batch()
        do {
            let url = try pipeline.map { URL(fileURLWithPath: $0) } ?? DefaultPipeline.locate()
            let loaded = try PipelineLoader(registry: .cli).load(contentsOf: url)
            let requestType = try contentType.map { try MediaType(contentType: $0) } ?? loaded.defaultContentType
            let responseType = try MediaType.negotiate(accept: accept, default: loaded.defaultAccept)
            let reader = try ChunkReader(path: input)
            let sink = try OutputSink(path: output)
            do {
                try await ChunkedPrediction(pipeline: loaded, requestType: requestType, responseType: responseType,
                                            chunkBytes: chunkBytes, explain: explain)
                    .run(reader: reader, sink: sink)
                try sink.commit()
            } catch {
                sink.discard()
                throw error
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
