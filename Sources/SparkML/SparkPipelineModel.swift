import Archives
import ConveyorCore
import Foundation

/// A saved Spark ML PipelineModel (or single model) directory, with its
/// stages loaded in order. Nested PipelineModels are flattened.
struct SparkPipelineModel: Sendable {
    let metadata: SparkMetadata
    let stages: [any SparkTransformer]

    init(tree: FileTree) throws {
        // The model may sit below a top-level folder (as in a tar.gz): take the
        // shallowest metadata/part-00000.
        let candidates = tree.paths.filter {
            ($0.hasPrefix("metadata/part-00000") || $0.contains("/metadata/part-00000")) && !$0.hasSuffix(".crc")
        }
        guard let shallowest = candidates.min(by: { $0.split(separator: "/").count < $1.split(separator: "/").count }) else {
            throw ConveyorError(.modelCorrupt, "'\(tree.source)' is not a Spark ML model directory: no metadata/part-00000")
        }
        let root = shallowest.range(of: "/metadata/").map { String(shallowest[..<$0.lowerBound]) } ?? ""
        try self.init(tree: tree, directory: root, depth: 0)
    }

    private init(tree: FileTree, directory: String, depth: Int) throws {
        let dir = try SparkStageDirectory(tree: tree, directory: directory)
        metadata = dir.metadata
        guard SparkStageFactory.pipelineClasses.contains(metadata.className) else {
            stages = [try SparkStageFactory.load(dir)]
            return
        }
        guard depth < 8 else { throw metadata.failure("PipelineModels nested deeper than 8") }
        let uids = try metadata.require(metadata.strings("stageUids"), "stageUids")
        let base = directory.isEmpty ? "stages/" : "\(directory)/stages/"
        var loaded: [any SparkTransformer] = []
        for (index, uid) in uids.enumerated() {
            let name = "\(index)_\(uid)"
            guard tree.paths.contains(where: { $0.hasPrefix(base + name + "/") }) else {
                throw metadata.failure("stage directory \(base)\(name) is missing")
            }
            let child = try SparkPipelineModel(tree: tree, directory: base + name, depth: depth + 1)
            loaded += child.stages
        }
        stages = Self.bindingLabels(loaded)
    }

    /// IndexToString without a `labels` param takes the labels Spark put in the
    /// column's attributes: those of the StringIndexer that produced it (plus
    /// "__unknown" under handleInvalid=keep).
    static func bindingLabels(_ stages: [any SparkTransformer]) -> [any SparkTransformer] {
        var out = stages
        for (index, stage) in stages.enumerated() {
            guard var decoder = stage as? IndexToString, decoder.labels == nil else { continue }
            for earlier in stages[..<index].reversed() {
                guard let indexer = earlier as? StringIndexerModel,
                      let position = indexer.pairs.firstIndex(where: { $0.output == decoder.input }) else { continue }
                decoder.labels = indexer.labels[position] + (indexer.handleInvalid == .keep ? ["__unknown"] : [])
                out[index] = decoder
                break
            }
        }
        return out
    }
}
