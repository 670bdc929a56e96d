#!/usr/bin/env python3
"""Builds the hostile model files of docs/hostile-inputs.md ("Hostile model files") into a folder,
each with a one-stage pipeline JSON pointing at it. Python 3 standard library only.

Usage: python3 fuzzing/hostile/make_artifacts.py OUT_DIR
Then:  fuzzing/hostile/run.sh OUT_DIR   (runs `conveyor validate` on each pipeline, prints table rows)

Every artifact is written byte by byte or with Python's own zlib/zipfile/tarfile, never with Conveyor.
Large outputs are streamed (the 4 GiB of zeros are never held in memory here either).
"""
import io
import json
import os
import shutil
import struct
import sys
import tarfile
import zipfile
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MiB, GiB = 1 << 20, 1 << 30


# --- tar and gzip ---------------------------------------------------------------------------

def tar_header(name, size=0, type_=b"0", link=b"", raw_size=None):
    """One ustar header block with a valid checksum; raw_size replaces the 12 size bytes."""
    block = bytearray(512)
    block[0:len(name)] = name
    block[100:107] = b"0000644"
    block[124:136] = raw_size if raw_size is not None else b"%011o\0" % size
    block[156:157] = type_
    block[157:157 + len(link)] = link
    block[257:263] = b"ustar\0"
    block[263:265] = b"00"
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def padded(body):
    return body + b"\0" * (-len(body) % 512)


def write_gzip_stream(path, chunks):
    """Gzip (RFC 1952) of the concatenated chunks, streamed."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + 15)
    with open(path, "wb") as out:
        for chunk in chunks:
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())


def zeros(count, step=16 * MiB):
    block = bytes(step)
    while count > 0:
        yield block[:min(step, count)]
        count -= step


def tar_of_zeros(name, size):
    yield tar_header(name, size)
    yield from zeros(size)
    yield b"\0" * (-size % 512) + b"\0" * 1024


# --- zip --------------------------------------------------------------------------------------

def deflate_raw(chunks):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        out.append(compressor.compress(chunk))
    out.append(compressor.flush())
    return b"".join(out), crc, size


def overlapping_zip(path, member_size, count):
    """One deflated member of zeros and `count` central directory entries pointing at it: the
    overlapping-file zip bomb (each entry inflates the same data). Zip64 sizes when needed."""
    data, crc, size = deflate_raw(zeros(member_size))
    zip64 = size >= 0xFFFFFFFF
    extra_local = struct.pack("<HHQQ", 1, 16, size, len(data)) if zip64 else b""
    name = b"m"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0, crc,
                        0xFFFFFFFF if zip64 else len(data), 0xFFFFFFFF if zip64 else size,
                        len(name), len(extra_local)) + name + extra_local + data
    central = b""
    for i in range(count):
        entry = b"m%05d" % i
        extra = struct.pack("<HHQQ", 1, 16, size, len(data)) if zip64 else b""
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0, crc,
                               0xFFFFFFFF if zip64 else len(data), 0xFFFFFFFF if zip64 else size,
                               len(entry), len(extra), 0, 0, 0, 0, 0) + entry + extra
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(local), 0)
    with open(path, "wb") as f:
        f.write(local + central + eocd)


def zip_files(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in files.items():
            z.writestr(name, data)


def zip_streamed_member(path, name, chunks):
    """A zip with one member whose content is streamed (for the 2 GiB bundle.json)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9, allowZip64=True) as z:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as member:
            for chunk in chunks:
                member.write(chunk)


def mleap_bundle(path, op, attributes):
    """A bundle zip with one node under the root pipeline."""
    files = {
        "bundle.json": json.dumps({"format": "json", "name": "hostile", "version": "0.23.0", "uid": "x"}),
        "root/model.json": json.dumps({"op": "pipeline", "attributes": {"nodes": {"type": "list", "string": ["n"]}}}),
        "root/node.json": json.dumps({"name": "pipeline", "shape": {"inputs": [], "outputs": []}}),
        "root/n.node/model.json": json.dumps({"op": op, "attributes": attributes}),
        "root/n.node/node.json": json.dumps({"name": "n", "shape": {
            "inputs": [{"port": "input", "name": "x"}], "outputs": [{"port": "output", "name": "y"}]}}),
    }
    zip_files(path, files)


