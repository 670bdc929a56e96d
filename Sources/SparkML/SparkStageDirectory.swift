import Archives
import ConveyorCore
import Parquet

/// One saved stage: its metadata and the files under its directory
/// (`data/*.parquet`, `treesMetadata/`, SparkXGB's `model/`).
struct SparkStageDirectory: Sendable {
    let tree: FileTree
    let directory: String
    let metadata: SparkMetadata

    init(tree: FileTree, directory: String) throws {
        self.tree = tree
        self.directory = directory
        self.metadata = try SparkMetadata.read(tree, directory: directory)
    }

    private func files(in sub: String, suffix: String) -> [String] {
        let prefix = directory.isEmpty ? "\(sub)/" : "\(directory)/\(sub)/"
        return tree.paths.filter { path in
            guard path.hasPrefix(prefix) else { return false }
            let name = path.dropFirst(prefix.count)
            return name.hasPrefix("part-") && name.hasSuffix(suffix) && !name.contains("/")
        }
    }

    /// Every row of `<sub>/part-*.parquet`, in part order.
    func parquetRows(_ sub: String = "data") throws -> [ParquetValue] {
        let paths = files(in: sub, suffix: ".parquet")
        guard !paths.isEmpty else {
            // Seen in copies committed to repositories: the metadata is there, the data was left out.
            throw metadata.failure("'\(tree.source)' has no \(directory.isEmpty ? "" : directory + "/")\(sub)/part-*.parquet "
                + "beside its metadata: the model directory is incomplete (copied without its data files?)")
        }
        var rows: [ParquetValue] = []
        for path in paths {
            rows += try ParquetFile(bytes: [UInt8](try tree.require(path)), source: "\(tree.source)!/\(path)").rows()
        }
        return rows
    }

    /// The lines of `<sub>/part-*` text files (saveAsTextFile output).
    func textLines(_ sub: String) throws -> [String] {
        let paths = files(in: sub, suffix: "")
        guard !paths.isEmpty else { throw metadata.failure("'\(tree.source)' has no \(directory)/\(sub)/part-*") }
        return try paths.flatMap { path in
            String(decoding: try tree.require(path), as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }

    /// The single data row most models save.
    func singleRow() throws -> ParquetValue {
        let rows = try parquetRows()
        guard rows.count == 1 else { throw metadata.failure("expected one data row, found \(rows.count)") }
        return rows[0]
    }

    func what(_ column: String) -> String { "\(metadata.className) '\(metadata.uid)' data column '\(column)'" }
}
