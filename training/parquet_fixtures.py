"""Parquet data files for `conveyor transform` tests, written by real producers.

The UCI Car rows of models/car-evaluation/expected.csv (whose predictions come from
scikit-learn + XGBoost, never from Conveyor) as Parquet objects written by pyarrow
(every codec Conveyor reads, data pages v1 and v2, dictionary and plain pages, several
row groups and several pages per chunk) and by PySpark (several row groups), with extra
columns of every primitive type and nulls to pass through. The extra columns' values as
pyarrow reads them back are written to extra-columns.jsonl: the tests compare against it.

Run with the spark venv (PySpark 4.3 and pyarrow):
    training/.venvs/spark/bin/python training/parquet_fixtures.py
"""
import csv
import datetime
import decimal
import json
import os
import shutil
import sys
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "parquet-data")
INPUTS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]


def car_rows():
    with open(os.path.join(ROOT, "models", "car-evaluation", "expected.csv"), newline="") as f:
        return list(csv.DictReader(f))


def extra_columns(n):
    """Deterministic values of every primitive type, with nulls in a pattern."""
    def nulled(values, every):
        return [None if i % every == 3 else v for i, v in enumerate(values)]
    return {
        "id": pa.array(range(n), pa.int64()),
        "i8": pa.array(nulled([(i % 250) - 125 for i in range(n)], 7), pa.int8()),
        "i16": pa.array([(i * 37) % 60000 - 30000 for i in range(n)], pa.int16()),
        "i32": pa.array(nulled([(i * 7919) % 4_000_000_000 - 2_000_000_000 for i in range(n)], 5), pa.int32()),
        "u8": pa.array([i % 256 for i in range(n)], pa.uint8()),
        "u32": pa.array(nulled([(i * 2_654_435_761) % 4_294_967_296 for i in range(n)], 11), pa.uint32()),
        "f32": pa.array(nulled([i / 8.0 - 100.25 for i in range(n)], 6), pa.float32()),
        "f64": pa.array(nulled([float("nan") if i % 97 == 0 else i * 1e-3 - 0.5 for i in range(n)], 4), pa.float64()),
        "flag": pa.array(nulled([i % 3 == 0 for i in range(n)], 9), pa.bool_()),
        "note": pa.array(nulled([["alpha", "beta", "γάμμα", "", "d,\"quoted\""][i % 5] for i in range(n)], 8), pa.string()),
    }


def car_table(rows):
    columns = {name: pa.array([r[name] for r in rows], pa.string()) for name in INPUTS}
    columns["class"] = pa.array([r["class"] for r in rows], pa.string())
    columns.update(extra_columns(len(rows)))
    return pa.table(columns)


def write_pyarrow(table):
    variants = [
        ("none", "1.0", True), ("snappy", "1.0", True), ("snappy", "2.0", False),
        ("gzip", "2.0", True), ("zstd", "1.0", False), ("zstd", "2.0", True),
    ]
    for codec, page_version, dictionary in variants:
        name = f"car-pyarrow-{codec}-v{page_version[0]}-{'dict' if dictionary else 'plain'}.parquet"
        pq.write_table(table, os.path.join(OUT, name), compression=codec, data_page_version=page_version,
                       use_dictionary=dictionary, row_group_size=500, data_page_size=2048)
        meta = pq.ParquetFile(os.path.join(OUT, name)).metadata
        print(name, meta.num_row_groups, "row groups", meta.num_rows, "rows")


def write_unsupported(table):
    """Columns transform refuses when asked for them (and skips otherwise)."""
    n = table.num_rows
    extra = table.select(INPUTS).append_column(
        "price", pa.array([decimal.Decimal(i) / 100 for i in range(n)], pa.decimal128(9, 2))).append_column(
        "day", pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in range(n)], pa.date32())).append_column(
        "seen", pa.array([datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=i) for i in range(n)],
                         pa.timestamp("us"))).append_column(
        "tags", pa.array([[i, i + 1] for i in range(n)], pa.list_(pa.int32()))).append_column(
        "blob", pa.array([bytes([i % 256, 0xFF]) for i in range(n)], pa.binary()))
    pq.write_table(extra, os.path.join(OUT, "car-unsupported-types.parquet"), row_group_size=1000)


def write_expected(table):
    names = [c for c in table.column_names if c not in INPUTS]
    back = pq.read_table(os.path.join(OUT, "car-pyarrow-snappy-v1-dict.parquet"), columns=names).to_pylist()

    def plain(value):
        if isinstance(value, float) and value != value:
            return "NaN"  # JSON has no NaN: spelled out, compared NaN-safely
        return value
    with open(os.path.join(OUT, "extra-columns.jsonl"), "w") as f:
        for row in back:
            f.write(json.dumps({k: plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n")


def write_spark(table):
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[1]").appName("parquet-fixtures")
             .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    frame = spark.createDataFrame(table.select(INPUTS + ["class", "id", "i32", "f64", "flag", "note"]).to_pandas())
    for codec in ["snappy", "zstd", "gzip"]:
        folder = tempfile.mkdtemp()
        (frame.coalesce(1).write.mode("overwrite").option("compression", codec)
         .option("parquet.block.size", 16384).option("parquet.page.size", 4096).parquet(folder + "/out"))
        part = [p for p in os.listdir(folder + "/out") if p.endswith(".parquet")]
        assert len(part) == 1, part
        target = os.path.join(OUT, f"car-spark-{codec}.parquet")
        shutil.copy(os.path.join(folder, "out", part[0]), target)
        shutil.rmtree(folder)
        meta = pq.ParquetFile(target).metadata
        print(os.path.basename(target), meta.num_row_groups, "row groups", meta.created_by)
        assert meta.num_row_groups > 1, "Spark wrote one row group: lower parquet.block.size"
    spark.stop()


def main():
    os.makedirs(OUT, exist_ok=True)
    table = car_table(car_rows())
    write_pyarrow(table)
    write_unsupported(table)
    write_expected(table)
    if "--no-spark" not in sys.argv:
        write_spark(table)


if __name__ == "__main__":
    main()
