#!/usr/bin/env python3
"""Writes the archive fixtures for ArchivesTests with Python's own zipfile,
tarfile and gzip modules (real producers, not our code). Run from this
directory: python3 make_fixtures.py"""
import gzip, io, tarfile, zipfile

FILES = {"bundle.json": b'{"format": "json"}', "root/model.json": b'{"op": "pipeline"}',
         "root/" + "x" * 120 + ".node/model.json": b"long name"}

def zip_bytes(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()

def tar_bytes(entries, links=(), fmt=tarfile.GNU_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        d = tarfile.TarInfo("root"); d.type = tarfile.DIRTYPE; t.addfile(d)
        for name, data in entries.items():
            info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
        for name, target in links:
            info = tarfile.TarInfo(name); info.type = tarfile.SYMTYPE; info.linkname = target; t.addfile(info)
    return buf.getvalue()

def gz(data):
    return gzip.compress(data, mtime=0)

def write(name, data):
    with open(name, "wb") as f:
        f.write(data)

ok_zip = zip_bytes(FILES)
write("ok.zip", ok_zip)
write("slip.zip", zip_bytes({"bundle.json": b"{}", "../evil.txt": b"owned"}))
write("absolute.zip", zip_bytes({"/tmp/evil.txt": b"owned"}))
# Flip bytes inside the first entry's compressed data: the CRC check must fail.
corrupt = bytearray(ok_zip); start = 30 + len("bundle.json")
for i in range(start, start + 6): corrupt[i] ^= 0xFF
write("corrupt.zip", bytes(corrupt))
write("truncated.zip", ok_zip[: len(ok_zip) // 2])

ok_tar = tar_bytes(FILES, links=[("root/alias.json", "model.json")])
write("ok.tar", tar_bytes(FILES, fmt=tarfile.PAX_FORMAT))
write("ok.tar.gz", gz(ok_tar))
write("truncated.tar.gz", gz(ok_tar)[: len(gz(ok_tar)) * 2 // 3])
write("slip.tar.gz", gz(tar_bytes({"../../evil.txt": b"owned"})))
write("symlink-out.tar.gz", gz(tar_bytes(FILES, links=[("root/passwd", "../../etc/passwd")])))
write("not-an-archive.bin", b"hello, this is not an archive\n" * 20)

# Hostile archives (issue 10), small enough to commit. Full-size versions:
# fuzzing/hostile/make_artifacts.py.
ZEROS = bytes(48 << 20)  # 48 MiB: past the 32 MiB ratio floor, ~1000:1 compressed
write("bomb.tar.gz", gz(tar_bytes({"xgboost-model": ZEROS})))
bomb_zip = zip_bytes({"xgboost-model": ZEROS})
write("bomb.zip", bomb_zip)

def lie_about_size(zip_data, declared):
    """Rewrites the uncompressed size in the local and central headers."""
    out = bytearray(zip_data)
    out[22:26] = declared.to_bytes(4, "little")  # local file header
    central = out.rfind(b"PK\x01\x02")
    out[central + 24:central + 28] = declared.to_bytes(4, "little")
    return bytes(out)

# The headers say 1000 bytes; the deflate stream holds 48 MiB.
write("lying-size.zip", lie_about_size(bomb_zip, 1000))

def overlapping_zip(count):
    """One deflated member, `count` central directory entries pointing at it
    (the overlapping-file zip bomb): each entry inflates the same 48 MiB."""
    one = zip_bytes({"m": ZEROS})
    central = one.rfind(b"PK\x01\x02")
    end = one.rfind(b"PK\x05\x06")
    local, record = one[:central], one[central:end]
    entries = b""
    for i in range(count):
        name = b"m%04d" % i
        r = bytearray(record[:46]); r[28:30] = len(name).to_bytes(2, "little")
        entries += bytes(r) + name
    eocd = bytearray(one[end:end + 22])
    eocd[8:10] = count.to_bytes(2, "little"); eocd[10:12] = count.to_bytes(2, "little")
    eocd[12:16] = len(entries).to_bytes(4, "little"); eocd[16:20] = len(local).to_bytes(4, "little")
    return local + entries + bytes(eocd)

write("overlap.zip", overlapping_zip(200))
# An MLeap bundle whose bundle.json inflates past the 16 MiB metadata-file limit.
write("bundle-json-bomb.zip", zip_bytes({"bundle.json": b" " * (20 << 20), "root/model.json": b"{}"}))
# A bomb beside 512 KiB of incompressible bytes: under 100:1 in total, 1000:1 for its own entry.
import random
write("padded-bomb.zip", zip_bytes({"padding.bin": random.Random(10).randbytes(512 << 10), "xgboost-model": ZEROS}))
