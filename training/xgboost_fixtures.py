"""XGBoost conformance fixtures: run once per XGBoost venv (training/run.sh xgboost).

Writes Tests/Fixtures/xgboost/<xgboost.__version__>/ with small models in every format the
version can write (JSON, UBJSON, legacy binary), the shared held-back inputs, the producer's
own predictions (plain and output_margin=True) and a manifest.json. See
Tests/Fixtures/xgboost/README.md for the formats.

Only numpy + xgboost + the standard library are used, and every random choice comes from
Python's `random.Random(seed)` (reproducible across Python versions), so the input files are
byte-identical in every version folder.
"""
import csv
import json
import os
import platform
import random
import re
import sys
import warnings

import numpy as np
import xgboost as xgb

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(REPO, "..", "shared", "datasets")
VERSION = xgb.__version__
OUT = os.path.join(REPO, "Tests", "Fixtures", "xgboost", VERSION)
N_HELD_BACK = 200
NAN_RATE = 0.05

ADULT_NUMERIC = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
ADULT_CATEGORICAL = ["workclass", "marital-status", "occupation", "sex"]
CAR_COLUMNS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]


def vtuple(v):
    return tuple(int(x) for x in v.split(".")[:2])


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    return header, [[c.strip() for c in r] for r in rows[1:] if r]


def add_missing(X, seed):
    """Set ~NAN_RATE of the cells to NaN (reproducibly); real zeros stay zeros."""
    rng = random.Random(seed)
    X = X.copy()
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            if rng.random() < NAN_RATE:
                X[i, j] = np.nan
    return X


def split(n, seed):
    held = sorted(random.Random(seed).sample(range(n), N_HELD_BACK))
    held_set = set(held)
    return [i for i in range(n) if i not in held_set], held


def load_adult():
    header, rows = read_csv(os.path.join(SHARED, "adult", "adult.csv"))
    col = {h: i for i, h in enumerate(header)}
    codes = {}
    for c in ADULT_CATEGORICAL + ["relationship", "race"]:
        codes[c] = sorted({r[col[c]] for r in rows} - {"?"})  # code = index in sorted order
    X = np.empty((len(rows), len(ADULT_NUMERIC) + len(ADULT_CATEGORICAL)), dtype=np.float64)
    for i, r in enumerate(rows):
        vals = [float(r[col[c]]) for c in ADULT_NUMERIC]
        vals += [np.nan if r[col[c]] == "?" else float(codes[c].index(r[col[c]])) for c in ADULT_CATEGORICAL]
        X[i] = vals
    X = add_missing(X, seed=11)
    targets = {
        "salary_gt_50k": np.array([1.0 if r[col["Salary"]].startswith(">50K") else 0.0 for r in rows]),
        "age": np.array([float(r[col["age"]]) for r in rows]),
        "race_is_black": np.array([1.0 if r[col["race"]] == "Black" else 0.0 for r in rows]),
        "relationship": np.array([float(codes["relationship"].index(r[col["relationship"]])) for r in rows]),
    }
    return X, targets, codes


def load_car():
    header, rows = read_csv(os.path.join(SHARED, "car-evaluation", "car.csv"))
    col = {h: i for i, h in enumerate(header)}
    cats = {c: sorted({r[col[c]] for r in rows}) for c in CAR_COLUMNS}
    classes = sorted({r[col["class"]] for r in rows})
    X = np.array([[1.0 if r[col[c]] == v else 0.0 for c in CAR_COLUMNS for v in cats[c]] for r in rows])
    X = add_missing(X, seed=13)
    y = np.array([float(classes.index(r[col["class"]])) for r in rows])
    return X, {"class": y}, cats, classes


def fmt(v):
    v = float(v)
    return "" if np.isnan(v) else repr(v)


def write_matrix(path, M):
    M = np.asarray(M)
    if M.ndim == 1:
        M = M.reshape(-1, 1)
    with open(path, "w") as f:
        for row in M:
            f.write(",".join(fmt(v) for v in row) + "\n")


def first_line(msg):
    """First line of an XGBoost message without the '[hh:mm:ss] /path/file.cc:NNN: ' prefix."""
    line = str(msg).strip().splitlines()[0]
    return re.sub(r"^\[[0-9:]+\] (WARNING: )?\S+\.cc:\d+: ", "", line)[:300]


def save_all_formats(bst, stem, out):
    """JSON and UBJSON by extension; the legacy binary via save_raw('deprecated') where the
    version still has it. Returns {format: filename} and notes."""
    files, notes = {}, []
    bst.save_model(os.path.join(out, stem + ".json"))
    files["json"] = stem + ".json"
    if vtuple(VERSION) >= (1, 6):
        bst.save_model(os.path.join(out, stem + ".ubj"))
        files["ubj"] = stem + ".ubj"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            raw = bst.save_raw(raw_format="deprecated")
        with open(os.path.join(out, stem + ".bin"), "wb") as f:
            f.write(bytes(raw))
        files["legacy_binary"] = stem + ".bin"
        notes += sorted({first_line(w.message) for w in caught})
    except Exception as e:  # removed in newer versions
        notes.append("legacy binary not written: " + first_line(e))
    return files, notes


