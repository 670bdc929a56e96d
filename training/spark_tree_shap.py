"""Spark tree models and shap's TreeExplainer values for them (training/run.sh tree-shap).

Writes Tests/Fixtures/spark-tree-shap/: six PipelineModels of one stage each, saved by PySpark 4.3
(DecisionTree, RandomForest and GBT, classifier and regressor) trained on UCI Adult's six numeric
columns, and expected.json: for 200 held-back rows, the feature vectors, Spark's own transform
outputs, and shap's TreeExplainer (tree_path_dependent, shap's Spark converter) values and
expected values. shap explains what Spark predicts for its trees:
- DecisionTree/RandomForest classifiers: the probability of each class (a leaf's class counts
  normalized; a forest's mean over trees);
- GBT classifier: the margin m = sum of tree weight x leaf prediction (Spark's rawPrediction is
  [-m, m] and probability [1 - s(2m), s(2m)]);
- regressors: the prediction.
shap reads the nodes' impurityStats counts as covers, as Conveyor does from the saved parquet.
The classifiers predict marital-status (7 classes) except GBT (binary: Salary >50K); the
regressors predict hours-per-week from the other five columns. Rows contain no missing values:
shap's converter sends missing values left where Spark sends them right.
"""
import csv
import json
import os
import shutil

import numpy as np
import shap
from pyspark.ml import Pipeline
from pyspark.ml.classification import (DecisionTreeClassifier, GBTClassifier,
                                       RandomForestClassifier)
from pyspark.ml.linalg import Vectors
from pyspark.ml.regression import (DecisionTreeRegressor, GBTRegressor,
                                   RandomForestRegressor)
from pyspark.sql import SparkSession

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared", "datasets")
OUT = os.path.join(REPO, "Tests", "Fixtures", "spark-tree-shap")
NUMERIC = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
TRAIN, TEST = 6000, 200


def read_adult():
    with open(os.path.join(SHARED, "adult", "adult.csv"), newline="") as handle:
        rows = [[cell.strip() for cell in row] for row in csv.reader(handle) if row]
    header, rows = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    X = np.array([[float(r[col[n]]) for n in NUMERIC] for r in rows])
    statuses = sorted({r[col["marital-status"]] for r in rows})
    marital = np.array([float(statuses.index(r[col["marital-status"]])) for r in rows])
    salary = np.array([1.0 if r[col["Salary"]].startswith(">50K") else 0.0 for r in rows])
    return X, marital, salary


def frame(spark, X, y):
    return spark.createDataFrame([(Vectors.dense(list(map(float, x))), float(t)) for x, t in zip(X, y)],
                                 ["features", "label"])


def main():
    spark = (SparkSession.builder.master("local[1]").appName("tree-shap")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate())
    X, marital, salary = read_adult()
    rng = np.random.default_rng(20261204)
    order = rng.permutation(len(X))
    train, test = order[:TRAIN], order[TRAIN:TRAIN + TEST]
    reg_cols = [0, 1, 2, 3, 4]  # hours-per-week is the target
    common = {"seed": 7, "maxDepth": 5}
    specs = {
        "decision_tree_classifier": (DecisionTreeClassifier(**common), X, marital),
        "random_forest_classifier": (RandomForestClassifier(numTrees=8, **common), X, marital),
        "gbt_classifier": (GBTClassifier(maxIter=8, maxDepth=3, seed=7), X, salary),
        "decision_tree_regressor": (DecisionTreeRegressor(**common), X[:, reg_cols], X[:, 5]),
        "random_forest_regressor": (RandomForestRegressor(numTrees=8, **common), X[:, reg_cols], X[:, 5]),
        "gbt_regressor": (GBTRegressor(maxIter=8, maxDepth=3, seed=7), X[:, reg_cols], X[:, 5]),
    }
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    expected = {"shap": shap.__version__, "spark": spark.version, "models": {}}
    for name, (estimator, features, target) in specs.items():
        fitted = Pipeline(stages=[estimator]).fit(frame(spark, features[train], target[train]))
        fitted.write().overwrite().save(os.path.join(OUT, name))
        model = fitted.stages[0]
        rows = features[test]
        out = fitted.transform(frame(spark, rows, target[test])).collect()
        explainer = shap.TreeExplainer(model)
        values = np.asarray(explainer.shap_values(rows, check_additivity=False))
        base = np.atleast_1d(np.asarray(explainer.expected_value, dtype=float))
        if values.ndim == 2:
            values = values[:, :, None]  # rows x features x outputs
        spark_out = {"prediction": [r["prediction"] for r in out]}
        if "rawPrediction" in out[0].asDict():
            spark_out["rawPrediction"] = [list(map(float, r["rawPrediction"])) for r in out]
            spark_out["probability"] = [list(map(float, r["probability"])) for r in out]
        # shap values as rows x outputs x features
        expected["models"][name] = entry(rows, np.transpose(values, (0, 2, 1)), base, spark_out)
        print(f"{name}: {values.shape[2]} outputs, {values.shape[1]} features")
    finish(spark, expected, OUT)


def entry(rows, shap_values, base, spark_out):
    """One model's part of expected.json: shap_values is rows x outputs x features."""
    return {"features": rows.tolist(), "outputs": int(shap_values.shape[1]),
            "expected_value": [float(v) for v in base], "shap": shap_values.tolist(), "spark": spark_out}


def finish(spark, expected, out):
    with open(os.path.join(out, "expected.json"), "w") as handle:
        json.dump(expected, handle, indent=None, separators=(",", ":"))
        handle.write("\n")
    spark.stop()


if __name__ == "__main__":
    main()