# --- pickles ------------------------------------------------------------------------------------

def pickles(out):
    proto2 = b"\x80\x02"
    with open(os.path.join(out, "pickle-inst-opcode.pkl"), "wb") as f:
        # INST subprocess.Popen: a foreign opcode (refused, nothing runs).
        f.write(b"(S'sh'\nS'-c'\nS'touch /tmp/conveyor-hostile-marker'\nisubprocess\nPopen\n.")
    with open(os.path.join(out, "pickle-newobj-ex.pkl"), "wb") as f:
        f.write(proto2 + b"N)}\x92.")
    with open(os.path.join(out, "pickle-deep-nesting.pkl"), "wb") as f:
        f.write(proto2 + b"N" + b"\x85" * 1_000_000 + b".")
    with open(os.path.join(out, "pickle-million-appends.pkl"), "wb") as f:
        f.write(proto2 + b"]q\x00" + b"Na" * 1_000_000 + b".")
    with open(os.path.join(out, "pickle-binbytes8-2p62.pkl"), "wb") as f:
        f.write(proto2 + b"\x8e" + struct.pack("<Q", 1 << 62) + b"AA.")


# --- parquet ------------------------------------------------------------------------------------

class Thrift:
    """Thrift compact protocol: just what a Parquet footer and page header need."""

    def __init__(self):
        self.out = bytearray()
        self.last = [0]

    def varint(self, v):
        while v >= 0x80:
            self.out.append(v & 0x7F | 0x80)
            v >>= 7
        self.out.append(v)

    def zigzag(self, v):
        self.varint((v << 1) ^ (v >> 63) if v < 0 else v << 1)

    def field(self, fid, type_):
        delta = fid - self.last[-1]
        if 0 < delta <= 15:
            self.out.append(delta << 4 | type_)
        else:
            self.out.append(type_)
            self.zigzag(fid)
        self.last[-1] = fid

    def int(self, fid, v, wide=False):
        self.field(fid, 6 if wide else 5)
        self.zigzag(v)

    def string(self, fid, text):
        self.field(fid, 8)
        self.varint(len(text))
        self.out += text

    def begin(self, fid=None):
        if fid is not None:
            self.field(fid, 12)
        self.last.append(0)

    def end(self):
        self.out.append(0)
        self.last.pop()

    def list(self, fid, type_, count):
        self.field(fid, 9)
        self.out.append(count << 4 | type_)


def parquet(num_values, page_values, uncompressed, body, codec):
    """One required INT64 column `x`, one row group, one v1 data page."""
    page = Thrift()
    page.int(1, 0)
    page.int(2, uncompressed)
    page.int(3, len(body))
    page.begin(5)
    page.int(1, page_values); page.int(2, 0); page.int(3, 3); page.int(4, 3)
    page.end()
    page.out.append(0)
    chunk = bytes(page.out) + body
    f = Thrift()
    f.int(1, 1)
    f.list(2, 12, 2)
    f.begin(); f.string(4, b"spark_schema"); f.int(5, 1); f.end()
    f.begin(); f.int(1, 2); f.int(3, 0); f.string(4, b"x"); f.end()
    f.int(3, num_values, wide=True)
    f.list(4, 12, 1)
    f.begin()
    f.list(1, 12, 1)
    f.begin()
    f.int(2, 4, wide=True)
    f.begin(3)
    f.int(1, 2)
    f.list(2, 5, 1); f.zigzag(0)
    f.list(3, 8, 1); f.varint(1); f.out += b"x"
    f.int(4, codec)
    f.int(5, num_values, wide=True)
    f.int(6, len(chunk), wide=True)
    f.int(7, len(chunk), wide=True)
    f.int(9, 4, wide=True)
    f.end()
    f.end()
    f.int(2, len(chunk), wide=True)
    f.int(3, num_values, wide=True)
    f.end()
    f.out.append(0)
    return b"PAR1" + chunk + bytes(f.out) + struct.pack("<I", len(f.out)) + b"PAR1"


