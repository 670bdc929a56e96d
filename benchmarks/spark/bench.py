"""The default Spark Car pipeline scored inside one Spark session three ways, on the same cached
rows (docs/scale-out.md, "Measured"):

  spark        Spark's own PipelineModel.transform of the saved PipelineModel directory
               (StringIndexer -> OneHotEncoder -> VectorAssembler -> SparkXGBClassifier -> IndexToString)
  arrow        conveyor.spark.transform (mapInArrow, one `conveyor pipe` per partition, ids kept)
  sql          SELECT TRANSFORM ... USING 'conveyor pipe ...' (tab-separated text)

Answers first: every row's predicted_class and probabilities from Spark and from each Conveyor
path, paired by id, must agree (classes equal, probabilities within 1e-6, NaN-safe), else nothing
is timed. Then ROUNDS interleaved rounds; each run writes every output column to Spark's `noop`
sink, so the whole answer is computed. Prints one line per run, then the median rows/s of each
method and its ratio to Spark's, with the load average before every run.

    bash benchmarks/spark/run.sh            # 1,000,512 rows, local-cluster[2,1,2048], 5 rounds
"""
import json
import os
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Support"))
sys.path.insert(0, str(ROOT / "python"))
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "python"), os.environ.get("PYTHONPATH")]))
from numeric_compare import compare  # noqa: E402

import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import conveyor  # noqa: E402
import conveyor.spark  # noqa: E402

PIPELINE = str(ROOT / "pipelines/car-evaluation.json")
MODEL = str(ROOT / "models/car-evaluation-spark/pipeline")
INPUTS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
REPEAT = int(os.environ.get("REPEAT", "579"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))
RESULTS = ROOT / "benchmarks/spark/results.jsonl"


def load():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main():
    from pyspark.ml import PipelineModel
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    binary = conveyor.binary()
    master = os.environ.get("SPARK_MASTER", "local-cluster[2,1,2048]")
    spark = (SparkSession.builder.master(master).appName("conveyor-bench").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "4")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        car_csv = ROOT.parent / "shared/datasets/car-evaluation/car.csv"
        cars = spark.read.csv(str(car_csv), header=True).select(*INPUTS).collect()
        rows = spark.createDataFrame([tuple(r) + (i,) for i, r in enumerate(cars)],
                                     ", ".join(f"{n} string" for n in INPUTS) + ", row int")
        big = (spark.range(0, REPEAT, numPartitions=4).crossJoin(F.broadcast(rows))
               .select((F.col("id") * len(cars) + F.col("row")).alias("id"), *INPUTS).cache())
        count = big.count()
        big.createOrReplaceTempView("cars_big")
        model = PipelineModel.load(MODEL)
        command = " ".join(shlex.quote(p) for p in [binary, "pipe", "--pipeline", PIPELINE, "--content-type",
                                                    conveyor.TSV, "--accept", conveyor.TSV])
        # TRANSFORM sends every listed column to the script, so no id rides along: the SQL answer is
        # paired by position (sorted by id, TRANSFORM keeps each partition's order).
        sql = f"""SELECT TRANSFORM({", ".join(INPUTS)}) USING '{command}'
                  AS (predicted_class STRING, p0 DOUBLE, p1 DOUBLE, p2 DOUBLE, p3 DOUBLE)
                  FROM (SELECT * FROM cars_big ORDER BY id) ordered"""
        probabilities = F.array(*[F.col(f"p{k}") for k in range(4)]).alias("probability")
        methods = {
            "spark": lambda: model.transform(big).select(
                "id", "predicted_class", vector_to_array("probability").alias("probability")),
            "arrow": lambda: conveyor.spark.transform(big, PIPELINE, keep=["id"]),
            "sql": lambda: spark.sql(sql).select(
                (F.monotonically_increasing_id()).alias("seq"), "predicted_class", probabilities),
        }

        # --- answers first: each method's whole answer written to Parquet, compared here ----------
        with tempfile.TemporaryDirectory() as directory:
            answers = {}
            for name, build in methods.items():
                build().write.parquet(f"{directory}/{name}")
                answers[name] = pq.read_table(f"{directory}/{name}").sort_by("seq" if name == "sql" else "id")
            reference = answers["spark"]
            want = [pc.list_element(reference.column("probability"), k).to_pylist() for k in range(4)]
            for name in ("arrow", "sql"):
                answer = answers[name]
                classes_equal = answer.column("predicted_class").equals(reference.column("predicted_class"))
                ids_equal = name == "sql" or answer.column("id").equals(reference.column("id"))
                results = [compare(pc.list_element(answer.column("probability"), k).to_pylist(), want[k],
                                   absolute=1e-6, label=f"{name} p{k}") for k in range(4)]
                if not (answer.num_rows == count and ids_equal and classes_equal and all(results)):
                    print(f"{name} disagrees with Spark's transform: {answer.num_rows} rows, ids equal: {ids_equal}, "
                          f"classes equal: {classes_equal}; " + "; ".join(str(r) for r in results))
                    return 1
                print(f"answers: {name} equals Spark's transform on {count} rows (classes equal; probabilities "
                      f"within 1e-6: " + "; ".join(str(r) for r in results) + ")", flush=True)

        # --- interleaved rounds --------------------------------------------------------------
        seconds = {name: [] for name in methods}
        for index in range(ROUNDS):
            for name, build in methods.items():
                before = load()
                started = time.perf_counter()
                build().write.format("noop").mode("overwrite").save()
                elapsed = time.perf_counter() - started
                seconds[name].append(elapsed)
                print(f"round {index + 1} {name:6} {elapsed:7.2f} s {count / elapsed:10.0f} rows/s  load {before}",
                      flush=True)
        medians = {name: statistics.median(values) for name, values in seconds.items()}
        print(f"\n{count} rows, {master}, {ROUNDS} rounds, medians:")
        for name, median in medians.items():
            print(f"  {name:6} {median:7.2f} s {count / median:10.0f} rows/s  {medians['spark'] / median:5.2f}x Spark")
        with open(RESULTS, "a") as handle:
            handle.write(json.dumps({"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rows": count,
                                     "master": master, "rounds": ROUNDS, "binary": binary, "seconds": seconds,
                                     "median_rows_per_s": {n: count / m for n, m in medians.items()},
                                     "load_after": load()}) + "\n")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
