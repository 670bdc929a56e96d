"""XGBoost's own per-feature contributions (TreeSHAP; weight x value for gblinear) for the committed fixture models.

Run once per XGBoost venv (training/run.sh contribs). For every model of
Tests/Fixtures/xgboost/<version>/ and Tests/Fixtures/xgboost-objectives/<version>/ whose JSON file
this version loads, writes `<stem>.contribs.csv` beside it: `Booster.predict(pred_contribs=True)`
on the model's committed input rows, one line per row, the (num_feature + 1) values of each output
group one group after the other (the last of each group is the bias).

The inputs are read back from the committed CSV files (empty field = missing), so nothing here
retrains anything; the DMatrix is built as the fixture scripts built the prediction DMatrix
(categorical feature types where the model was trained on them).
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xgboost_fixtures as conformance  # noqa: E402

VERSION = xgb.__version__
FOLDERS = [os.path.join(conformance.REPO, "Tests", "Fixtures", name, VERSION)
           for name in ("xgboost", "xgboost-objectives")]


def read_inputs(path):
    with open(path) as f:
        return np.array([[float(v) if v else np.nan for v in line.rstrip("\n").split(",")]
                         for line in f if line.strip()], dtype=np.float64)


def prediction_matrix(folder, manifest, model, X):
    # the same DMatrix kinds as xgboost_objectives.dmatrix, for prediction
    if model["name"] == "categorical_pandas":
        import xgboost_objectives as objectives
        codes = manifest["inputs"]["inputs_adult.csv"]["categorical_codes"]
        return xgb.DMatrix(objectives.pandas_frame(X, codes), enable_categorical=True)
    if model["name"] == "categorical_logistic":
        import xgboost_objectives as objectives
        return xgb.DMatrix(X, missing=np.nan, feature_types=objectives.FEATURE_TYPES, enable_categorical=True)
    return xgb.DMatrix(X, missing=np.nan)


def main():
    for folder in FOLDERS:
        path = os.path.join(folder, "manifest.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            manifest = json.load(f)
        for model in manifest["models"]:
            name = model.get("files", {}).get("json")
            if not name:
                continue
            X = read_inputs(os.path.join(folder, model["input"]))
            try:
                bst = xgb.Booster(model_file=os.path.join(folder, name))
                contribs = bst.predict(prediction_matrix(folder, manifest, model, X), pred_contribs=True)
            except xgb.core.XGBoostError as e:
                print(f"{VERSION} {model['name']}: no contributions: {conformance.first_line(e)}")
                continue
            conformance.write_matrix(os.path.join(folder, model["name"] + ".contribs.csv"),
                                     contribs.reshape(len(X), -1))
            print(f"{VERSION} {model['name']}: contributions {contribs.shape}")


if __name__ == "__main__":
    main()