def main():
    os.makedirs(OUT, exist_ok=True)
    Xa, ya, adult_codes = load_adult()
    Xc, yc, car_cats, car_classes = load_car()
    datasets = {
        "adult": dict(X=Xa, y=ya, split=split(len(Xa), seed=21)),
        "car": dict(X=Xc, y=yc, split=split(len(Xc), seed=23)),
    }
    for name, d in datasets.items():
        write_matrix(os.path.join(OUT, f"inputs_{name}.csv"), d["X"][d["split"][1]])

    base = {"max_depth": 3, "eta": 0.3, "seed": 0, "nthread": 2, "tree_method": "hist"}
    specs = [
        # stem, objective, dataset, target, extra params, rounds
        ("binary_logistic", "binary:logistic", "adult", "salary_gt_50k", {}, 30),
        ("binary_logitraw", "binary:logitraw", "adult", "salary_gt_50k", {}, 30),
        ("reg_squarederror", "reg:squarederror", "adult", "age", {}, 30),
        ("reg_logistic", "reg:logistic", "adult", "salary_gt_50k", {}, 30),
        ("multi_softprob", "multi:softprob", "car", "class", {"num_class": 4}, 20),
        ("multi_softmax", "multi:softmax", "car", "class", {"num_class": 4}, 20),
        # imbalanced targets: with the default base_score, 2.0+ estimates an intercept far from 0.5
        ("binary_logistic_imbalanced", "binary:logistic", "adult", "race_is_black", {}, 20),
        ("multi_softprob_imbalanced", "multi:softprob", "adult", "relationship",
         {"num_class": len(adult_codes["relationship"])}, 10),
    ]
    models = []
    for stem, objective, ds, target, extra, rounds in specs:
        d = datasets[ds]
        train_idx, held_idx = d["split"]
        X, y = d["X"], d["y"][target]
        params = dict(base, objective=objective, **extra)
        dtrain = xgb.DMatrix(X[train_idx], label=y[train_idx], missing=np.nan)
        bst = xgb.train(params, dtrain, num_boost_round=rounds)
        dtest = xgb.DMatrix(X[held_idx], missing=np.nan)
        pred = bst.predict(dtest)
        margin = bst.predict(dtest, output_margin=True)
        write_matrix(os.path.join(OUT, f"{stem}.pred.csv"), pred)
        write_matrix(os.path.join(OUT, f"{stem}.margin.csv"), margin)
        files, notes = save_all_formats(bst, stem, OUT)
        # every written file must load back in this version and predict identically
        for fmt_name, fn in files.items():
            b2 = xgb.Booster(model_file=os.path.join(OUT, fn))
            if not np.array_equal(b2.predict(dtest), pred):
                notes.append(f"{fmt_name} reloaded by {VERSION} predicts differently")
        config = json.loads(bst.save_config())
        lmp = config["learner"]["learner_model_param"]
        models.append({
            "name": stem,
            "objective": objective,
            "files": files,
            "num_feature": int(lmp["num_feature"]),
            "num_class": int(lmp["num_class"]),
            "base_score": lmp["base_score"],
            "num_boosted_rounds": bst.num_boosted_rounds(),
            "params": params,
            "dataset": ds,
            "target": target,
            "input": f"inputs_{ds}.csv",
            "pred": f"{stem}.pred.csv",
            "pred_columns": int(np.asarray(pred).reshape(len(held_idx), -1).shape[1]),
            "margin": f"{stem}.margin.csv",
            "margin_columns": int(np.asarray(margin).reshape(len(held_idx), -1).shape[1]),
            "notes": notes,
        })
        print(f"{VERSION} {stem}: base_score={lmp['base_score']!r} files={sorted(files)} {notes if notes else ''}")

    manifest = {
        "xgboost_version": VERSION,
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "generator": "training/xgboost_fixtures.py",
        "inputs": {
            "inputs_adult.csv": {
                "rows": N_HELD_BACK, "columns": ADULT_NUMERIC + ADULT_CATEGORICAL,
                "source": "../shared/datasets/adult/adult.csv, values stripped; held-back rows (0-based data row indices) below",
                "held_back_rows": datasets["adult"]["split"][1],
                "categorical_codes": {c: {v: i for i, v in enumerate(adult_codes[c])} for c in ADULT_CATEGORICAL},
                "missing": "'?' and ~5% random cells are NaN (empty field); zeros are real zeros",
            },
            "inputs_car.csv": {
                "rows": N_HELD_BACK,
                "columns": [f"{c}={v}" for c in CAR_COLUMNS for v in car_cats[c]],
                "source": "../shared/datasets/car-evaluation/car.csv one-hot encoded (categories sorted); held-back rows below",
                "held_back_rows": datasets["car"]["split"][1],
                "missing": "~5% random cells are NaN (empty field); 0.0 is a real value",
            },
        },
        "targets": {
            "salary_gt_50k": "adult Salary == '>50K' -> 1.0 else 0.0",
            "age": "adult age (also an input feature)",
            "race_is_black": "adult race == 'Black' -> 1.0 else 0.0 (~10% positive)",
            "relationship": {v: i for i, v in enumerate(adult_codes["relationship"])},
            "class": {v: i for i, v in enumerate(car_classes)},
        },
        "models": models,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
