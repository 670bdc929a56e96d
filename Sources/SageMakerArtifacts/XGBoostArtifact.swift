import Archives
import ConveyorCore
import Foundation

/// The model bytes of an XGBoost stage's `model`, which may be a plain
/// model file (JSON, UBJSON, legacy binary) or a SageMaker artifact: a
/// `model.tar.gz` holding `xgboost-model`, itself JSON, UBJSON, legacy
/// binary or a pickled Booster (containers up to about 1.0).
public enum XGBoostArtifact {
    public struct Loaded: Sendable {
        /// The model in one of XGBoost's own formats.
        public let bytes: [UInt8]
        /// How it was stored, for `inspect`: "file", "model.tar.gz", "+ pickled Booster".
        public let packaging: String
    }

    /// The name SageMaker's XGBoost container gives the model inside the artifact.
    public static let memberName = "xgboost-model"

    public static func load(_ url: URL) throws -> Loaded {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw ConveyorError(exists ? .modelCorrupt : .modelNotFound,
                                exists ? "cannot read model file \(url.path)" : "model file \(url.path) does not exist")
        }
        var bytes = [UInt8](data)
        var packaging = "file"
        if bytes.starts(with: [0x1F, 0x8B]) || isTar(bytes) {
            let tree = try ArchiveReader.read(data, source: url.path)
            let members = tree.paths.filter { $0 == memberName || $0.hasSuffix("/" + memberName) }
            guard let member = members.min(by: { $0.count < $1.count }), let content = tree[member] else {
                throw ConveyorError(
                    .modelCorrupt,
                    "SageMaker artifact \(url.path) has no '\(memberName)'; it holds "
                        + tree.paths.prefix(10).map { "'\($0)'" }.joined(separator: ", "))
            }
            bytes = [UInt8](content)
            packaging = "SageMaker model.tar.gz (\(member))"
        }
        if BoosterPickle.looksLikePickle(bytes) {
            bytes = try BoosterPickle.modelBytes(bytes, source: packaging == "file" ? url.path : "\(url.path)!/\(memberName)")
            packaging += ", pickled xgboost Booster"
        }
        return Loaded(bytes: bytes, packaging: packaging)
    }

    private static func isTar(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 262 && Array(bytes[257..<262]) == Array("ustar".utf8)
    }
}
