"""Reads a Parquet file that `conveyor transform` wrote and checks it with real readers.

pyarrow (and, with --spark, PySpark) read the file; predictions must equal the training
frameworks' (models/car-evaluation/expected.csv, scikit-learn + XGBoost), pass-through
columns what pyarrow read from the input (Tests/Fixtures/parquet-data/extra-columns.jsonl).
Numbers are compared with the one NaN-safe helper (numeric_compare.py). Prints one line
per check and exits non-zero when any fails.

    python parquet_readback.py OUT.parquet --row-groups 6 --pass-through id,class,f64 [--spark]
"""
import argparse
import csv
import json
import math
import os
import sys

import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numeric_compare import compare  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def expected_rows():
    with open(os.path.join(ROOT, "models", "car-evaluation", "expected.csv"), newline="") as f:
        return list(csv.DictReader(f))


def extra_rows():
    with open(os.path.join(ROOT, "Tests", "Fixtures", "parquet-data", "extra-columns.jsonl")) as f:
        return [json.loads(line) for line in f]


def compare_column(name, actual, expected):
    """Nulls where expected; numbers NaN-safe; everything else equal."""
    nulls_match = [a is None for a in actual] == [e is None for e in expected]
    check(nulls_match and len(actual) == len(expected), f"{name}: nulls in the same rows")
    pairs = [(a, e) for a, e in zip(actual, expected) if a is not None and e is not None]
    if pairs and isinstance(pairs[0][1], (float, str)) and (isinstance(pairs[0][0], float) or pairs[0][1] == "NaN"):
        result = compare([a for a, _ in pairs], [float("nan") if e == "NaN" else e for _, e in pairs],
                         absolute=0, relative=0, label=name)
        check(result.matches, f"{name}: values equal ({result})")
    else:
        check(all(a == e for a, e in pairs), f"{name}: values equal")


def check_table(rows, source, pass_through):
    expected = expected_rows()
    check(len(rows) == len(expected), f"{source}: {len(rows)} rows")
    check([r["predicted_class"] for r in rows] == [e["predicted_label"] for e in expected],
          f"{source}: predicted_class equals the training frameworks'")
    actual = [p for r in rows for p in r["probabilities"]]
    wanted = [e[f"prob_{i}"] for e in expected for i in range(4)]
    result = compare(actual, wanted, absolute=1e-6, columns=4, label="probabilities")
    check(result.matches, f"{source}: probabilities ({result})")
    extra = extra_rows()
    for name in pass_through:
        compare_column(f"{source}: {name}", [r[name] for r in rows], [e[name] for e in extra])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--row-groups", type=int, required=True)
    parser.add_argument("--pass-through", default="")
    parser.add_argument("--spark", action="store_true")
    args = parser.parse_args()
    pass_through = [c for c in args.pass_through.split(",") if c]
    parquet = pq.ParquetFile(args.path)
    check(parquet.metadata.num_row_groups == args.row_groups,
          f"pyarrow: {parquet.metadata.num_row_groups} row groups (want {args.row_groups})")
    table = parquet.read()
    check(table.column_names == pass_through + ["predicted_class", "probabilities"],
          f"pyarrow: columns {table.column_names}")
    print("schema:", ", ".join(f"{f.name}: {f.type}" for f in table.schema))
    check_table(table.to_pylist(), "pyarrow", pass_through)
    if args.spark:
        from pyspark.sql import SparkSession
        spark = (SparkSession.builder.master("local[1]").appName("readback")
                 .config("spark.ui.enabled", "false").getOrCreate())
        frame = spark.read.parquet(args.path)
        rows = [r.asDict() for r in frame.collect()]
        spark.stop()
        check_table(rows, "spark", pass_through)
    print(f"{len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