def spark_tree(out, name, nodes, num_features=3):
    """A Spark DecisionTreeRegressionModel directory whose node rows are `nodes`:
    (id, prediction, left, right, feature, threshold). Uncompressed PLAIN pages."""
    def plain(kind, values):
        return b"".join(struct.pack("<i" if kind == 1 else "<d", v) for v in values)
    n = len(nodes)
    columns = [  # (path, physical type, values, levels or None)
        (["id"], 1, [x[0] for x in nodes], None),
        (["prediction"], 5, [float(x[1]) for x in nodes], None),
        (["leftChild"], 1, [x[2] for x in nodes], None),
        (["rightChild"], 1, [x[3] for x in nodes], None),
        (["split", "featureIndex"], 1, [x[4] for x in nodes], None),
        (["split", "leftCategoriesOrThreshold", "list", "element"], 5, [float(x[5]) for x in nodes],
         # one element per row: repetition levels all 0, definition levels all 1 (RLE runs of n)
         struct.pack("<I", 2) + bytes([n << 1, 0]) + struct.pack("<I", 2) + bytes([n << 1, 1])),
        (["split", "numCategories"], 1, [-1] * n, None),
    ]
    body = b"PAR1"
    metas = []
    for path, kind, values, levels in columns:
        data = (levels or b"") + plain(kind, values)
        page = Thrift()
        page.int(1, 0); page.int(2, len(data)); page.int(3, len(data))
        page.begin(5); page.int(1, n); page.int(2, 0); page.int(3, 3); page.int(4, 3); page.end()
        page.out.append(0)
        metas.append((path, kind, len(body), len(page.out) + len(data)))
        body += bytes(page.out) + data
    f = Thrift()
    f.int(1, 1)
    elements = [(b"spark_schema", None, 0, 5, None), (b"id", 1, 0, None, None), (b"prediction", 5, 0, None, None),
                (b"leftChild", 1, 0, None, None), (b"rightChild", 1, 0, None, None), (b"split", None, 0, 3, None),
                (b"featureIndex", 1, 0, None, None), (b"leftCategoriesOrThreshold", None, 0, 1, 3),
                (b"list", None, 2, 1, None), (b"element", 5, 0, None, None), (b"numCategories", 1, 0, None, None)]
    f.list(2, 12, len(elements))
    for ename, kind, repetition, children, converted in elements:
        f.begin()
        if kind is not None:
            f.int(1, kind)
        f.int(3, repetition)
        f.string(4, ename)
        if children is not None:
            f.int(5, children)
        if converted is not None:
            f.int(6, converted)
        f.end()
    f.int(3, n, wide=True)
    f.list(4, 12, 1)
    f.begin()
    f.list(1, 12, len(metas))
    for path, kind, offset, size in metas:
        f.begin()
        f.int(2, offset, wide=True)
        f.begin(3)
        f.int(1, kind)
        f.list(2, 5, 1); f.zigzag(0)
        f.list(3, 8, len(path))
        for part in path:
            f.varint(len(part)); f.out += part.encode()
        f.int(4, 0)
        f.int(5, n, wide=True)
        f.int(6, size, wide=True)
        f.int(7, size, wide=True)
        f.int(9, offset, wide=True)
        f.end()
        f.end()
    f.int(2, len(body), wide=True)
    f.int(3, n, wide=True)
    f.end()
    f.out.append(0)
    parquet_bytes = body + bytes(f.out) + struct.pack("<I", len(f.out)) + b"PAR1"
    target = os.path.join(out, name)
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(os.path.join(target, "metadata"))
    os.makedirs(os.path.join(target, "data"))
    metadata = {"class": "org.apache.spark.ml.regression.DecisionTreeRegressionModel", "timestamp": 0,
                "sparkVersion": "3.5.0", "uid": "DecisionTreeRegressor_hostile",
                "paramMap": {"featuresCol": "features", "predictionCol": "prediction"},
                "defaultParamMap": {"featuresCol": "features", "predictionCol": "prediction"},
                "numFeatures": num_features}
    with open(os.path.join(target, "metadata", "part-00000"), "w") as m:
        m.write(json.dumps(metadata) + "\n")
    with open(os.path.join(target, "data", "part-00000.parquet"), "wb") as d:
        d.write(parquet_bytes)


