@testable import Archives
import ConveyorCore
import Foundation
import LightGBM
@testable import MLeap
import Parquet
@testable import SageMakerArtifacts
@testable import SparkML
@testable import XGBoost

/// Model loaders, each up to the point where a model would be handed to
/// libxgboost (which does not validate what it is given).
enum ModelTargets {
    /// A zip or (gzipped) tar bundle, or a directory-shaped one (`FileTreeInput`):
    /// bundle.json, the node JSON and every transformer built from it.
    static func mleapBundle(_ bytes: [UInt8]) {
        let tree = FileTreeInput.parse(bytes) ?? (try? ArchiveReader.read(Data(bytes), source: "fuzz-bundle.zip"))
        guard let tree, let bundle = try? MLeapBundle(tree: tree) else { return }
        _ = try? MLeapStage(name: "fuzz", bundle: bundle, schema: nil)
    }

    /// A whole PipelineModel directory (`FileTreeInput`), or else the bytes as
    /// one stage's `metadata/part-00000`.
    static func sparkMetadata(_ bytes: [UInt8]) {
        let tree = FileTreeInput.parse(bytes)
            ?? FileTree(source: "fuzz-spark", files: ["metadata/part-00000": Data(bytes)])
        _ = try? SparkMetadata.read(tree, directory: "")
        _ = try? SparkPipelineModel(tree: tree)
    }

    static func parquet(_ bytes: [UInt8]) {
        if let file = try? ParquetFile(bytes: bytes, source: "fuzz.parquet") {
            _ = file.columnNames
            _ = try? file.rows()
        }
        // The data-file reader of `transform`: every readable column of every row group.
        guard let data = try? ParquetDataFile(reader: ParquetMemorySource(bytes), source: "fuzz.parquet") else { return }
        let readable = data.columnNames.filter { (try? data.columnType($0)) != nil }
        for group in 0..<data.rowGroupCount {
            _ = data.rowGroupStart(group)
            _ = try? data.readRowGroup(group, columns: readable)
        }
    }

    /// Everything `Booster` does before libxgboost sees a model: format
    /// detection, the parse, the parser-agreement checks and the tree and
    /// size checks (JSON, UBJSON and legacy binary), then the objective lookup.
    static func xgboost(_ bytes: [UInt8]) {
        guard let stored = try? Booster.readStoredParameters(bytes, format: ModelFormat.detect(bytes)),
              let name = stored.objectiveName else { return }
        _ = Objective(name: name)
    }

    /// A LightGBM text model: the parse, the tree and bit-set checks, the
    /// engine's compile, then two rows predicted.
    static func lightgbm(_ bytes: [UInt8]) {
        guard let model = try? LightGBMModel(bytes: bytes, source: "fuzz.txt") else { return }
        _ = try? model.predictions([Double](repeating: 0.5, count: model.numFeature) + [Double](repeating: .nan, count: model.numFeature),
                                   rows: 2)
    }

    /// The restricted pickle machine; a Booster it yields goes on to the XGBoost parse.
    static func pickle(_ bytes: [UInt8]) {
        _ = BoosterPickle.looksLikePickle(bytes)
        guard let model = try? BoosterPickle.modelBytes(bytes, source: "fuzz.pkl") else { return }
        xgboost(model)
    }
}
