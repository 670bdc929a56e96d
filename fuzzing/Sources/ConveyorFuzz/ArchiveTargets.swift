@testable import Archives
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

    /// A model.tar.gz (single member, ratio-checked), and the same inflater
    /// as batch transform drives it for gzip inputs: in two chunks, members concatenated.
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
