"""conveyor.spark and Spark SQL's TRANSFORM at scale on a real cluster: PySpark 4.3 in
local-cluster[2,1,1024] mode (a master, two workers and two executors, each its own JVM process)
scores the 1,728 Car rows repeated to 1,000,512 rows with the default Spark pipeline, once through
conveyor.spark.transform (mapInArrow, ids passed through) and once through
`SELECT TRANSFORM … USING 'conveyor pipe …'`. Both answers are written by the executors to Parquet,
read back here and must equal, row for row and bit for bit, `conveyor transform`'s output of the
same rows written as CSV objects. Prints 'N passed, N failed'; PipeSparkScaleTests runs it.

    CONVEYOR_BIN=.build/debug/conveyor training/.venvs/pipe-spark/bin/python python/tests/spark_scale_check.py

SPARK_SCALE_REPEAT sets how many times the Car rows repeat (579: 1,000,512 rows).
"""
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Support"))
sys.path.insert(0, str(ROOT / "python"))
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors' Python workers: this venv (pyarrow)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "python"), os.environ.get("PYTHONPATH")]))
from numeric_compare import compare  # noqa: E402

import checks  # noqa: E402
from checks import INPUTS, car_table, check  # noqa: E402

import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import conveyor  # noqa: E402
import conveyor.spark  # noqa: E402

PIPELINE = str(ROOT / "pipelines/car-evaluation.json")
REPEAT = int(os.environ.get("SPARK_SCALE_REPEAT", "579"))


def transform_truth(binary, cars, directory, parts=4):
    """`conveyor transform` of the Car rows repeated REPEAT times, in id order, as `parts` CSV
    objects scored two at a time: (predicted_class, [probability…]) per row."""
    source, target = Path(directory, "truth-in"), Path(directory, "truth-out")
    source.mkdir()
    repeats = [REPEAT // parts + (1 if index < REPEAT % parts else 0) for index in range(parts)]
    for index, count in enumerate(repeats):
        pacsv.write_csv(pa.concat_tables([cars] * count), source / f"part-{index}.csv",
                        pacsv.WriteOptions(include_header=False))
    subprocess.run([binary, "transform", "--pipeline", PIPELINE, "--input", str(source), "--output", str(target),
                    "--content-type", "text/csv", "--split-type", "Line", "--accept", "text/csv",
                    "--max-concurrent-transforms", "2"], check=True, capture_output=True)
    columns = ["predicted_class"] + [f"p{k}" for k in range(4)]
    read = pacsv.ReadOptions(column_names=columns)
    types = pacsv.ConvertOptions(column_types={"predicted_class": pa.string()}
                                 | {f"p{k}": pa.float64() for k in range(4)})
    return pa.concat_tables([pacsv.read_csv(target / f"part-{index}.csv.out", read, convert_options=types)
                             for index in range(parts)])


def check_against_truth(label, answer, truth, probability_columns):
    check(f"{label}: {truth.num_rows} rows", answer.num_rows == truth.num_rows,
          f"{answer.num_rows} rows from Spark")
    if answer.num_rows != truth.num_rows:
        return
    check(f"{label}: predicted_class row for row",
          answer.column("predicted_class").equals(truth.column("predicted_class")))
    # Both come from the same binary, the truth through its shortest round-tripping text: equal bits.
    for k, column in enumerate(probability_columns(answer)):
        result = compare(column.to_pylist(), truth.column(f"p{k}").to_pylist(), label=f"{label}: p{k}")
        check(f"{label}: probability[{k}] row for row (exact)", result.matches, str(result))


def main():
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    binary = conveyor.binary()
    spark = (SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local-cluster[2,1,1024]"))
             .appName("conveyor-scale").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4").config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        cars = car_table()
        rows = spark.createDataFrame([tuple(r.values()) + (i,) for i, r in enumerate(cars.to_pylist())],
                                     ", ".join(f"{n} string" for n in INPUTS) + ", row int")
        big = (spark.range(0, REPEAT, numPartitions=4).crossJoin(F.broadcast(rows))
               .select((F.col("id") * cars.num_rows + F.col("row")).alias("id"), *INPUTS))
        big.createOrReplaceTempView("cars_big")

        with tempfile.TemporaryDirectory() as directory:
            started = time.monotonic()
            truth = transform_truth(binary, cars, directory)
            print(f"conveyor transform: {truth.num_rows} rows in {time.monotonic() - started:.1f} s", flush=True)
            check("at least 1,000,000 rows", truth.num_rows >= 1_000_000, f"{truth.num_rows} rows")

            # --- conveyor.spark.transform: mapInArrow on the executors, ids passed through --------
            started = time.monotonic()
            conveyor.spark.transform(big, PIPELINE, keep=["id"]).write.parquet(f"{directory}/helper")
            print(f"mapInArrow: written in {time.monotonic() - started:.1f} s", flush=True)
            # Executors register as they start; after a job, both have (the driver is listed too).
            executors = len(spark.sparkContext.statusTracker().getExecutorInfos()) - 1
            check("local-cluster: two executor JVMs", executors == 2, f"{executors} executors")
            helper = pq.read_table(f"{directory}/helper").sort_by("id")
            check("mapInArrow: ids 0..n-1 once each",
                  helper.num_rows == truth.num_rows
                  and pc.all(pc.equal(helper.column("id"), pa.array(range(truth.num_rows), pa.int64()))).as_py())
            check_against_truth("mapInArrow", helper, truth, lambda table: [
                pc.list_element(table.column("probability"), k) for k in range(4)])

            # --- SQL TRANSFORM: the rows sorted by id; TRANSFORM keeps each partition's order, so
            # monotonically_increasing_id after it follows id order --------------------------------
            command = " ".join(shlex.quote(p) for p in [binary, "pipe", "--pipeline", PIPELINE, "--content-type",
                                                        conveyor.TSV, "--accept", conveyor.TSV])
            sql = f"""SELECT TRANSFORM({", ".join(INPUTS)})
                      USING '{command}'
                      AS (predicted_class STRING, p0 DOUBLE, p1 DOUBLE, p2 DOUBLE, p3 DOUBLE)
                      FROM (SELECT * FROM cars_big ORDER BY id) ordered"""
            started = time.monotonic()
            spark.sql(sql).withColumn("seq", F.monotonically_increasing_id()).write.parquet(f"{directory}/sql")
            print(f"SQL TRANSFORM: written in {time.monotonic() - started:.1f} s", flush=True)
            transformed = pq.read_table(f"{directory}/sql").sort_by("seq")
            check_against_truth("SQL TRANSFORM", transformed, truth,
                                lambda table: [table.column(f"p{k}") for k in range(4)])
    finally:
        spark.stop()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
