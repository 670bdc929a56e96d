"""LightGBM text-model fixtures (training/run.sh lightgbm): writes Tests/Fixtures/lightgbm/.

Small models (few leaves, 10-40 trees) saved with Booster.save_model, then reloaded from the file
and asked for predict() and predict(raw_score=True) on >= 1,000 held-back rows, so the expected
values are what LightGBM computes from exactly the committed text. Two input sets:

- adult: UCI Adult (../shared/datasets/adult/adult.csv), the 6 numeric columns as they are (many
  zeros in capital-gain/-loss) and the 8 categorical ones as integer codes ('?' becomes NaN);
- synthetic: 7 features with NaNs, zeros, a feature without NaN in training (missing_type None),
  two categorical features (one with > 32 categories, so its bit sets span several words).

Test rows then get special values written into random cells: NaN, +-0, values below LightGBM's
kZeroThreshold (1e-35f), +-inf, the models' own split thresholds and their double neighbours, and
for categorical features negative values, fractions, -0.5, categories past the bit set and past
int32. Every random choice comes from numpy's default_rng with a fixed seed; LightGBM trains with
deterministic=True on one thread. Files (CSV written with Python's repr, so every double round
trips; gzip with mtime 0):

  <set>-inputs.csv.gz              header of feature names, one row per input row
  <model>.txt                      the model as save_model wrote it
  <model>.predict.csv.gz           Booster(model_file=...).predict(X)       (K columns for K classes)
  <model>.raw.csv.gz               Booster(model_file=...).predict(X, raw_score=True)
  manifest.json                    model -> input set, outputs per row, objective line, params
"""
import csv
import gzip
import io
import json
import math
import os

import lightgbm as lgb
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared", "datasets")
OUT = os.path.join(REPO, "Tests", "Fixtures", "lightgbm")
TEST_ROWS = 1000
K_ZERO = float(np.float32(1e-35))  # LightGBM's kZeroThreshold, a float constant used as double

ADULT_NUMERIC = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
ADULT_CATEGORICAL = ["workclass", "education", "marital-status", "occupation", "relationship", "race",
                     "sex", "native-country"]

BASE = {"verbose": -1, "deterministic": True, "num_threads": 1, "seed": 7, "min_data_in_leaf": 20}


def read_adult():
    with open(os.path.join(SHARED, "adult", "adult.csv"), newline="") as handle:
        rows = [[cell.strip() for cell in row] for row in csv.reader(handle) if row]
    header, rows = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    features = ADULT_NUMERIC + ADULT_CATEGORICAL
    X = np.empty((len(rows), len(features)))
    for j, name in enumerate(ADULT_NUMERIC):
        X[:, j] = [float(r[col[name]]) for r in rows]
    for j, name in enumerate(ADULT_CATEGORICAL, start=len(ADULT_NUMERIC)):
        levels = sorted({r[col[name]] for r in rows if r[col[name]] != "?"})
        code = {level: float(i) for i, level in enumerate(levels)}
        X[:, j] = [code.get(r[col[name]], math.nan) for r in rows]
    y = np.array([1.0 if r[col["Salary"]].startswith(">") else 0.0 for r in rows])
    names = [n.replace("-", "_") for n in features]
    categorical = list(range(len(ADULT_NUMERIC), len(features)))
    return X, y, names, categorical


