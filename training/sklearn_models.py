"""scikit-learn models exported with mleap 0.25.3, with scikit-learn's own predictions.

Run:  training/run.sh sklearn   (or: training/.venvs/main/bin/python training/sklearn_models.py)
Writes Tests/Fixtures/sklearn-mleap/:
  <model>.zip          MLeap bundle (JSON): vector_assembler(numeric columns) -> model
  <model>.csv          held-back rows: the input columns, then scikit-learn's outputs
                       (prediction; for classifiers also prob_0..prob_k-1), repr() floats
  manifest.json        per model: op, dataset, input columns, output columns, class labels
Adult (../shared/datasets/adult/adult.csv): income (>50K) classifiers and an hours-per-week
regression on numeric columns. Car Evaluation: 4-class tree classifiers on the integer codes
of its ordinal columns (so the trees see more than two classes).
"""
import csv
import json
import os
import shutil
import tempfile
import zipfile

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

import mleap.sklearn.base  # noqa: F401  (LinearRegression)
import mleap.sklearn.ensemble.forest  # noqa: F401
import mleap.sklearn.logistic  # noqa: F401
import mleap.sklearn.pipeline  # noqa: F401
import mleap.sklearn.tree.tree  # noqa: F401
from mleap.sklearn.preprocessing.data import FeatureExtractor

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(REPO, "..", "shared", "datasets")
OUT = os.path.join(REPO, "Tests", "Fixtures", "sklearn-mleap")
SEED = 7
HELD_BACK = 200

ADULT_NUMERIC = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
CAR_ORDER = {
    "buying": ["low", "med", "high", "vhigh"], "maint": ["low", "med", "high", "vhigh"],
    "doors": ["2", "3", "4", "5more"], "persons": ["2", "4", "more"],
    "lug_boots": ["small", "med", "big"], "safety": ["low", "med", "high"],
}


def adult():
    df = pd.read_csv(os.path.join(SHARED, "adult", "adult.csv"), skipinitialspace=True)
    df = df.rename(columns=lambda c: c.strip())
    x = df[ADULT_NUMERIC].astype(np.float64)
    y = (df["Salary"].str.strip().str.startswith(">50K")).astype(int)
    return x, y


def car():
    df = pd.read_csv(os.path.join(SHARED, "car-evaluation", "car.csv"), dtype=str, keep_default_na=False)
    x = pd.DataFrame({c: df[c].map(order.index).astype(np.float64) for c, order in CAR_ORDER.items()})
    classes = sorted(df["class"].unique())
    y = df["class"].map(classes.index).astype(int)
    return x, y, classes


def split(x, y):
    rng = np.random.RandomState(SEED)
    order = rng.permutation(len(x))
    test, train = order[:HELD_BACK], order[HELD_BACK:]
    return x.iloc[train], y.iloc[train], x.iloc[test], y.iloc[test]


def export(name, model, columns, x_train, y_train, x_test, classes=None):
    # mleap's LinearRegression writer reads intercept_[0] and coef_[0]: fit on a column.
    target = y_train.values.reshape(-1, 1) if isinstance(model, LinearRegression) else y_train.values
    model.fit(x_train.values, target)
    assembler = FeatureExtractor(input_scalars=list(columns), output_vector="features")
    assembler.name = "vector_assembler_features"
    model.mlinit(input_features="features", prediction_column="prediction",
                 **({"feature_names": list(columns)} if hasattr(model, "tree_") or hasattr(model, "estimators_") else {}))
    model.name = name
    pipe = Pipeline([(assembler.name, assembler), (name, model)])
    pipe.mlinit()
    pipe.name = name + "_pipeline"
    tmp = tempfile.mkdtemp()
    try:
        pipe.serialize_to_bundle(tmp, pipe.name, init=True)
        shutil.copyfile(os.path.join(tmp, pipe.name + ".zip"), os.path.join(OUT, name + ".zip"))
    finally:
        shutil.rmtree(tmp)
    with zipfile.ZipFile(os.path.join(OUT, name + ".zip")) as z:
        assert json.loads(z.read("bundle.json"))["format"] == "json"
    prediction = np.asarray(model.predict(x_test.values)).ravel()
    header = list(columns) + ["prediction"]
    rows = [list(map(float, x_test.values[i])) + [float(prediction[i])] for i in range(len(x_test))]
    if classes is not None:
        probabilities = model.predict_proba(x_test.values)
        header += [f"prob_{k}" for k in range(probabilities.shape[1])]
        rows = [row + [float(p) for p in probabilities[i]] for i, row in enumerate(rows)]
    with open(os.path.join(OUT, name + ".csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([repr(v) for v in row])
    return {"op": model.op, "inputs": list(columns), "outputs": header[len(columns):],
            "classes": None if classes is None else [str(c) for c in classes]}


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {}
    xa, ya = adult()
    a_train_x, a_train_y, a_test_x, a_test_y = split(xa, ya)
    # Regression target: hours-per-week from the other numeric columns.
    reg_cols = [c for c in ADULT_NUMERIC if c != "hours-per-week"]
    reg_train_y = a_train_x["hours-per-week"]
    manifest["adult_linear_regression"] = export(
        "adult_linear_regression", LinearRegression(), reg_cols, a_train_x[reg_cols], reg_train_y, a_test_x[reg_cols])
    manifest["adult_decision_tree_regression"] = export(
        "adult_decision_tree_regression", DecisionTreeRegressor(max_depth=6, random_state=SEED), reg_cols,
        a_train_x[reg_cols], reg_train_y, a_test_x[reg_cols])
    manifest["adult_random_forest_regression"] = export(
        "adult_random_forest_regression", RandomForestRegressor(n_estimators=10, max_depth=5, random_state=SEED),
        reg_cols, a_train_x[reg_cols], reg_train_y, a_test_x[reg_cols])
    manifest["adult_logistic_regression"] = export(
        "adult_logistic_regression", LogisticRegression(max_iter=2000), ADULT_NUMERIC, a_train_x, a_train_y,
        a_test_x, classes=[0, 1])
    manifest["adult_decision_tree_classifier"] = export(
        "adult_decision_tree_classifier", DecisionTreeClassifier(max_depth=6, random_state=SEED), ADULT_NUMERIC,
        a_train_x, a_train_y, a_test_x, classes=[0, 1])
    manifest["adult_random_forest_classifier"] = export(
        "adult_random_forest_classifier", RandomForestClassifier(n_estimators=10, max_depth=6, random_state=SEED),
        ADULT_NUMERIC, a_train_x, a_train_y, a_test_x, classes=[0, 1])
    xc, yc, classes = car()
    c_train_x, c_train_y, c_test_x, _ = split(xc, yc)
    cols = list(CAR_ORDER)
    manifest["car_decision_tree_classifier"] = export(
        "car_decision_tree_classifier", DecisionTreeClassifier(max_depth=8, random_state=SEED), cols,
        c_train_x, c_train_y, c_test_x, classes=classes)
    manifest["car_random_forest_classifier"] = export(
        "car_random_forest_classifier", RandomForestClassifier(n_estimators=15, max_depth=8, random_state=SEED),
        cols, c_train_x, c_train_y, c_test_x, classes=classes)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"producer": f"scikit-learn {sklearn.__version__}, mleap 0.25.3", "held_back_rows": HELD_BACK,
                   "models": manifest}, f, indent=2)
        f.write("\n")
    print("wrote", ", ".join(sorted(manifest)))


if __name__ == "__main__":
    main()
