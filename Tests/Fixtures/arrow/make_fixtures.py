"""Writes the Arrow IPC stream fixtures with pyarrow (26.0.1, the clients venv):

  car-44.arrows      the 44 input rows of models/car-evaluation-spark/expected.json (nulls kept) in
                     3 batches, after two columns the pipeline does not read (a timestamp and a
                     list<int64>), so their nodes and buffers must be skipped
  types.arrows       one column of each type Conveyor reads, with nulls, in 2 batches;
  types.json         the values pyarrow was given for them (the tests' expected values)
  dictionary.arrows  a dictionary-encoded string column (refused, naming it)
  lz4.arrows         car rows with LZ4-compressed bodies (refused)

Run: training/.venvs/clients/bin/python Tests/Fixtures/arrow/make_fixtures.py
"""
import json
import math
import pathlib

import pyarrow as pa

here = pathlib.Path(__file__).resolve().parent
root = here.parents[2]


def write(name, batches, schema, options=None):
    with pa.OSFile(str(here / name), "wb") as sink:
        with pa.ipc.new_stream(sink, schema, options=options) as writer:
            for batch in batches:
                writer.write_batch(batch)


# --- car rows ---------------------------------------------------------------------------
car = json.loads((root / "models/car-evaluation-spark/expected.json").read_text())
names = [c["name"] for c in car["inputs"]]
rows = car["rows"]
schema = pa.schema([("seen", pa.timestamp("ms")), ("tags", pa.list_(pa.int64()))]
                   + [(n, pa.string()) for n in names])
batches = []
for start in range(0, len(rows), 16):
    part = rows[start:start + 16]
    arrays = [pa.array([1_700_000_000_000 + i for i in range(len(part))], pa.timestamp("ms")),
              pa.array([[i, i + 1] if i % 3 else None for i in range(len(part))], pa.list_(pa.int64()))]
    arrays += [pa.array([r[k] for r in part], pa.string()) for k in range(len(names))]
    batches.append(pa.record_batch(arrays, schema=schema))
write("car-44.arrows", batches, schema)
write("lz4.arrows", batches[:1], schema, pa.ipc.IpcWriteOptions(compression="lz4"))

# --- every type read --------------------------------------------------------------------
values = {
    "b": ("bool", pa.bool_(), [True, False, None, True, False]),
    "i8": ("byte", pa.int8(), [-128, 127, None, 0, 5]),
    "i16": ("short", pa.int16(), [-32768, 32767, None, 1, -1]),
    "i32": ("int", pa.int32(), [-2**31, 2**31 - 1, None, 7, 8]),
    "i64": ("long", pa.int64(), [-2**63, 2**63 - 1, None, 9, 10]),
    "u8": ("int", pa.uint8(), [0, 255, None, 1, 2]),
    "u16": ("int", pa.uint16(), [0, 65535, None, 3, 4]),
    "u32": ("long", pa.uint32(), [0, 2**32 - 1, None, 5, 6]),
    "u64": ("long", pa.uint64(), [0, 2**63 - 1, None, 11, 12]),
    "f32": ("float", pa.float32(), [1.5, -0.25, None, float("nan"), float("inf")]),
    "f64": ("double", pa.float64(), [0.1, -1e300, None, float("nan"), 5e-324]),
    "s": ("string", pa.string(), ["plain", "", None, "é😀", "tab\there"]),
    "ls": ("string", pa.large_string(), ["large", None, "x", "", "y"]),
    "v": ("vector", pa.list_(pa.float64()), [[1.0, 2.0, 3.0], None, [4.0, None, 6.0], [0.5, 0.25, 0.125], [7.0, 8.0, 9.0]]),
    "vf": ("vector", pa.large_list(pa.float32()), [[1.5], [2.5], None, [3.5], [float("nan")]]),
    "vx": ("vector", pa.list_(pa.float64(), 2), [[1.0, 2.0], [3.0, 4.0], None, [5.0, 6.0], [7.0, 8.0]]),
}
schema = pa.schema([(k, t) for k, (_, t, _) in values.items()])
table = pa.table({k: pa.array(v, t) for k, (_, t, v) in values.items()}, schema=schema)
write("types.arrows", table.to_batches(max_chunksize=3), schema)


def plain(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return repr(value)  # "nan", "inf": JSON has no such numbers
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


(here / "types.json").write_text(json.dumps(
    {k: {"type": s, "values": [plain(v) for v in vals]} for k, (s, _, vals) in values.items()}, indent=1) + "\n")

# --- refused ----------------------------------------------------------------------------
labels = pa.array(["low", "med", "low", None]).dictionary_encode()
schema = pa.schema([("buying", labels.type)])
write("dictionary.arrows", [pa.record_batch([labels], schema=schema)], schema)
print("wrote", sorted(p.name for p in here.glob("*.arrows")))
