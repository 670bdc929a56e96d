"""XGBoost objective/booster fixtures: run once per XGBoost venv (training/run.sh objectives).

Writes Tests/Fixtures/xgboost-objectives/<xgboost.__version__>/: one small model per objective,
booster and model feature that the conformance fixtures (training/xgboost_fixtures.py) do not
cover -- the other regression, count, survival, ranking and hinge objectives, DART, gblinear,
categorical splits, multi-target trees, several quantiles -- each saved as JSON and UBJSON,
with the producer's own predictions (plain and output_margin=True) on the same held-back adult
rows as the conformance fixtures, and a manifest.json. See the README.md of that folder.

Reuses the data loading, split, missing-value and CSV writing of xgboost_fixtures.py, so the
input file is byte-identical to Tests/Fixtures/xgboost/<version>/inputs_adult.csv. Every random
choice comes from Python's `random.Random(seed)` or XGBoost's own `seed`.
"""
import json
import os
import platform
import sys

import numpy as np
import xgboost as xgb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xgboost_fixtures as conformance  # noqa: E402

REPO = conformance.REPO
VERSION = xgb.__version__
OUT = os.path.join(REPO, "Tests", "Fixtures", "xgboost-objectives", VERSION)
# The feature types of the adult inputs: 6 numeric, then 4 integer-coded categoricals.
FEATURE_TYPES = ["q"] * len(conformance.ADULT_NUMERIC) + ["c"] * len(conformance.ADULT_CATEGORICAL)
GROUP_SIZE = 20  # ranking: consecutive training rows form one query


def raw_adult_columns():
    """Adult columns as read (before any value is set missing), for extra targets."""
    header, rows = conformance.read_csv(os.path.join(conformance.SHARED, "adult", "adult.csv"))
    col = {h: i for i, h in enumerate(header)}
    return {name: [r[col[name]] for r in rows] for name in header}


def targets(raw, base_targets):
    age = base_targets["age"]
    salary = base_targets["salary_gt_50k"]
    hours = np.array([float(v) for v in raw["hours-per-week"]])
    gain = np.array([float(v) for v in raw["capital-gain"]])
    return {
        "age": age,
        # the log-error and pseudo-Huber objectives barely split on raw ages (tiny hessians)
        "age_tenths": age / 10.0,
        "age_hundredths": age / 100.0,
        "salary_gt_50k": salary,
        "hours_per_week": hours,
        "capital_gain_thousands": gain / 1000.0,
        # survival:cox: a positive label is an observed event time, a negative one censored
        "age_censored_unless_gt_50k": np.where(salary > 0, age, -age),
        "age_and_hours": np.stack([age, hours], axis=1),
    }


def specs():
    """stem, objective, target, extra params, rounds, kind (how the DMatrix is built)."""
    return [
        ("reg_squaredlogerror", "reg:squaredlogerror", "age_tenths", {}, 10, "plain"),
        ("reg_pseudohubererror", "reg:pseudohubererror", "age_hundredths", {}, 10, "plain"),
        ("reg_absoluteerror", "reg:absoluteerror", "age", {}, 10, "plain"),
        ("reg_quantileerror", "reg:quantileerror", "age", {"quantile_alpha": [0.1, 0.5, 0.9]}, 10, "plain"),
        ("reg_gamma", "reg:gamma", "age", {}, 10, "plain"),
        ("reg_tweedie", "reg:tweedie", "capital_gain_thousands", {"tweedie_variance_power": 1.5}, 10, "plain"),
        ("count_poisson", "count:poisson", "hours_per_week", {}, 10, "plain"),
        ("binary_hinge", "binary:hinge", "salary_gt_50k", {}, 10, "plain"),
        ("rank_pairwise", "rank:pairwise", "salary_gt_50k", {}, 10, "ranking"),
        ("rank_ndcg", "rank:ndcg", "salary_gt_50k", {}, 10, "ranking"),
        ("survival_cox", "survival:cox", "age_censored_unless_gt_50k", {}, 10, "plain"),
        ("survival_aft", "survival:aft", "age",
         {"aft_loss_distribution": "normal", "aft_loss_distribution_scale": 1.0}, 10, "aft"),
        ("gblinear_logistic", "binary:logistic", "salary_gt_50k", {"booster": "gblinear"}, 10, "plain"),
        ("dart_logistic", "binary:logistic", "salary_gt_50k",
         {"booster": "dart", "rate_drop": 0.3, "skip_drop": 0.0, "sample_type": "uniform",
          "normalize_type": "tree"}, 20, "plain"),
        ("categorical_logistic", "binary:logistic", "salary_gt_50k", {"max_cat_to_onehot": 4}, 10, "categorical"),
        # the same with pandas category columns: 3.1+ then also stores the category names
        ("categorical_pandas", "binary:logistic", "salary_gt_50k", {"max_cat_to_onehot": 4}, 10, "pandas"),
        ("multi_target_per_tree", "reg:squarederror", "age_and_hours", {}, 10, "plain"),
        ("multi_output_tree", "reg:squarederror", "age_and_hours", {"multi_strategy": "multi_output_tree"}, 10,
         "plain"),
    ]


