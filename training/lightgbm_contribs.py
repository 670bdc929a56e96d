"""LightGBM's own per-feature contributions (pred_contrib, TreeSHAP) for the committed fixture models.

Run with the lightgbm venv (training/run.sh lightgbm-contribs). For every model of
Tests/Fixtures/lightgbm/manifest.json, writes `<model>.contrib.csv.gz` beside it:
`Booster(model_file=...).predict(X, pred_contrib=True)` on the model's committed input rows, one
line per row, the (num_feature + 1) values of each class one class after the other (the last of
each class is the expected value). Nothing is retrained: the models and inputs are read back from
the committed files. LightGBM refuses pred_contrib for linear trees, so those models get none
(the manifest records it).
"""
import csv
import gzip
import io
import json
import os

import lightgbm as lgb
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.join(os.path.dirname(HERE), "Tests", "Fixtures", "lightgbm")


def read_inputs(name):
    with gzip.open(os.path.join(FOLDER, name), "rt", newline="") as handle:
        rows = list(csv.reader(handle))
    return np.array([[float(v) for v in row] for row in rows[1:]], dtype=np.float64)


def write_csv_gz(path, matrix):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    for row in matrix:
        writer.writerow([repr(float(v)) for v in row])
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(text.getvalue().encode())


def main():
    path = os.path.join(FOLDER, "manifest.json")
    with open(path) as handle:
        manifest = json.load(handle)
    for name, model in sorted(manifest["models"].items()):
        booster = lgb.Booster(model_file=os.path.join(FOLDER, f"{name}.txt"))
        X = read_inputs(model["inputs"])
        if model["params"].get("linear_tree"):
            model["contrib"] = None
            print(f"{name}: linear trees, LightGBM computes no contributions")
            continue
        contrib = np.asarray(booster.predict(X, pred_contrib=True)).reshape(X.shape[0], -1)
        write_csv_gz(os.path.join(FOLDER, f"{name}.contrib.csv.gz"), contrib)
        model["contrib"] = f"{name}.contrib.csv.gz"
        print(f"{name}: {contrib.shape[1]} values per row")
    with open(path, "w") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
