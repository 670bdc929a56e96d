import ConveyorCore
import Foundation
import Pipeline

/// A model URL made ready to load: its pipeline definition on local disk,
/// and the bytes of the artifacts it will read (the footprint estimate's basis).
public struct PreparedModel: Sendable {
    public var definition: PipelineDefinition
    /// Relative model paths resolve against it.
    public var base: URL
    public var sourceURL: URL
    /// Sum of the sizes of the files the pipeline loads (definition, models, schemas).
    public var artifactBytes: Int
    /// A local copy made for this load (an S3 prefix), removed once the load is over.
    public var temporary: URL?

    public init(definition: PipelineDefinition, base: URL, sourceURL: URL, artifactBytes: Int, temporary: URL? = nil) {
        self.definition = definition
        self.base = base
        self.sourceURL = sourceURL
        self.artifactBytes = artifactBytes
        self.temporary = temporary
    }
}

/// How the multi-model routes find and load models. The command line gives
/// the closures (it knows the stage kinds, SageMaker's variables and S3);
/// the server decides when to call them and accounts for their memory.
public struct ModelSource: Sendable {
    /// Where models live: a local folder or an `s3://bucket/prefix`. `POST
    /// /models` takes only URLs under it; `X-Amzn-SageMaker-Target-Model`
    /// names a path relative to it, as SageMaker joins TargetModel to the
    /// model's S3 prefix.
    public var root: String
    /// The memory budget in bytes for models loaded through the routes.
    public var budgetBytes: Int
    /// Estimated footprint = artifact bytes × this factor (docs/serving.md
    /// gives the measured ratios it was chosen from).
    public var footprintFactor: Double
    /// Checks `url` is under `root`, fetches it when remote, reads its
    /// definition and sizes its artifacts. Never loads a model.
    public var prepare: @Sendable (_ url: String) async throws -> PreparedModel
    /// Loads the prepared pipeline (the expensive part).
    public var load: @Sendable (PreparedModel) throws -> Pipeline

    public init(root: String, budgetBytes: Int, footprintFactor: Double,
                prepare: @escaping @Sendable (String) async throws -> PreparedModel,
                load: @escaping @Sendable (PreparedModel) throws -> Pipeline) {
        self.root = root
        self.budgetBytes = budgetBytes
        self.footprintFactor = footprintFactor
        self.prepare = prepare
        self.load = load
    }

    /// The URL of a TargetModel: the root joined with the relative path.
    /// Absolute paths, `..` components and empty names are refused (404).
    func url(ofTarget target: String) throws -> String {
        let parts = target.split(separator: "/", omittingEmptySubsequences: false)
        guard !target.isEmpty, target.utf8.count <= 1024, !target.hasPrefix("/"),
              parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
              !target.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            // No model can be there: a 404, which the Runtime API keeps as a ValidationError.
            throw ConveyorError(
                .notFound,
                "no model '\(target.boundedForMessage(100))': X-Amzn-SageMaker-Target-Model is a relative path under the "
                    + "model root without '..' or empty parts")
        }
        return root.hasSuffix("/") ? root + target : root + "/" + target
    }

    /// The estimated footprint of `model`, in bytes; nil when it overflows.
    func footprint(of model: PreparedModel) -> Int? {
        let estimate = (Double(model.artifactBytes) * footprintFactor).rounded(.up)
        guard estimate.isFinite, let bytes = Int(exactly: estimate) else { return nil }
        return bytes
    }
}