def pandas_frame(X, codes):
    """The adult inputs as a DataFrame whose categorical columns are pandas categories with the
    sorted category names, so a category's code equals the integer code in the inputs."""
    import pandas as pd  # only this model needs pandas

    columns = conformance.ADULT_NUMERIC + conformance.ADULT_CATEGORICAL
    frame = pd.DataFrame(X, columns=columns)
    for name in conformance.ADULT_CATEGORICAL:
        column = X[:, columns.index(name)]
        frame[name] = pd.Categorical.from_codes(np.where(np.isnan(column), -1, column).astype(int),
                                                categories=codes[name])
    return frame


def dmatrix(kind, X, y=None, rows=None, codes=None):
    """The training (y given) or prediction DMatrix for a model kind."""
    if kind == "pandas":
        return xgb.DMatrix(pandas_frame(X, codes), label=y, enable_categorical=True)
    if kind == "categorical":
        return xgb.DMatrix(X, label=y, missing=np.nan, feature_types=FEATURE_TYPES, enable_categorical=True)
    if y is None:
        return xgb.DMatrix(X, missing=np.nan)
    if kind == "ranking":
        # qid must be sorted: consecutive training rows form queries of GROUP_SIZE
        return xgb.DMatrix(X, label=y, missing=np.nan, qid=np.arange(len(rows)) // GROUP_SIZE)
    if kind == "aft":
        # rows with salary > 50K: the event (age) observed; others right-censored at age
        d = xgb.DMatrix(X, missing=np.nan)
        upper = np.where(y[1] > 0, y[0], np.inf)
        d.set_float_info("label_lower_bound", y[0])
        d.set_float_info("label_upper_bound", upper)
        return d
    return xgb.DMatrix(X, label=y, missing=np.nan)


def booster_facts(bst):
    config = json.loads(bst.save_config())
    learner = config["learner"]
    lmp = learner["learner_model_param"]
    gb = learner["gradient_booster"]
    return {
        "booster": gb["name"],
        "num_feature": int(lmp["num_feature"]),
        "num_class": int(lmp["num_class"]),
        "num_target": int(lmp.get("num_target", "1")),
        "base_score": lmp["base_score"],
    }


def weight_drop(path):
    """DART's per-tree weights as the JSON model stores them (None for other boosters)."""
    with open(path) as f:
        gb = json.load(f)["learner"]["gradient_booster"]
    # 3.x: inside the gbtree model of a booster named gbtree; 1.x/2.x: beside the gbtree of a dart
    return gb.get("weight_drop", gb.get("model", {}).get("weight_drop"))


def main():
    os.makedirs(OUT, exist_ok=True)
    Xa, base_targets, adult_codes = conformance.load_adult()
    ys = targets(raw_adult_columns(), base_targets)
    train_idx, held_idx = conformance.split(len(Xa), seed=21)
    conformance.write_matrix(os.path.join(OUT, "inputs_adult.csv"), Xa[held_idx])

    base = {"max_depth": 3, "eta": 0.3, "seed": 0, "nthread": 2, "tree_method": "hist"}
    models = []
    for stem, objective, target, extra, rounds, kind in specs():
        params = dict(base, objective=objective, **extra)
        if params.get("booster") == "gblinear":
            # the shotgun updater races between threads: one thread keeps it reproducible
            del params["tree_method"], params["max_depth"]
            params["nthread"] = 1
        y = ys[target][train_idx]
        if kind == "aft":
            y = (y, ys["salary_gt_50k"][train_idx])
        notes = []
        try:
            dtrain = dmatrix(kind, Xa[train_idx], y, rows=train_idx, codes=adult_codes)
            bst = xgb.train(params, dtrain, num_boost_round=rounds)
        except xgb.core.XGBoostError as e:
            print(f"{VERSION} {stem}: cannot train: {conformance.first_line(e)}")
            models.append({"name": stem, "objective": objective, "params": params, "files": {},
                           "notes": ["not trained by this version: " + conformance.first_line(e)]})
            continue
        dtest = dmatrix(kind, Xa[held_idx], codes=adult_codes)
        pred = bst.predict(dtest)
        margin = bst.predict(dtest, output_margin=True)
        conformance.write_matrix(os.path.join(OUT, f"{stem}.pred.csv"), pred)
        conformance.write_matrix(os.path.join(OUT, f"{stem}.margin.csv"), margin)
        # JSON, UBJSON and, where the version still writes it, the legacy binary format
        files, save_notes = conformance.save_all_formats(bst, stem, OUT)
        notes += save_notes
        for fmt_name, name in sorted(files.items()):
            try:
                reloaded = xgb.Booster(model_file=os.path.join(OUT, name))
                same = (np.array_equal(reloaded.predict(dtest), pred)
                        and np.array_equal(reloaded.predict(dtest, output_margin=True), margin))
            except xgb.core.XGBoostError as e:
                notes.append(f"{fmt_name} cannot be reloaded by {VERSION}: {conformance.first_line(e)}")
                continue
            if not same:
                notes.append(f"{fmt_name} reloaded by {VERSION} predicts differently")
        drops = weight_drop(os.path.join(OUT, stem + ".json"))
        facts = booster_facts(bst)
        models.append({
            "name": stem,
            "objective": objective,
            "files": files,
            **facts,
            "num_boosted_rounds": bst.num_boosted_rounds(),
            "params": params,
            "target": target,
            "input": "inputs_adult.csv",
            "pred": f"{stem}.pred.csv",
            "pred_columns": int(np.asarray(pred).reshape(len(held_idx), -1).shape[1]),
            "margin": f"{stem}.margin.csv",
            "margin_columns": int(np.asarray(margin).reshape(len(held_idx), -1).shape[1]),
            "weight_drop": drops,
            "notes": notes,
        })
        print(f"{VERSION} {stem}: booster={facts['booster']} base_score={facts['base_score']!r} "
              f"pred_columns={models[-1]['pred_columns']} {notes if notes else ''}")

    manifest = {
        "xgboost_version": VERSION,
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "pandas_version": __import__("pandas").__version__,
        "generator": "training/xgboost_objectives.py",
        "inputs": {
            "inputs_adult.csv": {
                "rows": conformance.N_HELD_BACK,
                "columns": conformance.ADULT_NUMERIC + conformance.ADULT_CATEGORICAL,
                "feature_types": FEATURE_TYPES,
                "source": "the held-back rows of Tests/Fixtures/xgboost/<version>/inputs_adult.csv (same file)",
                "held_back_rows": held_idx,
                "categorical_codes": {c: {v: i for i, v in enumerate(adult_codes[c])}
                                      for c in conformance.ADULT_CATEGORICAL},
                "missing": "'?' and ~5% random cells are NaN (empty field); zeros are real zeros",
            },
        },
        "targets": {
            "age": "adult age (also an input feature)",
            "age_tenths": "adult age / 10",
            "age_hundredths": "adult age / 100",
            "salary_gt_50k": "adult Salary == '>50K' -> 1.0 else 0.0",
            "hours_per_week": "adult hours-per-week (also an input feature)",
            "capital_gain_thousands": "adult capital-gain / 1000 (mostly 0; also an input feature, unscaled)",
            "age_censored_unless_gt_50k": "survival:cox label: age when Salary > 50K (event), else -age (censored)",
            "age_and_hours": "two targets: age, hours-per-week",
            "survival_aft": "label_lower_bound = age; label_upper_bound = age when Salary > 50K, else +inf",
            "ranking": f"qid = training row position // {GROUP_SIZE}; relevance = salary_gt_50k",
        },
        "models": models,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
