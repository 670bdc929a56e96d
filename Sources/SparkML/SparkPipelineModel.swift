import Archives
import ConveyorCore
import Foundation

/// A saved Spark ML PipelineModel (or single model, or a CrossValidatorModel /
/// TrainValidationSplitModel serving its best model) directory, with its
/// stages loaded in order. Nested PipelineModels are flattened.
struct SparkPipelineModel: Sendable {
    let metadata: SparkMetadata
    let stages: [any SparkTransformer]
    /// What wrapped the stages (a tuning model's folds and metrics), for `inspect`.
    let wrapperFacts: [Fact]

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

    init(tree: FileTree, directory: String, depth: Int) throws {
        let dir = try SparkStageDirectory(tree: tree, directory: directory)
        metadata = dir.metadata
        guard depth < 8 else { throw metadata.failure("models nested deeper than 8 (pipelines, tuning models)") }
        if SparkValidatorModel.classes.contains(metadata.className) {
            let validator = try SparkValidatorModel(dir, depth: depth)
            stages = validator.best.stages
            wrapperFacts = [validator.fact] + validator.best.wrapperFacts
            return
        }
        try SparkStageFactory.refuseEstimator(metadata)
        wrapperFacts = []
        guard SparkStageFactory.pipelineClasses.contains(metadata.className) else {
            stages = [try SparkStageFactory.load(dir)]
            return
        }
        let uids = try metadata.require(metadata.strings("stageUids"), "stageUids")
        let base = directory.isEmpty ? "stages/" : "\(directory)/stages/"
        let paths = tree.paths
        var loaded: [any SparkTransformer] = []
        for (index, uid) in uids.enumerated() {
            // Only the folders stageUids names are read: others are left over from earlier saves.
            let name = Self.stageFolder(uid: uid, index: index, count: uids.count)
            guard paths.contains(where: { $0.hasPrefix(base + name + "/") }) else {
                throw metadata.failure(Self.missingStageMessage(base: base, name: name, uid: uid, count: uids.count, paths: paths))
            }
            let child = try SparkPipelineModel(tree: tree, directory: base + name, depth: depth + 1)
            loaded += child.stages
        }
        stages = Self.bindingLabels(loaded)
    }

    /// Spark's `SharedReadWrite.getStagePath` (Scala and PySpark alike): the
    /// index zero-padded to the number of digits of the stage count, so a
    /// 12-stage pipeline has `00_<uid>` … `11_<uid>` and a 9-stage one `0_<uid>` … `8_<uid>`.
    static func stageFolder(uid: String, index: Int, count: Int) -> String {
        let digits = String(index)
        let width = String(count).count
        return String(repeating: "0", count: max(0, width - digits.count)) + digits + "_" + uid
    }

    /// Names what Spark's rule expects and, when a folder for the same uid
    /// exists under another index, that it is not the one Spark reads.
    static func missingStageMessage(base: String, name: String, uid: String, count: Int, paths: [String]) -> String {
        var message = "stage directory \(base)\(name) is missing (Spark names stage folders <index>_<uid>, the index "
            + "zero-padded to the \(String(count).count) digit(s) of the stage count \(count))"
        let others = Set(paths.compactMap { path -> String? in
            guard path.hasPrefix(base) else { return nil }
            let folder = path.dropFirst(base.count).prefix { $0 != "/" }
            return folder.hasSuffix("_" + uid) ? String(folder) : nil
        }).sorted()
        if !others.isEmpty {
            message += "; \(others.map { base + $0 }.joined(separator: ", ")) holds the same uid under another index: "
                + "a folder left from an earlier save, which Spark would not read either"
        }
        return message
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
