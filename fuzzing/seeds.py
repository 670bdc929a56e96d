#!/usr/bin/env python3
"""Collects seed inputs for every fuzz target from the repository's real
fixtures into fuzzing/scratch/seeds/<target>/ (git-ignored). `run.sh seed`
then minimises them into the committed corpus with libFuzzer's -merge=1.
Directory-shaped models (MLeap bundles, Spark ML directories) are written
in the TREE form ModelTargets reads (see FileTreeInput.swift)."""
import glob, gzip, hashlib, io, json, os, sys, tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzzing", "scratch", "seeds")
MAX = 64 * 1024  # bigger seeds only slow the fuzzer down


def put(target, data, limit=MAX):
    if not data or len(data) > limit:
        return
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as out:
        out.write(data)


def files(*patterns):
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            if os.path.isfile(path) and not path.endswith(".crc"):
                yield path


def read(path):
    with open(path, "rb") as f:
        return f.read()


def tree(directory):
    """A directory as TREE text; None when a file would break the form."""
    parts = [b"TREE\n"]
    for path in sorted(glob.glob(os.path.join(directory, "**"), recursive=True)):
        if not os.path.isfile(path) or path.endswith(".crc") or os.path.basename(path) == "_SUCCESS":
            continue
        data = read(path)
        if b"\n=== " in data:
            return None
        parts.append(b"=== " + os.path.relpath(path, directory).encode() + b"\n" + data + b"\n")
    return b"".join(parts)[:-1]


def head_lines(data, count=20):
    return b"\n".join(data.split(b"\n")[:count]) + b"\n"


# --- Open Inference Protocol gRPC requests (protobuf wire format, written out here: the fuzzer's
# seeds only need to be well-formed ModelInferRequest messages; the tests use real clients).
def varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number, wire, payload):
    key = varint(number << 3 | wire)
    return key + (varint(len(payload)) + payload if wire == 2 else payload)


def tensor(name, datatype, shape, contents=b""):
    body = field(1, 2, name.encode()) + field(2, 2, datatype.encode()) + field(3, 2, b"".join(varint(d) for d in shape))
    return body + (field(5, 2, contents) if contents else b"")


def infer_request(tensors, raw=(), outputs=()):
    body = field(1, 2, b"m") + field(3, 2, b"seed")
    body += b"".join(field(5, 2, t) for t in tensors)
    body += b"".join(field(6, 2, field(1, 2, o.encode())) for o in outputs)
    return body + b"".join(field(7, 2, r) for r in raw)


def length_prefixed(values):
    return b"".join(len(v).to_bytes(4, "little") + v for v in values)


def oip_grpc_seeds():
    import struct
    car = [[b"low", b"vhigh"], [b"low", b"vhigh"], [b"5more", b"2"], [b"more", b"2"], [b"big", b"small"], [b"high", b"low"]]
    names = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
    yield infer_request([tensor(n, "BYTES", [2]) for n in names], raw=[length_prefixed(v) for v in car])
    yield infer_request([tensor(n, "BYTES", [2], b"".join(field(8, 2, x) for x in v)) for n, v in zip(names, car)],
                        outputs=["predicted_class"])
    # One of each datatype into the numeric layouts (a, b, c doubles; s, i, l, f, t; v[3] and name).
    yield infer_request([tensor("a", "FP64", [2]), tensor("b", "FP32", [2]), tensor("c", "INT64", [2])],
                        raw=[struct.pack("<2d", 0.1, -1e300), struct.pack("<2f", 2.5, float("nan")), struct.pack("<2q", -3, 1 << 53)])
    yield infer_request([tensor("s", "BYTES", [1], field(8, 2, "é".encode())), tensor("i", "INT32", [1], field(2, 2, varint(-7))),
                         tensor("l", "UINT64", [1], field(5, 2, varint((1 << 63) + 1))),
                         tensor("f", "FP32", [1], field(6, 2, struct.pack("<f", 1.5))),
                         tensor("t", "BOOL", [1], field(1, 2, varint(1)))])
    yield infer_request([tensor("v", "FP64", [2, 3], field(7, 2, struct.pack("<6d", 1, 2, 3, 4, 5, 6))),
                         tensor("name", "BYTES", [2, 1], field(8, 2, b"x") + field(8, 2, b""))])
    yield infer_request([tensor("features", "INT8", [1, 4]), tensor("x", "FP16", [1])], raw=[bytes([1, 255, 2, 128]), b"\x00<"])