def synthetic(rng, n):
    """7 features: f0 normal without NaN (missing_type None), f1 with 30% zeros, f2 with NaNs,
    f3 categorical 0..5, f4 categorical 0..39, f5 integers 0..9 with NaNs, f6 uniform."""
    X = np.empty((n, 7))
    X[:, 0] = rng.normal(size=n)
    X[:, 1] = np.where(rng.random(n) < 0.3, 0.0, rng.gamma(2.0, 1.0, size=n))
    X[:, 2] = np.where(rng.random(n) < 0.15, np.nan, rng.normal(1.0, 2.0, size=n))
    X[:, 3] = rng.integers(0, 6, size=n)
    X[:, 4] = rng.integers(0, 40, size=n)
    X[:, 5] = np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 10, size=n))
    X[:, 6] = rng.random(n)
    f2 = np.nan_to_num(X[:, 2], nan=-1.0)
    cat_effect = np.array([0.0, 0.8, -0.5, 1.2, 0.1, -1.0])[X[:, 3].astype(int)]
    wide_effect = np.where(X[:, 4] % 3 == 0, 0.7, -0.3) + np.where(X[:, 4] > 33, 1.0, 0.0)
    signal = 0.9 * X[:, 0] + 0.4 * X[:, 1] - 0.3 * f2 + cat_effect + wide_effect + 0.6 * X[:, 6]
    X = np.round(X, 4)  # short CSV fields
    names = [f"f{i}" for i in range(7)]
    return X, signal, names, [3, 4]


def synthetic_targets(rng, signal):
    n = len(signal)
    noisy = signal + rng.normal(0, 0.5, size=n)
    cuts = np.quantile(noisy, [1 / 3, 2 / 3])
    return {
        "regression": noisy,
        "multiclass": np.digitize(noisy, cuts).astype(float),
        "poisson": rng.poisson(np.exp(0.4 * signal - 0.2)).astype(float),
        "gamma": rng.gamma(2.0, np.exp(0.3 * signal) / 2.0),
        "tweedie": np.where(rng.random(n) < 0.3, 0.0, rng.gamma(1.5, np.exp(0.3 * signal))),
        "xentropy": 1.0 / (1.0 + np.exp(-signal)),
    }


# name -> (input set, target key, params, rounds)
MODELS = {
    "binary": ("adult", "binary", {"objective": "binary", "num_leaves": 7}, 20),
    "binary_linear": ("adult", "binary", {"objective": "binary", "num_leaves": 5, "linear_tree": True,
                                          "linear_lambda": 0.1}, 10),
    "multiclass": ("synthetic", "multiclass", {"objective": "multiclass", "num_class": 3, "num_leaves": 5}, 10),
    "multiclassova": ("synthetic", "multiclass", {"objective": "multiclassova", "num_class": 3,
                                                  "num_leaves": 5, "sigmoid": 1.5}, 8),
    "regression": ("synthetic", "regression", {"objective": "regression", "num_leaves": 7,
                                               "max_cat_to_onehot": 8}, 20),
    "regression_linear": ("synthetic", "regression", {"objective": "regression", "num_leaves": 5,
                                                      "linear_tree": True}, 12),
    "regression_sqrt_zero": ("synthetic", "regression", {"objective": "regression", "reg_sqrt": True,
                                                         "zero_as_missing": True, "num_leaves": 5}, 12),
    "poisson": ("synthetic", "poisson", {"objective": "poisson", "num_leaves": 5, "zero_as_missing": True}, 15),
    "gamma": ("synthetic", "gamma", {"objective": "gamma", "num_leaves": 5}, 12),
    "tweedie": ("synthetic", "tweedie", {"objective": "tweedie", "num_leaves": 5,
                                         "tweedie_variance_power": 1.3}, 12),
    "xentropy": ("synthetic", "xentropy", {"objective": "cross_entropy", "num_leaves": 5}, 10),
    "rf": ("synthetic", "regression", {"boosting": "rf", "objective": "regression", "num_leaves": 7,
                                       "bagging_fraction": 0.7, "bagging_freq": 1,
                                       "feature_fraction": 0.8}, 10),
}


def thresholds(booster):
    """Feature index -> numeric split thresholds of a trained booster (from its JSON dump)."""
    found = {}

    def walk(node):
        if "split_index" not in node:
            return
        if node["decision_type"] == "<=":
            found.setdefault(node["split_feature"], set()).add(float(node["threshold"]))
        walk(node["left_child"])
        walk(node["right_child"])

    for tree in booster.dump_model()["tree_info"]:
        walk(tree["tree_structure"])
    return found


