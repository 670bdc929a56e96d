import Archives
import ConveyorCore
import Foundation
import Testing

/// Hostile archives (issue 10): each must be refused with a message, in
/// bounded memory, never read whole and never a crash. Tars are built here
/// byte by byte; compressed bombs are small fixtures from make_fixtures.py.
private func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
}

/// One ustar header block with a valid checksum; `size` overrides the size field bytes.
private func tarHeader(_ name: String, type: Character = "0", size: Int = 0, link: String = "",
                       rawSize: [UInt8]? = nil) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, _ at: Int) { for (i, b) in text.utf8.enumerated() { block[at + i] = b } }
    put(name, 0)
    put("0000644", 100)
    put(String(format: "%011o", size), 124)
    if let rawSize { block.replaceSubrange(124..<136, with: rawSize) }
    block[156] = UInt8(ascii: type.unicodeScalars.first ?? "0")
    put(link, 157)
    put("ustar", 257)
    put("00", 263)
    let sum = block.enumerated().reduce(0) { $0 + (148..<156 ~= $1.offset ? 32 : Int($1.element)) }
    put(String(format: "%06o", sum) + "\0 ", 148)
    return block
}

private func tar(_ entries: [(header: [UInt8], body: [UInt8])]) -> Data {
    var out: [UInt8] = []
    for entry in entries {
        out += entry.header + entry.body
        out += [UInt8](repeating: 0, count: (512 - entry.body.count % 512) % 512)
    }
    return Data(out + [UInt8](repeating: 0, count: 1024))
}

