"""scikit-learn models exported with mleap 0.25.3, with scikit-learn's own predictions.

Run:  training/run.sh sklearn   (or: training/.venvs/main/bin/python training/sklearn_models.py)
Writes Tests/Fixtures/sklearn-mleap/:
  <model>.zip          MLeap bundle (JSON): vector_assembler(numeric columns) -> model
  <model>.csv          held-back rows: the input columns, then scikit-learn's outputs
                       (prediction; for classifiers also prob_0..prob_k-1), repr() floats
  manifest.json        per model: op, dataset, input columns, output columns, class labels
Adult (../shared/datasets/adult/adult.csv): income (>50K) classifiers and an hours-per-week
regression on numeric columns. Car Evaluation: 4-class tree classifiers and a multinomial
logistic regression on the integer codes of its ordinal columns (more than two classes).
Adult also gets a LinearSVC (mleap exports it as op 'svm'; binary only: its writer keeps coef_[0]).

Multinomial logistic regression: mleap's Python writer stores coef_ ([classes x features]) as
`coefficient_matrix` with numpy's flatten(), i.e. ROW-major, while MLeap's Scala runtime reads
the tensor with Matrices.dense(rows, cols, values), i.e. COLUMN-major (the order Spark's exporter
writes). The manifest records, beside scikit-learn's outputs, what MLeap's Scala runtime would
predict from the same bundle (`mleap_scala_prediction`: argmax of the column-major reading), so
the disagreement is measured rather than assumed.

`training/sklearn_models.py NAME...` re-exports only the named models (keeping the others).
"""
import sys
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
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

import mleap.sklearn.base  # noqa: F401  (LinearRegression)
import mleap.sklearn.ensemble.forest  # noqa: F401
import mleap.sklearn.logistic  # noqa: F401
import mleap.sklearn.pipeline  # noqa: F401
import mleap.sklearn.svm  # noqa: F401
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
    extra = {}
    if isinstance(model, LogisticRegression) and len(model.classes_) > 2:
        # What MLeap's Scala runtime computes from this bundle: the flattened coef_ read column-major.
        flat = model.coef_.flatten()  # what mleap's writer stores
        scala_matrix = flat.reshape(model.coef_.shape, order="F")
        scala = np.argmax(x_test.values @ scala_matrix.T + model.intercept_, axis=1)
        extra["mleap_scala_prediction"] = [float(v) for v in scala]
        extra["mleap_scala_disagrees_on_rows"] = int(np.sum(scala != prediction))
    if isinstance(model, LinearSVC):
        header += ["decision"]  # the margin coef_ . x + intercept_
        decision = model.decision_function(x_test.values)
        rows = [row + [float(decision[i])] for i, row in enumerate(rows)]
    if classes is not None and hasattr(model, "predict_proba"):
        probabilities = model.predict_proba(x_test.values)
        header += [f"prob_{k}" for k in range(probabilities.shape[1])]
        rows = [row + [float(p) for p in probabilities[i]] for i, row in enumerate(rows)]
    with open(os.path.join(OUT, name + ".csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([repr(v) for v in row])
    return {"op": model.op, "inputs": list(columns), "outputs": header[len(columns):],
            "classes": None if classes is None else [str(c) for c in classes], **extra}


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {}
    only = set(sys.argv[1:])
    if only:
        with open(os.path.join(OUT, "manifest.json")) as f:
            manifest = json.load(f)["models"]

    def add(name, *args, **kwargs):
        if not only or name in only:
            manifest[name] = export(name, *args, **kwargs)

    xa, ya = adult()
    a_train_x, a_train_y, a_test_x, a_test_y = split(xa, ya)
    # Regression target: hours-per-week from the other numeric columns.
    reg_cols = [c for c in ADULT_NUMERIC if c != "hours-per-week"]
    reg_train_y = a_train_x["hours-per-week"]
    add("adult_linear_regression", LinearRegression(), reg_cols, a_train_x[reg_cols], reg_train_y, a_test_x[reg_cols])
    add("adult_decision_tree_regression", DecisionTreeRegressor(max_depth=6, random_state=SEED), reg_cols,
        a_train_x[reg_cols], reg_train_y, a_test_x[reg_cols])
    add("adult_random_forest_regression", RandomForestRegressor(n_estimators=10, max_depth=5, random_state=SEED),
        reg_cols, a_train_x[reg_cols], reg_train_y, a_test_x[reg_cols])
    add("adult_logistic_regression", LogisticRegression(max_iter=2000), ADULT_NUMERIC, a_train_x, a_train_y,
        a_test_x, classes=[0, 1])
    add("adult_decision_tree_classifier", DecisionTreeClassifier(max_depth=6, random_state=SEED), ADULT_NUMERIC,
        a_train_x, a_train_y, a_test_x, classes=[0, 1])
    add("adult_random_forest_classifier", RandomForestClassifier(n_estimators=10, max_depth=6, random_state=SEED),
        ADULT_NUMERIC, a_train_x, a_train_y, a_test_x, classes=[0, 1])
    xc, yc, classes = car()
    c_train_x, c_train_y, c_test_x, _ = split(xc, yc)
    cols = list(CAR_ORDER)
    add("car_decision_tree_classifier", DecisionTreeClassifier(max_depth=8, random_state=SEED), cols,
        c_train_x, c_train_y, c_test_x, classes=classes)
    add("car_random_forest_classifier", RandomForestClassifier(n_estimators=15, max_depth=8, random_state=SEED),
        cols, c_train_x, c_train_y, c_test_x, classes=classes)
    add("car_logistic_regression", LogisticRegression(max_iter=5000), cols, c_train_x, c_train_y, c_test_x,
        classes=classes)
    add("adult_linear_svc", LinearSVC(C=0.01, max_iter=20000, random_state=SEED), ADULT_NUMERIC, a_train_x,
        a_train_y, a_test_x)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"producer": f"scikit-learn {sklearn.__version__}, mleap 0.25.3", "held_back_rows": HELD_BACK,
                   "models": manifest}, f, indent=2)
        f.write("\n")
    print("wrote", ", ".join(sorted(manifest)))


if __name__ == "__main__":
    main()
