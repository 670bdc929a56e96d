"""Spark 4's own transform of the corpus models (training/spark_corpus.py compare), on rows made from
each model's input schema: the schema Conveyor reads from the directory (`conveyor validate`), string
values from the model's own StringIndexer labels (one unseen value too), text from its vocabulary,
numbers and vectors from a seeded generator. Writes Tests/Fixtures/spark-corpus/expected/<id>.expected.json
(inputs, rows, Spark's output per row, rows Spark refused), and <id>.spark-refused.txt when Spark 4
itself cannot load or run the model. Vector outputs wider than 64 are left out (sparse text features),
as are models whose input vectors are wider than 1024.
"""
import json
import math
import os
import random
import re
import subprocess
import sys

from pyspark.ml.linalg import DenseVector, SparseVector, Vectors, VectorUDT
from pyspark.ml.util import DefaultParamsReader
from pyspark.sql import types as T

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spark_corpus import FIXTURES, REPO  # noqa: E402
from spark_pipelines import json_value, spark_session  # noqa: E402

OUT = os.path.join(FIXTURES, "expected")
CONVEYOR = os.environ.get("CONVEYOR", os.path.join(REPO, ".build", "release", "conveyor"))
ROWS = 12
WORDS = ["good", "bad", "the", "movie", "great", "not", "love", "hate", "data", "spark", "model", "price"]


def conveyor_inputs(path):
    """[(name, type, width)] from `conveyor validate`'s input line, or None when Conveyor refuses the model."""
    run = subprocess.run([CONVEYOR, "validate", path], capture_output=True, text=True)
    if run.returncode != 0:
        return None
    line = next(l for l in run.stdout.splitlines() if l.strip().startswith("input:"))
    inputs = []
    # Names may hold spaces and slashes ("Fwd Pkts/s: double"): split before "<name>: <type>".
    types = r"(?:string|double|float|int|long|bool|boolean|vector|list)"
    for part in re.split(r",\s+(?=[^,]+: " + types + ")", line.split("input:", 1)[1].strip()):
        name, kind = part.rsplit(": ", 1)
        width = re.search(r"\[(\d+)\]", kind)
        inputs.append((name, kind.split("<")[0].split("[")[0], int(width.group(1)) if width else None))
    return inputs


def stages(model):
    """Every fitted stage below a pipeline or tuning model."""
    if hasattr(model, "bestModel"):
        return stages(model.bestModel)
    if hasattr(model, "stages"):
        return [s for child in model.stages for s in stages(child)]
    return [model]


def vocabularies(model):
    labels, words = {}, []
    for s in stages(model):
        name = type(s).__name__
        if name == "StringIndexerModel":
            cols = s.getInputCols() if s.isSet("inputCols") else [s.getInputCol()]
            for col, ls in zip(cols, s.labelsArray):
                labels[col] = list(ls)
        elif name == "CountVectorizerModel":
            words += list(s.vocabulary[:40])
    return labels, words or WORDS


def make_rows(inputs, labels, words, rng):
    rows = []
    for i in range(ROWS):
        row = []
        for name, kind, width in inputs:
            if kind == "string":
                if name in labels:
                    ls = labels[name]
                    row.append("corpus-unseen" if i == ROWS - 1 else ls[i % len(ls)])
                else:
                    row.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))))
            elif kind == "list":
                row.append([rng.choice(words) for _ in range(rng.randint(1, 8))])
            elif kind == "vector":
                row.append([round(rng.gauss(0, 3), 3) for _ in range(width)])
            else:
                row.append(float(rng.randint(0, 3)) if i % 3 == 0 else round(rng.gauss(2, 10), 3))
        rows.append(row)
    return rows


def spark_type(kind):
    return {"string": T.StringType(), "list": T.ArrayType(T.StringType()), "vector": VectorUDT()}.get(kind, T.DoubleType())


def compare(entries, corpus, only=None):
    os.makedirs(OUT, exist_ok=True)
    spark = spark_session()
    for e in entries:
        path = os.path.join(corpus, e["id"])
        target = os.path.join(OUT, e["id"] + ".expected.json")
        refused = os.path.join(OUT, e["id"] + ".spark-refused.txt")
        if os.path.exists(target) or os.path.exists(refused) or (only and e["id"] not in only):
            continue
        inputs = conveyor_inputs(path)
        if inputs is None or any(k == "vector" and w > 1024 for _, k, w in inputs):
            continue
        loaded = "."
        try:
            model = DefaultParamsReader.loadParamsInstance(path, spark.sparkContext)
        except Exception as error:  # noqa: BLE001 (Py4J errors of every kind)
            model = None
            # A tuning model's reader also loads its estimator/, whose classes may be gone from Spark 4
            # (OneHotEncoderEstimator): its bestModel/, the part that is served, may still load alone.
            if os.path.isdir(os.path.join(path, "bestModel")):
                try:
                    model = DefaultParamsReader.loadParamsInstance(os.path.join(path, "bestModel"), spark.sparkContext)
                    loaded = "bestModel (the wrapper: " + str(error).strip().splitlines()[0][:200] + ")"
                except Exception:  # noqa: BLE001
                    model = None
        if model is None:
            with open(refused, "w") as f:
                f.write("Spark 4 load: " + str(error).strip().splitlines()[0][:400] + "\n")
            print(f"  {e['id']}: Spark cannot load it")
            continue
        labels, words = vocabularies(model)
        rows = make_rows(inputs, labels, words, random.Random(e["id"]))
        fields = [T.StructField("_row", T.IntegerType(), False)] + [
            T.StructField(n, spark_type(k), True) for n, k, _ in inputs]
        data = [[i] + [Vectors.dense(v) if k == "vector" else v for v, (_, k, _) in zip(r, inputs)]
                for i, r in enumerate(rows)]
        df = spark.createDataFrame(data, T.StructType(fields))
        out, errors, collected = [], [], []
        # The last row holds the unseen string values: run it alone, the others together (row by row
        # only when Spark refuses the batch), so that most models cost Spark two jobs.
        for batch in (df.filter(df._row < len(rows) - 1), df.filter(df._row == len(rows) - 1)):
            try:
                collected += batch.transform(model.transform).collect()
            except Exception:  # noqa: BLE001 (handleInvalid=error on an unseen value, and the like)
                ids = [r._row for r in batch.select("_row").collect()]
                for i in ids:
                    try:
                        collected += model.transform(df.filter(df._row == i)).collect()
                    except Exception:  # noqa: BLE001
                        errors.append(i)
        names = {n for n, _, _ in inputs} | {"_row"}
        for r in collected:
            d = r.asDict()
            values = {k: json_value(v) for k, v in d.items() if k not in names
                      and not (isinstance(v, (DenseVector, SparseVector)) and v.size > 64)}
            out.append({"row": d["_row"], "values": values})
        if len(errors) == len(rows):
            with open(refused, "w") as f:
                f.write("Spark 4 transform refused every row\n")
            print(f"  {e['id']}: Spark refused every row")
            continue
        doc = {"id": e["id"], "spark_version": spark.version, "spark_loaded": loaded,
               "inputs": [{"name": n, "type": k, **({"width": w} if w else {})} for n, k, w in inputs],
               "rows": [[json_value(x) for x in r] for r in rows], "expected": out, "error_rows": errors}
        with open(target, "w") as f:
            json.dump(doc, f, indent=None, separators=(",", ":"))
            f.write("\n")
        print(f"  {e['id']}: {len(out)} rows, {len(errors)} refused", flush=True)
