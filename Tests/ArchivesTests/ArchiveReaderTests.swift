import Archives
import ConveyorCore
import Foundation
import Testing

/// Fixtures are written by Python's zipfile/tarfile/gzip (Fixtures/make_fixtures.py).
private func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
}

private let longPath = "root/" + String(repeating: "x", count: 120) + ".node/model.json"

private func expectCorrupt(_ name: String, mentioning text: String) {
    do {
        _ = try ArchiveReader.read(fixture(name))
        Issue.record("\(name) was read but should have been refused")
    } catch let error as ConveyorError {
        #expect(error.code == .modelCorrupt, "\(error)")
        #expect(error.message.contains(name), "message should name the file: \(error.message)")
        #expect(error.message.contains(text), "expected '\(text)' in: \(error.message)")
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Suite struct ArchiveReaderTests {
    @Test func readsZip() throws {
        let tree = try ArchiveReader.read(fixture("ok.zip"))
        #expect(tree.paths == ["bundle.json", "root/model.json", longPath].sorted())
        #expect(tree["root/model.json"] == Data(#"{"op": "pipeline"}"#.utf8))
    }

    @Test func readsTarGzWithInternalSymlink() throws {
        let tree = try ArchiveReader.read(fixture("ok.tar.gz"))
        #expect(tree["bundle.json"] == Data(#"{"format": "json"}"#.utf8))
        #expect(tree[longPath] == Data("long name".utf8))
        #expect(tree["root/alias.json"] == tree["root/model.json"])
    }

    @Test func readsPaxTar() throws {
        let tree = try ArchiveReader.read(fixture("ok.tar"))
        #expect(Set(tree.paths) == ["bundle.json", "root/model.json", longPath])
    }

    @Test func readsDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archives-\(UUID())")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("root/a.node"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("1".utf8).write(to: dir.appendingPathComponent("bundle.json"))
        try Data("2".utf8).write(to: dir.appendingPathComponent("root/a.node/model.json"))
        let tree = try ArchiveReader.read(dir)
        #expect(tree.paths == ["bundle.json", "root/a.node/model.json"])
    }

    @Test func refusesDirectorySymlinkOutside() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archives-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
        #expect(throws: ConveyorError.self) { try ArchiveReader.read(dir) }
    }

    @Test func refusesZipSlip() { expectCorrupt("slip.zip", mentioning: "escapes") }
    @Test func refusesAbsoluteZipEntry() { expectCorrupt("absolute.zip", mentioning: "absolute") }
    @Test func refusesTarSlip() { expectCorrupt("slip.tar.gz", mentioning: "escapes") }
    @Test func refusesSymlinkOut() { expectCorrupt("symlink-out.tar.gz", mentioning: "outside") }
    @Test func refusesCorruptZip() { expectCorrupt("corrupt.zip", mentioning: "corrupt") }
    @Test func refusesTruncatedZip() { expectCorrupt("truncated.zip", mentioning: "zip") }
    @Test func refusesTruncatedTarGz() { expectCorrupt("truncated.tar.gz", mentioning: "truncated") }
    @Test func refusesNonArchive() { expectCorrupt("not-an-archive.bin", mentioning: "not a zip") }

    @Test func missingFileIsNotFound() {
        do {
            _ = try ArchiveReader.read(fixture("nope.zip"))
            Issue.record("expected an error")
        } catch let error as ConveyorError {
            #expect(error.code == .modelNotFound)
            #expect(error.message.contains("nope.zip"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func capsTotalSize() {
        #expect(throws: ConveyorError.self) {
            try ArchiveReader.read(fixture("ok.tar.gz"), limits: ArchiveLimits(maxTotalBytes: 20))
        }
    }
}