def main():
    fixtures = ["Tests/Fixtures/**/", "models/**/", "Tests/*Tests/Fixtures/**/", "../shared/mleap-bundles/**/"]
    # Request bodies.
    for path in files(*(f + "*.csv" for f in fixtures)):
        put("csv", head_lines(read(path)))
    for text in [b'1,2,3\n4,"5",6\n', b'"a,b",1,2,3,true\n', b'1.5,-2e3,NaN\r\n', b'x,"y\n""z""",1\n']:
        put("csv", text)
    json_bodies = [
        b'{"instances":[{"features":[1,2,3]},{"features":[4,5,6]}]}',
        b'{"instances":[[1,2,3],[4,5,6]]}',
        b'{"data":[[1.0,2.0,3.0]]}',
        b'[{"a":1,"b":2,"c":3}]',
        b'{"schema":{"input":[{"name":"a","type":"double"},{"name":"v","type":"double","struct":"vector"}],'
        b'"output":{"name":"p","type":"double"}},"data":[1.5,[1,2,3]]}',
        b'{"s":"x\\u00e9\\n","i":1,"l":9007199254740993,"f":1e-3,"t":true,"tokens":["a","b"]}',
        b'{"v":[1,2,3],"name":null}',
    ]
    for body in json_bodies:
        put("json", body)
        put("jsonlines", body + b"\n" + body + b"\n")
        put("jsonpath", b"$.features\n" + body)
    for path in files("Tests/Fixtures/batch-transform/*.json", "Tests/Fixtures/spark-parity/expected/*.json"):
        put("json", read(path)[:8192])
    for path in files("../shared/mleap-bundles/**/*.json"):
        put("json", read(path), 16384)
    # JSONPath filters over CSV and JSON records.
    for path in ["$", "$[0]", "$[1:]", "$[-1]", "$[0,2]", "$[:2]", "$[1:3]", "$[*]", "$.a", "$['a','b']",
                 "$.instances[0].features", "$.data[*]", "$..a", "$[::2]", "$[-2:]"]:
        put("jsonpath", path.encode() + b"\n1,2,\"x,y\",4\n")
        put("jsonpath", path.encode() + b'\n{"a":[1,2],"b":{"c":3},"instances":[{"features":[1]}],"data":[1]}')
    # Model files and archives.
    for path in files(*(f + "*.zip" for f in fixtures)):
        put("zip", read(path))
        put("mleap-bundle", read(path))
    for path in files(*(f + "*.tar" for f in fixtures)):
        put("tar", read(path))
    for path in files(*(f + "*.gz" for f in fixtures)):
        put("gzip", read(path))
        try:
            put("tar", gzip.decompress(read(path)))
        except Exception:
            pass
    for path in files(*(f + "*.pkl" for f in fixtures)):
        put("pickle", read(path), 16384)
    for path in files("Tests/Fixtures/xgboost/**/*.json", "models/**/*.json"):
        if "manifest" not in path:
            put("xgboost-json", read(path))
    for path in files("Tests/Fixtures/xgboost/**/*.ubj", "models/**/*.ubj"):
        put("xgboost-ubjson", read(path))
    for path in files("Tests/Fixtures/xgboost/**/*.bin", "models/**/*.bin"):
        put("xgboost-binary", read(path))
    for path in files("Tests/Fixtures/lightgbm/*.txt"):
        put("lightgbm", read(path))
    # MLflow model directories: the MLmodel alone, and with the input example beside it.
    for path in files("Tests/Fixtures/mlflow/*/MLmodel"):
        put("mlflow", read(path))
        folder = os.path.dirname(path)
        parts = [b"TREE\n=== MLmodel\n" + read(path)]
        for name in ("input_example.json", "serving_input_example.json"):
            if os.path.isfile(os.path.join(folder, name)):
                parts.append(b"=== " + name.encode() + b"\n" + read(os.path.join(folder, name)))
        put("mlflow", b"\n".join(parts))
    for path in files("Tests/Fixtures/parquet/*.parquet", "Tests/Fixtures/spark/**/*.parquet",
                      "Tests/Fixtures/parquet-data/*.parquet"):
        put("parquet", read(path))
    for path in files("Tests/Fixtures/arrow/*.arrows"):  # pyarrow-written IPC streams
        put("arrow", read(path))
    for request in oip_grpc_seeds():
        put("oip-grpc", request)
    for path in files("Tests/Fixtures/spark/**/metadata/part-00000*", "models/**/metadata/part-00000*"):
        put("spark-metadata", read(path))
    # Directory-shaped models.
    for folder in sorted(glob.glob(os.path.join(ROOT, "Tests/Fixtures/spark/stages/*/"))):
        data = tree(folder)
        if data:
            put("spark-metadata", data)
    for folder in sorted(set(os.path.dirname(os.path.dirname(p)) for p in files("Tests/Fixtures/spark-parity/crafted/**/bundle.json", "../shared/mleap-bundles/**/bundle.json"))):
        data = tree(folder)
        if data:
            put("mleap-bundle", data)
    # S3 answers, as moto and AWS write them.
    for xml in [
        b'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><Contents><Key>in/a&amp;b.csv</Key>'
        b'<Size>42</Size></Contents><Contents><Key>in/&#x41;.csv</Key><Size>7</Size></Contents>'
        b'<IsTruncated>true</IsTruncated><NextContinuationToken>tok&lt;1&gt;</NextContinuationToken></ListBucketResult>',
        b'<Error><Code>NoSuchKey</Code><Message>The key &quot;x&quot; does not exist</Message></Error>',
        b'<ListMultipartUploadsResult><Upload><Key>out/x</Key><UploadId>abc&#65;</UploadId></Upload></ListMultipartUploadsResult>',
    ]:
        put("s3-xml", xml)
    # SQLTransformer statements: the catalogue's expressions and WHERE statements (first byte 0: ANSI, 1: legacy).
    catalogue = json.loads(read("Tests/Fixtures/sql/catalogue.json"))
    for index, entry in enumerate(catalogue["expressions"]):
        put("spark-sql", bytes([index % 2]) + f"SELECT {entry['sql']} AS out FROM __THIS__".encode())
    for index, entry in enumerate(catalogue["where"]):
        put("spark-sql", bytes([index % 2]) + entry["sql"].encode())
    for target in sorted(os.listdir(OUT)):
        print(target, len(os.listdir(os.path.join(OUT, target))))


if __name__ == "__main__":
    main()
