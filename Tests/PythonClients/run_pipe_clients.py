"""`conveyor pipe` driven by pyarrow and by the python/ package (PipeClientTests runs this with
the clients venv). Every expected value comes from the training frameworks' fixtures, never
from Conveyor: models/car-evaluation-spark/expected.json (PySpark 4.3's own transform of 44 rows,
nulls included) and models/car-evaluation/expected.csv (scikit-learn + XGBoost on all 1,728 Car
rows). Prints 'N passed, N failed'.

    python Tests/PythonClients/run_pipe_clients.py --conveyor .build/debug/conveyor
"""
import argparse
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Support"))
sys.path.insert(0, str(ROOT / "python"))
from numeric_compare import compare  # noqa: E402  (the shared NaN-safe comparison)

import conveyor  # noqa: E402
from conveyor.ray import ConveyorBatches  # noqa: E402

ARROW, TSV = conveyor.ARROW, conveyor.TSV
SPARK_PIPELINE = str(ROOT / "pipelines/car-evaluation.json")
SKLEARN_PIPELINE = str(ROOT / "pipelines/car-evaluation-sklearn.json")
passed, failed = 0, 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}\n{detail}")


def spark_fixture():
    data = json.loads((ROOT / "models/car-evaluation-spark/expected.json").read_text())
    names = [c["name"] for c in data["inputs"]]
    classes = [e["values"]["predicted_class"] for e in data["expected"]]
    probabilities = [e["values"]["probability"] for e in data["expected"]]
    return names, data["rows"], classes, probabilities


def sklearn_fixture():
    with open(ROOT / "models/car-evaluation/expected.csv") as handle:
        rows = list(csv.DictReader(handle))
    names = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
    return names, rows


def pipe(binary, pipeline, body, content_type, accept, *extra):
    return subprocess.run([binary, "pipe", "--pipeline", pipeline, "--content-type", content_type, "--accept", accept,
                           *extra], input=body, capture_output=True)


def arrow_stream(table, chunk):
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        for batch in table.to_batches(max_chunksize=chunk):
            writer.write_batch(batch)
    return sink.getvalue()


def check_spark_answer(label, classes, probabilities, want_classes, want_probabilities):
    check(f"{label}: predicted_class", classes == want_classes, f"{classes[:5]} vs {want_classes[:5]}")
    flat = [p for row in probabilities for p in (row if row is not None else [None] * 4)]
    # The project's tolerance for Spark probabilities (SparkFixture: float32 booster sums).
    result = compare(flat, [p for row in want_probabilities for p in row], absolute=1e-6, columns=4, label=label)
    check(f"{label}: probability", result.matches, str(result))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conveyor", required=True)
    binary = parser.parse_args().conveyor
    names, rows, want_classes, want_probabilities = spark_fixture()

    # Arrow in, Arrow out: pyarrow writes the 44 rows (with nulls) in batches of 5, reads the answer.
    table = pa.table({n: pa.array([r[i] for r in rows], pa.string()) for i, n in enumerate(names)})
    run = pipe(binary, SPARK_PIPELINE, arrow_stream(table, 5), ARROW, ARROW)
    check("arrow: exit 0", run.returncode == 0, run.stderr.decode())
    answer = pa.ipc.open_stream(run.stdout).read_all()
    check("arrow: schema", str(answer.schema.types) == "[DataType(string), ListType(list<item: double>)]",
          str(answer.schema))
    check_spark_answer("arrow", answer.column("predicted_class").to_pylist(), answer.column("probability").to_pylist(),
                       want_classes, want_probabilities)

    # TSV as Spark's TRANSFORM sends it: \N for null.
    lines = "".join("\t".join("\\N" if v is None else v for v in r) + "\n" for r in rows).encode()
    run = pipe(binary, SPARK_PIPELINE, lines, TSV, TSV)
    fields = [line.split("\t") for line in run.stdout.decode().splitlines()]
    check_spark_answer("tsv", [f[0] for f in fields], [[float(x) for x in f[1:]] for f in fields],
                       want_classes, want_probabilities)

    # Isolation: a row with one field too few is left out and named; the others keep their order.
    broken = lines.split(b"\n")
    broken[2] = b"vhigh\tvhigh"
    run = pipe(binary, SPARK_PIPELINE, b"\n".join(broken), TSV, TSV, "--record-errors", "isolate")
    kept = [line.split("\t")[0] for line in run.stdout.decode().splitlines()]
    check("isolate: exit 0, row 3 left out and named",
          run.returncode == 0 and kept == want_classes[:2] + want_classes[3:] and "record 3: " in run.stderr.decode(),
          run.stderr.decode())
    run = pipe(binary, SPARK_PIPELINE, b"\n".join(broken), TSV, TSV)
    check("fail: exit 1 naming row 3", run.returncode == 1 and "row 3" in run.stderr.decode(), run.stderr.decode())

    # scikit-learn pipeline on all 1,728 Car rows, Arrow both ways, against expected.csv.
    names, expected = sklearn_fixture()
    cars = pa.table({n: pa.array([r[n] for r in expected], pa.string()) for n in names})
    run = pipe(binary, SKLEARN_PIPELINE, arrow_stream(cars, 100), ARROW, ARROW)
    answer = pa.ipc.open_stream(run.stdout).read_all()
    check("sklearn arrow: predicted_class",
          answer.column("predicted_class").to_pylist() == [r["predicted_label"] for r in expected])
    check("sklearn arrow: float32 probabilities", str(answer.schema.field("probabilities").type) == "list<item: float>")
    flat = [p for row in answer.column("probabilities").to_pylist() for p in row]
    result = compare(flat, [r[f"prob_{k}"] for r in expected for k in range(4)], absolute=1e-7, columns=4,
                     label="sklearn arrow")
    check("sklearn arrow: probabilities", result.matches, str(result))

    # The python/ package: score_table and the Ray batch callable (one process for several tables).
    scored = conveyor.score_table(cars, SKLEARN_PIPELINE, conveyor=binary)
    check("score_table", scored.column("predicted_class").to_pylist() == [r["predicted_label"] for r in expected])
    batches = ConveyorBatches(SKLEARN_PIPELINE, conveyor=binary, keep=["safety"])
    parts = [batches(cars.slice(start, 500)) for start in range(0, cars.num_rows, 500)]
    joined = pa.concat_tables(parts)
    check("ray ConveyorBatches: rows in order, kept column first",
          joined.column_names == ["safety", "predicted_class", "probabilities"]
          and joined.column("predicted_class").to_pylist() == [r["predicted_label"] for r in expected]
          and joined.column("safety").to_pylist() == [r["safety"] for r in expected])
    check("ray ConveyorBatches: one process for every table", batches.pipe.process is not None)
    try:
        conveyor.score_table(pa.table({"buying": ["low"]}), SKLEARN_PIPELINE, conveyor=binary)
        check("missing column raises ConveyorError", False)
    except conveyor.ConveyorError as error:
        check("missing column raises ConveyorError naming it", "no column 'maint'" in str(error), str(error))

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