def spark_with_data(out, name, data):
    """The repo's car-evaluation Spark PipelineModel with its first stage's data replaced."""
    target = os.path.join(out, name)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "models", "car-evaluation-spark", "pipeline"), target)
    stages = os.path.join(target, "stages")
    first = sorted(os.listdir(stages))[0]
    data_dir = os.path.join(stages, first, "data")
    for entry in os.listdir(data_dir):
        if entry.endswith(".parquet") or entry.endswith(".parquet.crc"):
            os.remove(os.path.join(data_dir, entry))
    with open(os.path.join(data_dir, "part-00000-hostile.snappy.parquet"), "wb") as f:
        f.write(data)
    return target


# --- the list -----------------------------------------------------------------------------------

def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = os.path.abspath(sys.argv[1])
    os.makedirs(out, exist_ok=True)
    made = []  # (artifact, stage kind, how it is made)

    def add(name, kind, how):
        made.append((name, kind, how))
        stage = {"name": "model", "kind": kind, "model": name}
        with open(os.path.join(out, name + ".pipeline.json"), "w") as f:
            json.dump({"name": "hostile", "stages": [stage]}, f)

    int_max = b"\x80\0\0\x7f" + b"\xff" * 8
    write_gzip_stream(os.path.join(out, "tar-size-2p63.tar.gz"),
                      [tar_header(b"xgboost-model", raw_size=int_max), b"{}" + b"\0" * 510, b"\0" * 1024])
    add("tar-size-2p63.tar.gz", "xgboost", "tar.gz whose header declares a GNU base-256 size of 2^63-1")

    links = [tar_header(b"d/", type_=b"5"), tar_header(b"d/xgboost-model", 2), padded(b"{}")]
    links += [tar_header(b"d/l%02d" % i, type_=b"2", link=b".") for i in range(40)]
    write_gzip_stream(os.path.join(out, "tar-links-to-dot.tar.gz"), links + [b"\0" * 1024])
    add("tar-links-to-dot.tar.gz", "xgboost", "40 symlinks to `.` (each doubles the files)")

    outside = [tar_header(b"xgboost-model", type_=b"2", link=b"../../../../etc/passwd"), b"\0" * 1024]
    write_gzip_stream(os.path.join(out, "tar-symlink-outside.tar.gz"), outside)
    add("tar-symlink-outside.tar.gz", "xgboost", "xgboost-model is a symlink to ../../../../etc/passwd")

    write_gzip_stream(os.path.join(out, "gzip-bomb-4g.tar.gz"), tar_of_zeros(b"xgboost-model", 4 * GiB))
    add("gzip-bomb-4g.tar.gz", "xgboost", "tar.gz holding a 4 GiB file of zeros")

    write_gzip_stream(os.path.join(out, "gzip-bomb-1.9g.tar.gz"), tar_of_zeros(b"xgboost-model", 1900 * MiB))
    add("gzip-bomb-1.9g.tar.gz", "xgboost", "tar.gz holding 1.9 GiB of zeros (declared size within the 2 GiB limit)")

    overlapping_zip(os.path.join(out, "zip-overlap-11g.zip"), 1 * GiB, 11)
    add("zip-overlap-11g.zip", "mleap", "11 central entries sharing one deflated 1 GiB member of zeros")

    zip_streamed_member(os.path.join(out, "mleap-bundle-json-2g.zip"), "bundle.json", zeros(2 * GiB))
    add("mleap-bundle-json-2g.zip", "mleap", "MLeap zip whose bundle.json inflates to 2 GiB")

    mleap_bundle(os.path.join(out, "mleap-tensor-1e12.zip"), "linear_regression", {
        "coefficients": {"type": "tensor", "double": [1.5], "shape": {"dimensions": [{"size": 10 ** 12, "name": ""}]}},
        "intercept": {"double": 0.5}})
    add("mleap-tensor-1e12.zip", "mleap", "linear_regression coefficients: one value, dimension 10^12")

    mleap_bundle(os.path.join(out, "mleap-onehot-1e19.zip"), "one_hot_encoder", {"size": {"long": 1e19}})
    add("mleap-onehot-1e19.zip", "mleap", "one_hot_encoder `size` of 1e19 (>= 2^63)")

    # Valid JSON, 28 MB of "0,": under the 32 MiB ratio floor, but ~50 bytes per value once parsed.
    zeros_json = ("[" + ",".join(["0"] * 14_000_000) + "]").encode()
    with zipfile.ZipFile(os.path.join(out, "mleap-json-14m-zeros.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bundle.json", json.dumps({"format": "json", "name": "hostile", "version": "0.23.0", "uid": "x"}))
        z.writestr("root/model.json", b'{"op": "linear_regression", "attributes": {"coefficients": '
                   b'{"type": "tensor", "double": ' + zeros_json + b', "shape": {"dimensions": [{"size": 14000000, '
                   b'"name": ""}]}}, "intercept": {"double": 0.5}}}')
        z.writestr("root/node.json", json.dumps({"name": "lr", "shape": {
            "inputs": [{"port": "features", "name": "x"}], "outputs": [{"port": "prediction", "name": "y"}]}}))
    add("mleap-json-14m-zeros.zip", "mleap", "a valid 28 KB bundle whose model.json holds 14 million zeros (28 MB)")

    pickles(out)
    add("pickle-inst-opcode.pkl", "xgboost", "pickle using INST subprocess.Popen (foreign opcode)")
    add("pickle-newobj-ex.pkl", "xgboost", "protocol 2 pickle with NEWOBJ_EX")
    add("pickle-deep-nesting.pkl", "xgboost", "a million nested TUPLE1 (1 MB)")
    add("pickle-million-appends.pkl", "xgboost", "a million APPENDs to a memoized list (2 MB)")
    add("pickle-binbytes8-2p62.pkl", "xgboost", "BINBYTES8 declaring 2^62 bytes")

    spark_with_data(out, "parquet-page-2g", parquet(1, 1, 2 * GiB - 1, b"\x08\x00", 1))
    add("parquet-page-2g", "sparkml", "Spark model whose data page declares 2 GiB uncompressed (snappy, 2 bytes)")
    spark_with_data(out, "parquet-page-200m", parquet(1, 1, 200 * MiB, bytes(16), 6))
    add("parquet-page-200m", "sparkml", "data page declaring 200 MiB from 16 bytes of zstd")
    spark_with_data(out, "parquet-values-1e7", parquet(10 ** 7, 10 ** 7, 0, b"", 0))
    add("parquet-values-1e7", "sparkml", "column chunk declaring 10^7 values in a 106-byte Parquet file")
    spark_with_data(out, "parquet-values-1e12", parquet(10 ** 12, 1, 8, bytes(8), 0))
    add("parquet-values-1e12", "sparkml", "column chunk declaring 10^12 values")

    spark_tree(out, "spark-tree-valid", [(0, 0, 1, 2, 0, 0.5), (1, 10, -1, -1, -1, 0), (2, 20, -1, -1, -1, 0)])
    add("spark-tree-valid", "sparkml", "control: a valid 3-node Spark tree written by the same writer (must pass, exit 0)")
    spark_tree(out, "spark-tree-cycle", [(0, 0, 1, 2, 0, 0.5), (1, 0, 0, 2, 0, 0.5), (2, 20, -1, -1, -1, 0)])
    add("spark-tree-cycle", "sparkml", "Spark DecisionTreeRegressionModel whose node 1 points back to the root")
    spark_tree(out, "spark-tree-child-99", [(0, 0, 1, 99, 0, 0.5), (1, 10, -1, -1, -1, 0)])
    add("spark-tree-child-99", "sparkml", "Spark tree whose right child id 99 does not exist")
    spark_tree(out, "spark-tree-feature-7", [(0, 0, 1, 2, 7, 0.5), (1, 10, -1, -1, -1, 0), (2, 20, -1, -1, -1, 0)])
    add("spark-tree-feature-7", "sparkml", "Spark tree splitting on feature 7 of numFeatures 3")

    with open(os.path.join(out, "artifacts.tsv"), "w") as f:
        for name, kind, how in made:
            f.write(f"{name}\t{kind}\t{how}\n")
    for name, kind, how in made:
        path = os.path.join(out, name)
        size = os.path.getsize(path) if os.path.isfile(path) else sum(
            os.path.getsize(os.path.join(d, x)) for d, _, xs in os.walk(path) for x in xs)
        print(f"{name:32} {kind:8} {size:>10} bytes  {how}")


if __name__ == "__main__":
    main()
