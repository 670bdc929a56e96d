import Codecs
import ConveyorCore
import Foundation
import Pipeline
import Storage

/// A batch transform job: every input object in this worker's shard
/// becomes `<relative key>.out` under the output prefix. Objects whose
/// output exists are skipped (so a rerun resumes); up to
/// MaxConcurrentTransforms objects run at once; a failed object does not
/// stop the others.
public struct TransformJob: Sendable {
    public enum Input: Sendable {
        /// Every object under a prefix (SageMaker's S3Prefix).
        case prefix(StorageLocation)
        /// The objects a manifest lists (SageMaker's ManifestFile).
        case manifest(StorageLocation)
    }

    public let pipeline: Pipeline
    public let input: Input
    public let output: StorageLocation
    public let options: TransformOptions
    public let stores: StoreResolver
    public let counters: JobCounters

    public init(pipeline: Pipeline, input: Input, output: StorageLocation, options: TransformOptions,
                stores: StoreResolver, counters: JobCounters = JobCounters()) {
        self.pipeline = pipeline
        self.input = input
        self.output = output
        self.options = options
        self.stores = stores
        self.counters = counters
    }

    /// Runs the job. Throws only when the job cannot start (bad options,
    /// unreadable prefix or manifest, missing bucket, rejected credentials);
    /// failures of single objects are in the summary.
    public func run() async throws -> TransformSummary {
        let clock = ContinuousClock()
        let started = clock.now
        try options.validate()
        let requestType = options.contentType ?? pipeline.defaultContentType
        let responseType = options.accept ?? pipeline.defaultAccept
        if options.explain && responseType == .csv {
            throw ConveyorError(.invalidInput, "--explain needs Accept application/jsonlines or application/json: "
                + "CSV has no place for explanations")
        }
        if options.joinSource == .input && (requestType == .csv) != (responseType == .csv) {
            throw ConveyorError(.invalidInput, "JoinSource Input needs ContentType and Accept of the same kind (both CSV or both JSON)")
        }
        if options.shardBy == .bytes, case .manifest = input {
            throw ConveyorError(.invalidInput, "--shard-by bytes needs each object's size, which a manifest does not give: "
                + "use a prefix, or --shard-by object")
        }
        // Byte-range shards: every worker reads its part of every object.
        let objects = try await listObjects().filter { options.shardBy == .bytes || options.shard.owns($0.relativeKey) }
        counters.start(objects: objects.count, bytes: objects.reduce(0) { $0 + $1.size })
        let outputStore = try stores.store(for: output)
        await discardIncompleteWrites(of: objects, in: outputStore)
        let scorer = BatchScorer(pipeline: pipeline, requestType: requestType, responseType: responseType, options: options)
        var outcomes: [Int: ObjectOutcome] = [:]
        try await withThrowingTaskGroup(of: (Int, ObjectOutcome).self) { group in
            var next = 0
            func startNext() throws {
                let object = objects[next]
                let index = next
                next += 1
                let transformer = ObjectTransformer(
                    scorer: scorer, options: options, inputStore: try stores.store(for: object.location),
                    outputStore: outputStore, output: output, counters: counters)
                group.addTask { (index, await transformer.run(object)) }
            }
            while next < objects.count && next < options.maxConcurrentTransforms { try startNext() }
            while let (index, outcome) = try await group.next() {
                outcomes[index] = outcome
                if case .failed = outcome { counters.add(failed: 1) }
                if next < objects.count { try startNext() }
            }
        }
        let snapshot = counters.snapshot
        let failures = objects.indices.compactMap { index -> ObjectFailure? in
            if case .failed(let failure)? = outcomes[index] { return failure }
            return nil
        }
        let elapsed = clock.now - started
        return TransformSummary(
            objects: objects.count, succeeded: snapshot.succeeded, skipped: snapshot.skipped, failed: failures.count,
            records: snapshot.records, failedRecords: snapshot.failedRecords, bytesRead: snapshot.bytesRead,
            bytesWritten: snapshot.bytesWritten,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            failures: failures)
    }

    /// Aborts what a crashed run left while writing this shard's outputs
    /// (S3 multipart uploads), before they are written again. Best effort:
    /// credentials without ListMultipartUploads still run the job.
    func discardIncompleteWrites(of objects: [InputObject], in store: any ObjectStore) async {
        var keys: Set<String> = []
        for object in objects {
            guard let relative = try? object.checkedRelativeKey() else { continue }
            keys.insert(output.appending(options.outputName(relative)).prefix)
            keys.insert(output.appending(options.outputName(relative, suffix: ".err")).prefix)
        }
        _ = try? await store.discardIncompleteWrites(keys: keys, under: output.prefix)
    }

    /// The input objects in key order.
    func listObjects() async throws -> [InputObject] {
        switch input {
        case .prefix(let location):
            let store = try stores.store(for: location)
            let listed = try await store.list(prefix: location.prefix)
            guard !listed.isEmpty else {
                throw ConveyorError(.storageFailed, "no objects under \(location)")
            }
            return listed.map { info in
                InputObject(location: StorageLocation(scheme: location.scheme, prefix: info.key),
                            relativeKey: InputObject.relativeKey(info.key, under: location.prefix), size: info.size)
            }
        case .manifest(let location):
            let bytes = try await stores.store(for: location).readAll(key: location.prefix)
            return try ManifestFile.objects(in: bytes, source: location.description)
        }
    }
}
