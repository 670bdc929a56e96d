"""conveyor.ray against real Ray (ray[data], the pipe-spark venv): `ray.init(num_cpus=2)` and
`Dataset.map_batches` on two actors, each keeping one `conveyor pipe` process. Expected values
come from the training frameworks' fixtures, never from Conveyor: models/car-evaluation/expected.csv
(scikit-learn + XGBoost on the 1,728 Car rows) and models/car-evaluation-spark/expected.json
(PySpark's own transform of 44 rows, nulls included). A larger Dataset (the Car rows repeated,
many blocks) must equal `conveyor transform`'s output of the same rows, row for row.
Prints 'N passed, N failed'; PipeRayTests runs it.

    CONVEYOR_BIN=.build/debug/conveyor training/.venvs/pipe-spark/bin/python python/tests/ray_check.py
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Support"))
sys.path.insert(0, str(ROOT / "python"))
from numeric_compare import compare  # noqa: E402

import checks  # noqa: E402
from checks import INPUTS, car_table, check  # noqa: E402

import pyarrow as pa  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

import conveyor  # noqa: E402
import conveyor.ray  # noqa: E402

SPARK_PIPELINE = str(ROOT / "pipelines/car-evaluation.json")
SKLEARN_PIPELINE = str(ROOT / "pipelines/car-evaluation-sklearn.json")
REPEAT = int(os.environ.get("RAY_CHECK_REPEAT", "40"))  # 69,120 rows in the transform comparison


def check_numbers(label, actual, expected, absolute, columns=None):
    result = compare(actual, expected, absolute=absolute, columns=columns, label=label)
    check(label, result.matches, str(result))


def transform_output(binary, table, directory):
    """`conveyor transform` over the same rows written as one CSV object: its output lines."""
    source, target = Path(directory, "in"), Path(directory, "out")
    source.mkdir()
    pacsv.write_csv(table, source / "cars.csv", pacsv.WriteOptions(include_header=False))
    subprocess.run([binary, "transform", "--pipeline", SKLEARN_PIPELINE, "--input", str(source), "--output",
                    str(target), "--content-type", "text/csv", "--split-type", "Line", "--accept", "text/csv"],
                   check=True, capture_output=True)
    return (target / "cars.csv.out").read_text().splitlines()


def blocks(table, count):
    """The table as a Dataset of `count` blocks (no repartition: its tasks would wait for the CPUs
    the actors hold on a 2-CPU Ray)."""
    import ray

    size = -(-table.num_rows // count)
    return ray.data.from_arrow([table.slice(start, size) for start in range(0, table.num_rows, size)])


def collect(dataset):
    import ray

    return pa.concat_tables(ray.get(dataset.to_arrow_refs())).sort_by("id")


def main():
    import ray

    binary = conveyor.binary()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"CONVEYOR_BIN": binary, "PYTHONPATH": str(ROOT / "python")}})
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        cars = car_table()
        with open(ROOT / "models/car-evaluation/expected.csv") as handle:
            expected = list(csv.DictReader(handle))

        # --- every Car row through the scikit-learn pipeline, ids passed through, many batches ---
        with_ids = cars.append_column("id", pa.array(range(cars.num_rows), pa.int64()))
        dataset = blocks(with_ids, 6)
        scored = conveyor.ray.map_batches(dataset, SKLEARN_PIPELINE, keep=["id"], concurrency=2, batch_size=100)
        table = collect(scored)
        check("map_batches: every Car row once", table.column("id").to_pylist() == list(range(1728)),
              f"{table.num_rows} rows")
        check("map_batches: output columns", table.column_names == ["id", "predicted_class", "probabilities"],
              str(table.schema))
        check("map_batches: predicted_class",
              table.column("predicted_class").to_pylist() == [e["predicted_label"] for e in expected])
        check_numbers("map_batches: probabilities",
                      [p for row in table.column("probabilities").to_pylist() for p in row],
                      [float(e[f"prob_{k}"]) for e in expected for k in range(4)], 1e-7, columns=4)

        # --- the default Spark pipeline on PySpark's own 44 expected rows (nulls included) -------
        data = json.loads((ROOT / "models/car-evaluation-spark/expected.json").read_text())
        names = [c["name"] for c in data["inputs"]]
        rows = pa.table({n: pa.array([r[i] for r in data["rows"]], pa.string()) for i, n in enumerate(names)})
        rows = rows.append_column("id", pa.array(range(rows.num_rows), pa.int64()))
        spark_scored = conveyor.ray.map_batches(blocks(rows, 2), SPARK_PIPELINE,
                                                keep=["id"], concurrency=2, batch_size=16)
        spark_scored = collect(spark_scored)
        check("map_batches (Spark pipeline): predicted_class",
              spark_scored.column("predicted_class").to_pylist()
              == [e["values"]["predicted_class"] for e in data["expected"]])
        check_numbers("map_batches (Spark pipeline): probability",
                      [p for row in spark_scored.column("probability").to_pylist() for p in row],
                      [p for e in data["expected"] for p in e["values"]["probability"]], 1e-6, columns=4)

        # --- a larger Dataset equals `conveyor transform` of the same rows, row for row ---------
        big = pa.concat_tables([cars] * REPEAT)
        big_ids = big.append_column("id", pa.array(range(big.num_rows), pa.int64()))
        answer = conveyor.ray.map_batches(blocks(big_ids, 8), SKLEARN_PIPELINE,
                                          keep=["id"], concurrency=2)
        answer = collect(answer)
        with tempfile.TemporaryDirectory() as directory:
            lines = transform_output(binary, big, directory)
        check(f"map_batches vs transform: {big.num_rows} rows, ids in order",
              answer.column("id").to_pylist() == list(range(big.num_rows)) and len(lines) == big.num_rows,
              f"{answer.num_rows} rows from Ray, {len(lines)} lines from transform")
        fields = [line.split(",") for line in lines]
        check("map_batches vs transform: predicted_class",
              answer.column("predicted_class").to_pylist() == [f[0] for f in fields])
        # The same binary computes both; transform writes float32 values as their shortest text.
        ray_probabilities = [p for row in answer.column("probabilities").to_pylist() for p in row]
        text_probabilities = pa.array([p for f in fields for p in f[1:]], pa.string()).cast(pa.float32()).to_pylist()
        check_numbers("map_batches vs transform: probabilities (exact)", ray_probabilities, text_probabilities, 0.0,
                      columns=4)
    finally:
        ray.shutdown()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
