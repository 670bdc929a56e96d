import ArgumentParser
import ConveyorCore
import Foundation
import Pipeline
import Server

/// `conveyor serve`'s multi-model and hot reload options (docs/serving.md,
/// "Multi-model endpoints" and "Hot reload").
struct ServeModelOptions: ParsableArguments {
    @Option(help: "Multi-model: the folder or s3://bucket/prefix models are loaded from (POST /models URLs must be under it; X-Amzn-SageMaker-Target-Model is relative to it). Default: /opt/ml/models when SAGEMAKER_MULTI_MODEL=true, else off.")
    var modelRoot: String?

    @Option(help: "Multi-model: MB of estimated model memory; a model that does not fit gets 507 (TargetModel invocations unload idle models first). Default: half the machine's memory.")
    var modelMemoryMb: Double?

    @Option(help: "Multi-model: a model's estimated footprint is its artifact bytes times this factor.")
    var modelMemoryFactor: Double = 8

    @Flag(help: "Reload the --pipeline files and the models they read when they change (and on SIGHUP, which works without --watch too).")
    var watch = false

    @Option(help: "Seconds between --watch's polls of modification times; a change is loaded once it has stayed for one poll.")
    var watchInterval: Double = 2

    @Option(help: "Versions of each pipeline kept addressable after reloads (name/1, name/2, ...; the newest is the default).")
    var keepVersions: Int = 2

    /// Nil when multi-model loading is off.
    func modelSource(environment: [String: String]) throws -> ModelSource? {
        let multiModel = environment["SAGEMAKER_MULTI_MODEL"]?.lowercased() == "true"
        guard let root = modelRoot ?? (multiModel ? "/opt/ml/models" : nil) else { return nil }
        guard modelMemoryFactor.isFinite, modelMemoryFactor >= 0.01, modelMemoryFactor <= 1000 else {
            throw ValidationError("--model-memory-factor must be between 0.01 and 1000")
        }
        let budget: Int
        if let modelMemoryMb {
            budget = try ServeLimitOptions.megabytes(modelMemoryMb, "--model-memory-mb")
        } else {
            budget = Int(clamping: ProcessInfo.processInfo.physicalMemory / 2)
        }
        let sageMaker = SageMakerEnvironment(environment)
        let models = ModelFolders(root: try ModelFolders.normalizedRoot(root), environment: environment, sageMaker: sageMaker)
        let loader = PipelineLoader(registry: .cli)
        return ModelSource(
            root: models.root, budgetBytes: budget, footprintFactor: modelMemoryFactor,
            prepare: { url in try await models.prepare(url, budget: budget) },
            load: { prepared in
                try loader.load(prepared.definition, relativeTo: prepared.base, sourceURL: prepared.sourceURL)
            })
    }

    /// Nil without --watch; SIGHUP reloads whenever pipelines come from files.
    func reloadConfiguration(paths: [URL], reload: @escaping @Sendable () throws -> [Pipeline]) throws
        -> ReloadConfiguration
    {
        guard keepVersions >= 1, keepVersions <= 100 else { throw ValidationError("--keep-versions must be between 1 and 100") }
        let interval = watch ? try ServeLimitOptions.seconds(watchInterval, "--watch-interval") : nil
        return ReloadConfiguration(paths: paths, interval: interval, keepVersions: keepVersions, reload: reload)
    }
}
