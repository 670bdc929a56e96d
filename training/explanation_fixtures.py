"""Reference attributions for explanations on the caller's own columns (issue 13).

Run in the xgb-3.0.5 venv (training/run.sh explanations); every booster here was trained by
xgboost 3.0.5. Each file holds, per row, XGBoost's own pred_contribs per model input slot
(outputs x (slots + bias)), the per-column sums over the slots each input column produced, and
the margins. Reads only what the producers wrote:

- car-spark.json (pipelines/car-evaluation.json) and adult-xgb.json (Tests/Fixtures/spark/adult-xgb:
  Imputer, StringIndexer, OneHotEncoder, VectorAssembler, SparkXGBClassifier): the rows without
  nulls and Spark's own assembled vectors from the expected.json Spark wrote, the booster from the
  saved SparkXGB*Model (model/part-00000), and which input column each slot comes from from the
  saved stage metadata (inputCols -> outputCols of the 1:1 stages, VectorAssembler inputCols) and
  the widths of Spark's vectors.
- car-sklearn.json (pipelines/car-evaluation-sklearn.json: scikit-learn one-hot -> MLeap bundle ->
  xgboost multi:softprob): pred_contribs of models/car-evaluation/xgboost.json on scikit-learn's
  own feature vectors (models/car-evaluation/features_expected.csv, f0..f20); a column's slots are
  its one-hot block, as many as it has distinct values in ../shared/datasets/car-evaluation/car.csv,
  in column order (checked: one 1 per block per row).
"""
import csv
import glob
import json
import os

import numpy as np
import xgboost as xgb

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(REPO, "models", "car-evaluation-spark")
OUT = os.path.join(REPO, "Tests", "Fixtures", "explanations")


def spark_pipeline(model_dir, expected_path, features_col, out_name, pipeline_note):
    """A saved Spark PipelineModel of Imputer / StringIndexer / OneHotEncoder / VectorAssembler
    stages and an xgboost.spark model: slots from the stage metadata and Spark's own vectors."""
    with open(expected_path) as f:
        expected = json.load(f)
    source = {}  # output column -> input column, for the 1:1 stages
    assembler = None
    model_folder = None
    for folder in sorted(glob.glob(os.path.join(model_dir, "stages", "*"))):
        (part,) = glob.glob(os.path.join(folder, "metadata", "part-*"))
        with open(part) as f:
            meta = json.loads(f.readline())
        params = meta["paramMap"]
        kind = meta["class"].split(".")[-1]
        if kind in ("ImputerModel", "StringIndexerModel", "OneHotEncoderModel"):
            source.update(zip(params["outputCols"], params["inputCols"]))
        elif kind == "VectorAssembler":
            assembler = params["inputCols"]
        elif kind.startswith("SparkXGB"):
            model_folder = folder
    entries = [e for e in expected["expected"]
               if all(v is not None for v in expected["rows"][e["row"]])]
    first = entries[0]["values"]
    slots = []
    for column in assembler:
        raw = column
        while raw in source:
            raw = source[raw]
        value = first[column]
        slots += [raw] * (len(value) if isinstance(value, list) else 1)
    booster = xgb.Booster()
    with open(os.path.join(model_folder, "model", "part-00000"), "rb") as f:
        booster.load_model(bytearray(f.read()))
    features = np.array([e["values"][features_col] for e in entries], dtype=np.float64)
    assert features.shape[1] == len(slots), (features.shape, len(slots))
    inputs = [expected["rows"][e["row"]] for e in entries]
    columns = [c["name"] for c in expected["inputs"]]
    with open(os.path.join(OUT, out_name), "w") as f:
        json.dump({
            "generator": "training/explanation_fixtures.py",
            "xgboost_version": xgb.__version__,
            "pipeline": pipeline_note,
            "columns": columns,
            "slot_columns": slots,
            "rows": attribution_rows(booster, features, inputs, slots, columns),
        }, f, indent=1)
    print(f"{out_name}: {len(entries)} rows, {len(slots)} slots")


def attribution_rows(booster, features, inputs, slots, columns):
    contribs = booster.predict(xgb.DMatrix(features, missing=np.nan), pred_contribs=True)
    if contribs.ndim == 2:  # one output group: (rows, slots + 1)
        contribs = contribs[:, None, :]
    margins = booster.predict(xgb.DMatrix(features, missing=np.nan), output_margin=True)
    rows = []
    for r in range(len(features)):
        per_class = contribs[r]  # classes x (slots + 1)
        margin = margins[r]
        rows.append({
            "row": r,
            "input": inputs[r],
            "slots": per_class.tolist(),
            "base": per_class[:, -1].tolist(),
            "columns": {c: per_class[:, [i for i, s in enumerate(slots) if s == c]].sum(axis=1).tolist()
                        for c in columns},
            "margins": margin.tolist() if margin.ndim else [float(margin)],
        })
    return rows


def sklearn_car():
    folder = os.path.join(REPO, "models", "car-evaluation")
    with open(os.path.join(folder, "features_expected.csv"), newline="") as f:
        table = list(csv.reader(f))
    header, body = table[0], table[1:]
    columns = header[:6]
    inputs = [row[:6] for row in body]
    features = np.array([[float(v) for v in row[6:]] for row in body], dtype=np.float64)
    with open(os.path.join(REPO, "..", "shared", "datasets", "car-evaluation", "car.csv"), newline="") as f:
        data = list(csv.reader(f))
    names = [h.strip() for h in data[0]]
    slots = []
    for column in columns:
        distinct = {row[names.index(column)].strip() for row in data[1:] if row}
        slots += [column] * len(distinct)
    assert len(slots) == features.shape[1], (len(slots), features.shape)
    for row in features:
        for column in columns:
            block = [row[i] for i, s in enumerate(slots) if s == column]
            assert sorted(block) == [0.0] * (len(block) - 1) + [1.0], (column, block)
    booster = xgb.Booster(model_file=os.path.join(folder, "xgboost.json"))
    with open(os.path.join(OUT, "car-sklearn.json"), "w") as f:
        json.dump({
            "generator": "training/explanation_fixtures.py",
            "xgboost_version": xgb.__version__,
            "pipeline": "pipelines/car-evaluation-sklearn.json",
            "columns": columns,
            "slot_columns": slots,
            "rows": attribution_rows(booster, features, inputs, slots, columns),
        }, f, indent=1)
    print(f"car-sklearn.json: {len(features)} rows, {len(slots)} slots")


def main():
    os.makedirs(OUT, exist_ok=True)
    sklearn_car()
    spark_pipeline(os.path.join(REPO, "models", "car-evaluation-spark", "pipeline"),
                   os.path.join(REPO, "models", "car-evaluation-spark", "expected.json"), "features",
                   "car-spark.json", "pipelines/car-evaluation.json")
    spark_pipeline(os.path.join(REPO, "Tests", "Fixtures", "spark", "adult-xgb"),
                   os.path.join(REPO, "Tests", "Fixtures", "spark", "adult-xgb.expected.json"), "assembled",
                   "adult-xgb.json", "Tests/Fixtures/spark/adult-xgb (Imputer, StringIndexer, OneHotEncoder, "
                   "VectorAssembler, SparkXGBClassifier)")


if __name__ == "__main__":
    main()