private func expectRefused(_ read: () throws -> FileTree, mentioning text: String) {
    do {
        let tree = try read()
        Issue.record("read \(tree.paths.count) files but should have been refused")
    } catch let error as ConveyorError {
        #expect(error.code == .modelCorrupt, "\(error)")
        #expect(error.message.contains(text), "expected '\(text)' in: \(error.message)")
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Suite struct HostileArchiveTests {
    @Test func gnuBase256SizeOfIntMaxIsRefused() {
        // 0x80 marker then 2^63-1: used to overflow offset + size (SIGILL).
        let raw: [UInt8] = [0x80, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        let data = tar([(tarHeader("model.json", rawSize: raw), Array("{}".utf8))])
        expectRefused({ try ArchiveReader.read(data, source: "huge.tar") }, mentioning: "size out of range")
    }

    @Test func gnuBase256SizeJustBelowTheCapIsChargedNotTrusted() {
        // 2^40 bytes declared, two present: refused by the total limit before any body is read.
        let raw: [UInt8] = [0x80, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0]
        let data = tar([(tarHeader("weights.bin", rawSize: raw), Array("{}".utf8))])
        expectRefused({ try ArchiveReader.read(data, source: "big.tar") }, mentioning: "over the limit of 2147483648 bytes for one file")
    }

    @Test func negativeBase256SizeIsRefused() {
        let raw = [UInt8](repeating: 0xFF, count: 12)
        let data = tar([(tarHeader("model.json", rawSize: raw), [])])
        expectRefused({ try ArchiveReader.read(data, source: "neg.tar") }, mentioning: "size out of range")
    }

    @Test func linksToDotAreChargedToTheEntryLimit() {
        // Each link to "." copies every file so far: 40 links would make 2^40 files.
        var entries: [(header: [UInt8], body: [UInt8])] = [(tarHeader("d/f", size: 1), [0x31])]
        for index in 0..<40 { entries.append((tarHeader("d/l\(index)", type: "2", link: "."), [])) }
        let data = tar(entries)
        #expect(data.count < 24 * 1024)
        let limits = ArchiveLimits(maxEntries: 10_000)
        expectRefused({ try ArchiveReader.read(data, source: "links.tar", limits: limits) }, mentioning: "entries")
        // With the default limits too, and quickly: the copies are charged as they are made.
        expectRefused({ try ArchiveReader.read(data, source: "links.tar") }, mentioning: "entries")
    }

    @Test func linkCopiesAreChargedToTheByteLimit() {
        let body = [UInt8](repeating: 0x41, count: 1000)
        var entries: [(header: [UInt8], body: [UInt8])] = [(tarHeader("a", size: body.count), body)]
        for index in 0..<5 { entries.append((tarHeader("b\(index)", type: "1", link: "a"), [])) }
        let data = tar(entries)
        expectRefused(
            { try ArchiveReader.read(data, source: "hard.tar", limits: ArchiveLimits(maxTotalBytes: 4000)) },
            mentioning: "more than 4000 bytes")
        // Within the limit the copies are read as before.
        let tree = try? ArchiveReader.read(data, source: "hard.tar", limits: ArchiveLimits(maxTotalBytes: 6000))
        #expect(tree?.paths == ["a", "b0", "b1", "b2", "b3", "b4"])
        #expect(tree?["b4"] == Data(body))
    }

    @Test(arguments: [("/etc/passwd", "2"), ("../../etc/passwd", "2"), ("../x", "1"), ("/etc/passwd", "1")])
    func linksPointingOutsideAreRefused(_ target: String, _ type: String) {
        let data = tar([(tarHeader("root/model.json", size: 2), Array("{}".utf8)),
                        (tarHeader("root/link", type: Character(type), link: target), [])])
        do {
            _ = try ArchiveReader.read(data, source: "out.tar")
            Issue.record("a link to \(target) was accepted")
        } catch let error as ConveyorError {
            #expect(error.code == .modelCorrupt)
            #expect(["outside", "escapes", "absolute"].contains { error.message.contains($0) }, "\(error.message)")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func linkBodiesAreSkippedNotHeld() {
        // A symlink that declares a 1 GiB body it does not have: truncated, not allocated.
        let data = tar([(tarHeader("l", type: "2", size: 1 << 30, link: "x"), [])])
        expectRefused({ try ArchiveReader.read(data, source: "linkbody.tar") }, mentioning: "truncated")
    }

    @Test func oversizedLongNameRecordIsRefused() {
        let data = tar([(tarHeader("././@LongLink", type: "L", size: 1 << 20), [])])
        expectRefused({ try ArchiveReader.read(data, source: "longname.tar") }, mentioning: "name record")
    }

    @Test func gzipBombIsRefusedByItsRatio() {
        // 48 MiB of zeros in 49 KB: refused once the output passes the 32 MiB floor.
        expectRefused({ try ArchiveReader.read(fixture("bomb.tar.gz")) }, mentioning: "decompression bomb")
        // A lower floor refuses it sooner, and a generous ratio lets it through.
        expectRefused(
            { try ArchiveReader.read(fixture("bomb.tar.gz"), limits: ArchiveLimits(ratioFloorBytes: 1 << 20)) },
            mentioning: "inflates more than 100 times")
        let tree = try? ArchiveReader.read(fixture("bomb.tar.gz"), limits: ArchiveLimits(maxCompressionRatio: 2000))
        #expect(tree?["xgboost-model"]?.count == 48 << 20)
    }

    @Test func zipBombIsRefusedFromItsDeclaredSizes() {
        expectRefused({ try ArchiveReader.read(fixture("bomb.zip")) }, mentioning: "decompression bomb")
        let tree = try? ArchiveReader.read(fixture("bomb.zip"), limits: ArchiveLimits(maxCompressionRatio: 2000))
        #expect(tree?["xgboost-model"]?.count == 48 << 20)
    }

    @Test func zipBombBesideIncompressiblePaddingIsRefusedByItsOwnRatio() {
        // 48.5 MiB from 0.57 MB in total (89:1), but the zeros entry alone is 1000:1.
        expectRefused({ try ArchiveReader.read(fixture("padded-bomb.zip")) }, mentioning: "decompression bomb")
    }

    @Test func zipEntryInflatingPastItsDeclaredSizeIsRefused() {
        expectRefused({ try ArchiveReader.read(fixture("lying-size.zip")) }, mentioning: "1000")
    }

    @Test func overlappingZipBombIsRefusedBeforeInflating() {
        // 200 entries share one 48 MiB member: 9.6 GB declared from 59 KB.
        expectRefused({ try ArchiveReader.read(fixture("overlap.zip")) }, mentioning: "more than")
    }

    @Test func metadataFilesHaveTheirOwnLimitInTars() {
        // bundle.json declared at 1 GiB: refused by its 16 MiB limit, before its body.
        let data = tar([(tarHeader("b/bundle.json", size: 1 << 30), [])])
        expectRefused({ try ArchiveReader.read(data, source: "meta.tar") }, mentioning: "metadata file")
    }

    @Test func oversizedBundleJsonIsRefusedBeforeInflating() {
        expectRefused(
            { try ArchiveReader.read(fixture("bundle-json-bomb.zip"), limits: ArchiveLimits(maxCompressionRatio: 5000)) },
            mentioning: "metadata file")
    }

    @Test func truncatedBodyIsRefused() {
        var bytes = [UInt8](tar([(tarHeader("a", size: 2000), [UInt8](repeating: 1, count: 2000))]))
        bytes.removeLast(1024 + 1500)
        expectRefused({ try ArchiveReader.read(Data(bytes), source: "cut.tar") }, mentioning: "truncated")
    }

    /// Found by fuzzing/run.sh zip: reads seeking past the end of these made
    /// ZIPFoundation's in-memory reader trap. Read through a file they are an
    /// error or entries whose CRC-32 checked out, never a trap.
    @Test(arguments: ["fuzz-offset-past-end-1.zip", "fuzz-offset-past-end-2.zip"])
    func zipReadsPastTheEndAreNotATrap(_ name: String) throws {
        let data = try Data(contentsOf: fixture(name))
        do {
            let tree = try ArchiveReader.read(data, source: name)
            _ = tree  // what fails here is a trap, which ends the test process
        } catch let error as ConveyorError {
            #expect(error.code == .modelCorrupt, "\(error)")
        }
    }
}