def specials(rng, X, categorical, cuts):
    """Writes special values into about a third of the rows' cells (one or two per row)."""
    X = X.copy()
    plain = [math.nan, 0.0, -0.0, 1e-40, -1e-40, K_ZERO, -K_ZERO, np.nextafter(K_ZERO, 1.0),
             -np.nextafter(K_ZERO, 1.0), math.inf, -math.inf, 5e-324]
    category = [-0.5, -1.0, -3.0, 2.5, 0.99, 31.0, 32.0, 33.0, 63.0, 64.0, 1000.0, 3e9, 1e10, 2147483647.0]
    for row in range(X.shape[0]):
        if rng.random() >= 0.35:
            continue
        for _ in range(int(rng.integers(1, 3))):
            j = int(rng.integers(0, X.shape[1]))
            choices = list(plain)
            if j in categorical:
                choices += category
            elif cuts.get(j):
                t = float(rng.choice(sorted(cuts[j])))
                choices += [t, t, np.nextafter(t, math.inf), np.nextafter(t, -math.inf)]
            X[row, j] = choices[int(rng.integers(0, len(choices)))]
    return X


def write_csv_gz(path, header, matrix):
    text = io.StringIO()
    if header:
        text.write(",".join(header) + "\n")
    for row in matrix:
        text.write(",".join(repr(float(v)) for v in row) + "\n")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(text.getvalue().encode())


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261204)
    sets = {}
    X, y, names, cats = read_adult()
    order = rng.permutation(len(y))
    train, test = order[:8000], order[8000:8000 + TEST_ROWS]
    sets["adult"] = {"X": X[train], "targets": {"binary": y[train]}, "test": X[test], "names": names, "cats": cats}
    Xs, signal, snames, scats = synthetic(rng, 4000 + TEST_ROWS)
    targets = synthetic_targets(rng, signal)
    sets["synthetic"] = {"X": Xs[:4000], "targets": {k: v[:4000] for k, v in targets.items()},
                         "test": Xs[4000:], "names": snames, "cats": scats}

    boosters = {}
    for name, (data, target, params, rounds) in MODELS.items():
        s = sets[data]
        dataset = lgb.Dataset(s["X"], s["targets"][target], feature_name=s["names"],
                              categorical_feature=s["cats"], free_raw_data=False)
        boosters[name] = lgb.train({**BASE, **params}, dataset, num_boost_round=rounds)

    inputs = {}
    for data, s in sets.items():
        cuts = {}
        for name, (model_data, *_rest) in MODELS.items():
            if model_data == data:
                for j, values in thresholds(boosters[name]).items():
                    cuts.setdefault(j, set()).update(values)
        inputs[data] = specials(rng, s["test"], s["cats"], cuts)
        write_csv_gz(os.path.join(OUT, f"{data}-inputs.csv.gz"), s["names"], inputs[data])

    manifest = {"lightgbm": lgb.__version__, "kZeroThreshold": K_ZERO, "models": {}}
    for name, (data, target, params, rounds) in MODELS.items():
        path = os.path.join(OUT, f"{name}.txt")
        boosters[name].save_model(path)
        loaded = lgb.Booster(model_file=path)
        X = inputs[data]
        predict = np.asarray(loaded.predict(X)).reshape(X.shape[0], -1)
        raw = np.asarray(loaded.predict(X, raw_score=True)).reshape(X.shape[0], -1)
        write_csv_gz(os.path.join(OUT, f"{name}.predict.csv.gz"), None, predict)
        write_csv_gz(os.path.join(OUT, f"{name}.raw.csv.gz"), None, raw)
        with open(path) as handle:
            objective = next((line.strip()[len("objective="):] for line in handle
                              if line.startswith("objective=")), None)
        manifest["models"][name] = {"inputs": f"{data}-inputs.csv.gz", "outputs": int(predict.shape[1]),
                                    "rows": int(X.shape[0]), "objective": objective, "rounds": rounds,
                                    "params": {k: v for k, v in params.items()}}
        print(f"{name}: {objective}, {loaded.num_trees()} trees, {predict.shape[1]} outputs")
    with open(os.path.join(OUT, "manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
