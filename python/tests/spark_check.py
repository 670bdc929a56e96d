"""conveyor.spark and Spark SQL's TRANSFORM against real PySpark (4.3, the spark venv), in
local[2] mode. Expected values come from the training frameworks' fixtures, never from Conveyor:
models/car-evaluation/expected.csv (scikit-learn + XGBoost on the 1,728 Car rows of
../shared/datasets) and models/car-evaluation-spark/expected.json (PySpark's own transform of
44 rows, nulls included). Prints 'N passed, N failed'; PipeSparkTests runs it.

    CONVEYOR_BIN=.build/debug/conveyor training/.venvs/spark/bin/python python/tests/spark_check.py
"""
import csv
import json
import os
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Support"))
sys.path.insert(0, str(ROOT / "python"))
# Spark's Python workers import conveyor too: the in-repo package, as `pip install ./python` would give.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this venv's python (pyarrow)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "python"), os.environ.get("PYTHONPATH")]))
from numeric_compare import compare  # noqa: E402

import checks  # noqa: E402
from checks import check  # noqa: E402

import conveyor  # noqa: E402
import conveyor.spark  # noqa: E402

SPARK_PIPELINE = str(ROOT / "pipelines/car-evaluation.json")
SKLEARN_PIPELINE = str(ROOT / "pipelines/car-evaluation-sklearn.json")


def check_probabilities(label, rows, expected, absolute):
    flat = [p for row in rows for p in (row if row is not None else [None] * 4)]
    result = compare(flat, [p for row in expected for p in row], absolute=absolute, columns=4, label=label)
    check(label, result.matches, str(result))


def main():
    from pyspark.sql import SparkSession

    binary = conveyor.binary()
    spark = (SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]")).appName("conveyor-pipe")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        # --- scikit-learn pipeline, all Car rows, through mapInArrow with a pass-through id -------
        car_csv = checks.car_csv()
        with open(ROOT / "models/car-evaluation/expected.csv") as handle:
            expected = list(csv.DictReader(handle))
        from pyspark.sql import functions as F
        cars = (spark.read.csv(str(car_csv), header=True).withColumn("id", F.monotonically_increasing_id())
                .repartition(3))
        scored = conveyor.spark.transform(cars, SKLEARN_PIPELINE, keep=["id", "buying", "maint", "doors", "persons",
                                                                         "lug_boots", "safety"])
        rows = scored.collect()
        check("mapInArrow: every Car row once", len(rows) == len(expected) == 1728, f"{len(rows)} rows")
        # expected.csv follows car.csv's order; rows are matched by their six inputs (unique in car.csv).
        keyed = {tuple(r[n] for n in ("buying", "maint", "doors", "persons", "lug_boots", "safety")): r for r in rows}
        ordered = [keyed.get(tuple(e[n] for n in ("buying", "maint", "doors", "persons", "lug_boots", "safety")))
                   for e in expected]
        check("mapInArrow: predicted_class",
              all(r is not None for r in ordered)
              and [r["predicted_class"] for r in ordered] == [e["predicted_label"] for e in expected])
        check_probabilities("mapInArrow: probabilities", [r["probabilities"] for r in ordered if r is not None],
                            [[float(e[f"prob_{k}"]) for k in range(4)] for e in expected], 1e-7)
        check("mapInArrow: output schema",
              scored.schema.simpleString().endswith("predicted_class:string,probabilities:array<float>>"),
              scored.schema.simpleString())

        # --- the default Spark pipeline on PySpark's own 44 expected rows (nulls included) -------
        data = json.loads((ROOT / "models/car-evaluation-spark/expected.json").read_text())
        names = [c["name"] for c in data["inputs"]]
        want_classes = [e["values"]["predicted_class"] for e in data["expected"]]
        want_probabilities = [e["values"]["probability"] for e in data["expected"]]
        ddl = ", ".join(f"{n} string" for n in names) + ", id int"
        frame = spark.createDataFrame([tuple(r) + (i,) for i, r in enumerate(data["rows"])], ddl).coalesce(1)
        frame.createOrReplaceTempView("cars44")

        arrow = sorted(conveyor.spark.transform(frame, SPARK_PIPELINE, keep=["id"]).collect(), key=lambda r: r["id"])
        check("mapInArrow (Spark pipeline): predicted_class", [r["predicted_class"] for r in arrow] == want_classes)
        check_probabilities("mapInArrow (Spark pipeline): probability", [r["probability"] for r in arrow],
                            want_probabilities, 1e-6)

        piped = conveyor.spark.transform(frame.orderBy("id").coalesce(1), SPARK_PIPELINE, method="pipe").collect()
        check("RDD.pipe fallback: predicted_class", [r["predicted_class"] for r in piped] == want_classes)
        check_probabilities("RDD.pipe fallback: probability", [r["probability"] for r in piped], want_probabilities,
                            1e-6)

        # --- Spark SQL TRANSFORM: Spark writes \t-separated rows with \N for null and reads ours ---
        command = " ".join(shlex.quote(p) for p in [binary, "pipe", "--pipeline", SPARK_PIPELINE, "--content-type",
                                                    conveyor.TSV, "--accept", conveyor.TSV])
        sql = f"""SELECT TRANSFORM(buying, maint, doors, persons, lug_boots, safety)
                  USING '{command}'
                  AS (predicted_class STRING, p0 DOUBLE, p1 DOUBLE, p2 DOUBLE, p3 DOUBLE)
                  FROM (SELECT * FROM cars44 ORDER BY id) ordered"""
        tabs = "ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t'"
        for label, query in [("SQL TRANSFORM (Spark's U+0001 default)", sql),
                             ("SQL TRANSFORM (ROW FORMAT tabs)",
                              sql.replace("USING", f"{tabs} USING").replace("p3 DOUBLE)", f"p3 DOUBLE) {tabs}"))]:
            sql_rows = spark.sql(query).collect()
            check(f"{label}: predicted_class", [r["predicted_class"] for r in sql_rows] == want_classes,
                  str(sql_rows[:3]))
            check_probabilities(f"{label}: probability", [[r[f"p{k}"] for k in range(4)] for r in sql_rows],
                                want_probabilities, 1e-6)
    finally:
        spark.stop()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
