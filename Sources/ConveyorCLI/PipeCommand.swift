import ArgumentParser
import BatchTransform
import Codecs
import ConveyorCore
import Foundation
import Pipeline
import Storage

struct PipeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipe",
        abstract: "A streaming filter: records on standard input, one result per record on standard output, in order.",
        discussion: """
            The pipeline is loaded once; records are scored as they arrive, in pieces of whole records
            (whole messages for Arrow), so memory stays bounded however long the input. Formats:
            text/csv, text/tab-separated-values (Spark SQL's TRANSFORM: \\N is null; fields separated by
            tabs or by U+0001, Spark's default, and answered with the separator sent),
            application/jsonlines and application/vnd.apache.arrow.stream (typed columns, matched to
            the pipeline's inputs by name). An empty input gives an empty output.

            With --record-errors isolate (as in `conveyor transform`), a record that fails is left out
            of the output and listed as `record N: reason` on standard error (or --errors FILE); the
            others keep their order. With fail (the default), the first bad record stops the filter
            with exit 1 and the message names it.

            Examples:
              printf 'low,low,5more,more,big,high\\n' | conveyor pipe
              conveyor pipe --content-type text/tab-separated-values --accept text/tab-separated-values < rows.tsv
              SELECT TRANSFORM(buying, maint, doors, persons, lug_boots, safety)
                USING 'conveyor pipe --content-type text/tab-separated-values --accept text/tab-separated-values'
                AS (predicted_class, p0, p1, p2, p3) FROM cars      -- Spark SQL; see docs/scale-out.md
            """
    )

    @Option(help: "The pipeline JSON file, or a model folder (MLflow, Spark ML). Default: the bundled pipelines/car-evaluation.json.")
    var pipeline: String?

    @Option(help: "Input format: text/csv, text/tab-separated-values, application/jsonlines or application/vnd.apache.arrow.stream. Default: the pipeline's (text/csv).")
    var contentType: String?

    @Option(help: "Output format, as --content-type. Default: the pipeline's (text/csv).")
    var accept: String?

    @Option(help: "fail (the first bad record stops the filter) or isolate (bad records are listed and left out). Default: fail.")
    var recordErrors: String = "fail"

    @Option(help: "With --record-errors isolate: write the `record N: reason` lines to this file instead of standard error.")
    var errors: String?

    @Option(help: "Largest read from standard input, in bytes.")
    var chunkBytes: Int = 1 << 20

    func validate() throws {
        guard chunkBytes >= 1024 else { throw ValidationError("--chunk-bytes must be at least 1024") }
    }

    func run() async throws {
        AllocatorPolicy.batch()
        do {
            let policy: RecordErrorPolicy = try JobRequest.choice(recordErrors, "--record-errors")
            let url = try pipeline.map { URL(fileURLWithPath: $0) } ?? DefaultPipeline.locate()
            let loaded = try PipelineLoader(registry: .cli).load(contentsOf: url)
            let requestType = try contentType.map { try MediaType(contentType: $0) } ?? loaded.defaultContentType
            let responseType = try MediaType.negotiate(accept: accept, default: loaded.defaultAccept)
            for (type, option) in [(requestType, "--content-type"), (responseType, "--accept")] where type == .json {
                throw ConveyorError(.unsupportedContentType,
                                    "\(option) application/json is one document, not a stream of records; use application/jsonlines")
            }
            let log = try errors.map { path -> FileHandle in
                guard let handle = FileHandle.newFile(atPath: path) else {
                    throw ConveyorError(.internal, "cannot create the errors file \(path)")
                }
                return handle
            } ?? FileHandle.standardError
            var filter = PipeFilter(scoring: Scoring(pipeline: loaded, requestType: requestType, responseType: responseType),
                                    policy: policy, output: .standardOutput, errors: log)
            try await filter.run(input: STDIN_FILENO, chunkBytes: chunkBytes)
            if filter.failed > 0 {
                StandardError.write("pipe: \(filter.failed) of \(filter.records) records failed and were left out\n")
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
