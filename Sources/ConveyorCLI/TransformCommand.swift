import ArgumentParser
import BatchTransform
import Codecs
import ConveyorCore
import Foundation
import Pipeline
import Storage

struct TransformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Score every object under an input prefix into <key>.out objects (SageMaker Batch Transform).",
        discussion: """
            Inputs and outputs are local folders (or file:// URIs) or s3://bucket/prefix. Each input object
            gives one output object named <relative key>.out, records in input order; an output appears only
            when complete, so a rerun skips finished objects and resumes. Parameters follow SageMaker's
            CreateTransformJob; --job takes such a request body (or a DescribeTransformJob answer) and flags
            override it. S3 requests are retried on transient failures (3 attempts; AWS_MAX_ATTEMPTS).
            docs/batch-transform.md lists every parameter.

            Examples:
              conveyor transform --input data/in --output data/out --content-type text/csv --split-type Line
              conveyor transform --job job.json --s3-endpoint http://127.0.0.1:9000
              conveyor transform --input s3://b/in --output s3://b/out --shard-index 0 --shard-count 4
            """
    )

    @Option(help: "The pipeline JSON file. Default: the bundled pipelines/car-evaluation.json.")
    var pipeline: String?
    @Option(help: "A SageMaker CreateTransformJob request body (JSON); flags override its fields.")
    var job: String?
    @Option(help: "Input prefix: a local folder or file, file://…, or s3://bucket/prefix.")
    var input: String?
    @Option(help: "Output prefix: a local folder, file://…, or s3://bucket/prefix.")
    var output: String?
    @Flag(help: "--input is a SageMaker manifest file: [{\"prefix\": \"s3://b/p/\"}, \"rel/a\", …].")
    var manifest = false
    @Option(help: "Input format (ContentType): text/csv, application/jsonlines, application/json or application/x-parquet. Default: the pipeline's (text/csv).")
    var contentType: String?
    @Option(help: "Output format (Accept); application/x-parquet needs Parquet input. Default: the pipeline's (text/csv).")
    var accept: String?
    @Option(help: "None (whole object per request) or Line. Default: None.")
    var splitType: String?
    @Option(help: "SingleRecord or MultiRecord. Default: MultiRecord with --split-type Line, else SingleRecord.")
    var batchStrategy: String?
    @Option(help: "Largest mini-batch in MB (1–100). Default: 6.")
    var maxPayloadMb: Int?
    @Option(help: "Objects transformed at once. Default: 1.")
    var maxConcurrentTransforms: Int?
    @Option(help: "None (outputs concatenated) or Line (newline after each record). Default: None.")
    var assembleWith: String?
    @Option(help: "Input compression: None or Gzip. Default: None.")
    var compression: String?
    @Option(help: "Output compression: None or Gzip (outputs named <key>.out.gz). Default: None.")
    var outputCompression: String?
    @Option(help: "JSONPath selecting what of each record the pipeline sees. Default: $.")
    var inputFilter: String?
    @Option(help: "JSONPath selecting what of each (joined) output record is written. Default: $.")
    var outputFilter: String?
    @Option(help: "None or Input (append outputs to input records). Default: None.")
    var joinSource: String?
    @Option(help: "fail (a bad record fails its object; SageMaker) or isolate (bad records go to <key>.err). Default: fail.")
    var recordErrors: String?
    @Option(help: "This worker's shard (0-based). Default: $JOB_COMPLETION_INDEX or $AWS_BATCH_JOB_ARRAY_INDEX, else 0.")
    var shardIndex: Int?
    @Option(help: "Number of shards. Default: $CONVEYOR_SHARD_COUNT, else 1.")
    var shardCount: Int?
    @Option(help: "object (each worker takes whole objects by key hash) or bytes (each worker takes its byte range of every object; outputs <key>.part-NNNNN.out). Default: $CONVEYOR_SHARD_BY, else object.")
    var shardBy: String?
    @Option(help: "Parquet input: input columns copied into each output row before the pipeline's outputs (comma-separated).")
    var passThrough: String?
    @Option(help: "Rows per row group of Parquet outputs. Default: 131072.")
    var parquetRowGroupRows: Int?
    @Option(help: "S3 endpoint URL, e.g. http://127.0.0.1:9000. Default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, else AWS.")
    var s3Endpoint: String?
    @Flag(help: "Address buckets as endpoint/bucket/key (default for custom endpoints).")
    var s3PathStyle = false
    @Option(help: "Write the final summary as JSON to this local file.")
    var summary: String?
    @Flag(help: "Add each record's attributions on the input columns (TreeSHAP, margin space). Needs --accept application/jsonlines or application/json.")
    var explain = false

    @Flag(inversion: .prefixedNo, help: "Show a progress line on a terminal.")
    var progress = true

    func run() async throws {
        AllocatorPolicy.batch()
        let result: TransformSummary
        do {
            let settings = try await resolveSettings()
            let counters = JobCounters()
            let job = TransformJob(pipeline: settings.pipeline, input: settings.input, output: settings.output,
                                   options: settings.options, stores: settings.stores, counters: counters)
            let display = progress && isatty(STDERR_FILENO) == 1 ? ProgressDisplay(counters: counters) : nil
            display?.start()
            defer { display?.stop() }
            result = try await job.run()
        } catch let error as ExitCode {
            throw error
        } catch {
            throw ExitStatus.fail(error)
        }
        StandardError.write(result.text())
        if let summary {
            guard FileManager.default.createFile(atPath: summary, contents: Data(result.json())) else {
                throw ExitStatus.fail(ConveyorError(.internal, "cannot write the summary to \(summary)"))
            }
        }
        if !result.isSuccess { throw ExitCode(1) }
    }
}
