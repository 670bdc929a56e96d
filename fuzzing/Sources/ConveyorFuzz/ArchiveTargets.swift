@testable import Archives
@testable import BatchTransform
import Foundation

/// Model archives with the limits `conveyor` uses (the defaults).
enum ArchiveTargets {
    static func zip(_ bytes: [UInt8]) {
        _ = try? ArchiveReader.readZip(Data(bytes), source: "fuzz.zip", limits: .default)
        _ = try? ArchiveReader.read(Data(bytes), source: "fuzz.zip")
    }

    static func tar(_ bytes: [UInt8]) {
        _ = try? TarReader.read(Data(bytes), source: "fuzz.tar", limits: .default)
    }

    /// The whole-archive inflater (model.tar.gz) and batch transform's
    /// streaming one (gzip inputs), fed in two chunks.
    static func gzip(_ bytes: [UInt8]) {
        _ = try? ArchiveReader.read(Data(bytes), source: "fuzz.tar.gz")
        guard let inflater = try? GzipInflater(source: "fuzz.gz") else { return }
        let half = bytes.count / 2
        do {
            _ = try inflater.inflate(Array(bytes[..<half]))
            _ = try inflater.inflate(Array(bytes[half...]))
            try inflater.finish()
        } catch {}
    }
}
