import ArgumentParser
import BatchTransform
import Codecs
import ConveyorCore
import Foundation
import Pipeline
import Storage

/// Everything a transform needs, from flags over an optional job file.
struct TransformSettings {
    var pipeline: Pipeline
    var input: TransformJob.Input
    var output: StorageLocation
    var options: TransformOptions
    var stores: StoreResolver
}

extension TransformCommand {
    func resolveSettings(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> TransformSettings {
        let endpoint = s3Endpoint
        let pathStyle: Bool? = s3PathStyle ? true : nil
        let stores = StoreResolver { try S3Configuration.fromEnvironment(endpoint: endpoint, pathStyle: pathStyle, environment: environment) }
        var options = TransformOptions()
        var inputURI: String?
        var outputURI: String?
        var isManifest = manifest
        if let job {
            let location = try StorageLocation(job)
            let bytes = try await stores.store(for: location).readAll(key: location.prefix)
            let request = try JobRequest.decode(bytes, source: job)
            for notice in JobRequest.notices(in: bytes) { StandardError.write("notice: \(notice)\n") }
            options = try request.options()
            inputURI = request.TransformInput.DataSource.S3DataSource.S3Uri
            outputURI = request.TransformOutput.S3OutputPath
            isManifest = isManifest || request.isManifest
        }
        if let input { inputURI = input }
        if let output { outputURI = output }
        guard let inputURI else { throw ValidationError("give --input (or --job with TransformInput)") }
        guard let outputURI else { throw ValidationError("give --output (or --job with TransformOutput)") }
        try override(&options, environment: environment)
        let url = try pipeline.map { URL(fileURLWithPath: $0) } ?? DefaultPipeline.locate(environment: environment)
        let loaded = try PipelineLoader().load(contentsOf: url)
        let inputLocation = try StorageLocation(inputURI)
        return TransformSettings(
            pipeline: loaded, input: isManifest ? .manifest(inputLocation) : .prefix(inputLocation),
            output: try StorageLocation(outputURI), options: options, stores: stores)
    }

    private func override(_ options: inout TransformOptions, environment: [String: String]) throws {
        if let contentType {
            options.parquetInput = TransformOptions.isParquet(contentType)
            options.contentType = options.parquetInput ? nil : try MediaType(contentType: contentType)
        }
        if let accept {
            options.parquetOutput = TransformOptions.isParquet(accept)
            options.accept = options.parquetOutput ? nil : try MediaType(contentType: accept)
        }
        if let passThrough {
            options.passThrough = passThrough.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if let parquetRowGroupRows { options.parquetRowGroupRows = parquetRowGroupRows }
        if let by = shardBy ?? environment["CONVEYOR_SHARD_BY"] {
            guard let mode = ShardMode(rawValue: by.lowercased()) else {
                throw ConveyorError(.invalidInput, "--shard-by must be object or bytes, not '\(by)'")
            }
            options.shardBy = mode
        }
        if let splitType { options.splitType = try JobRequest.choice(splitType, "--split-type") }
        if let batchStrategy { options.batchStrategy = try JobRequest.choice(batchStrategy, "--batch-strategy") }
        if let maxPayloadMb { options.maxPayloadBytes = maxPayloadMb << 20 }
        if let maxConcurrentTransforms { options.maxConcurrentTransforms = maxConcurrentTransforms }
        if let assembleWith { options.assembleWith = try JobRequest.choice(assembleWith, "--assemble-with") }
        if let compression { options.compression = try JobRequest.choice(compression, "--compression") }
        if let outputCompression { options.outputCompression = try JobRequest.choice(outputCompression, "--output-compression") }
        if let inputFilter { options.inputFilter = try JSONPath.parse(inputFilter) }
        if let outputFilter { options.outputFilter = try JSONPath.parse(outputFilter) }
        if let joinSource { options.joinSource = try JobRequest.choice(joinSource, "--join-source") }
        if let recordErrors { options.recordErrors = try JobRequest.choice(recordErrors, "--record-errors") }
        options.shard = try shard(environment: environment)
        if explain { options.explain = true }
    }

    /// `--shard-index/--shard-count`, else the index a Kubernetes Indexed
    /// Job or an AWS Batch array job sets, with the count from `CONVEYOR_SHARD_COUNT`.
    func shard(environment: [String: String]) throws -> Shard {
        let index = shardIndex ?? (environment["JOB_COMPLETION_INDEX"] ?? environment["AWS_BATCH_JOB_ARRAY_INDEX"]).flatMap { Int($0) }
        let count = shardCount ?? environment["CONVEYOR_SHARD_COUNT"].flatMap { Int($0) }
        switch (index, count) {
        case (nil, nil): return Shard(index: 0, count: 1)
        case (_, nil):
            throw ConveyorError(.invalidInput, "a shard index is set but no shard count: pass --shard-count or set CONVEYOR_SHARD_COUNT")
        case (let index, let count?):
            let index = index ?? 0
            guard count >= 1, (0..<count).contains(index) else {
                throw ConveyorError(.invalidInput, "shard index \(index) is not within 0..<\(count)")
            }
            return Shard(index: index, count: count)
        }
    }
}
