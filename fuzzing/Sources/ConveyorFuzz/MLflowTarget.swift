import Foundation
import MLflow

/// An MLflow model directory in TREE form (`FileTreeInput`; the bytes alone
/// are the `MLmodel` file): written to a scratch folder, then read as
/// `kind: mlflow` and `--pipeline <model dir>` read it — the MLmodel YAML,
/// the flavour chosen from it, the signature, and the input example.
enum MLflowTarget {
    static func run(_ bytes: [UInt8]) {
        let files = FileTreeInput.parse(bytes)?.files ?? ["MLmodel": Data(bytes)]
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("conveyor-fuzz-mlflow-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, data) in files.prefix(16) {
            // Only plain relative paths: the fuzzer must not write outside the folder.
            let parts = path.split(separator: "/")
            guard !parts.isEmpty, parts.count <= 4, data.count <= 1 << 20,
                  parts.allSatisfy({ $0 != ".." && $0 != "." && $0.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) } })
            else { continue }
            let url = folder.appendingPathComponent(path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? data.write(to: url)
        }
        guard let model = try? MLflowModel(directory: folder) else { return }
        _ = try? model.inputExample()
    }
}
