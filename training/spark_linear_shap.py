"""Spark linear models and shap's LinearExplainer values for them (training/run.sh linear-shap).

Writes Tests/Fixtures/spark-linear-shap/: three PipelineModels of one stage each saved by PySpark
4.3 (binomial LogisticRegression on Salary >50K, multinomial LogisticRegression on marital-status,
LinearRegression on hours-per-week), trained on UCI Adult's numeric columns, and expected.json:
for 200 held-back rows, the feature vectors, Spark's own transform outputs, and shap's
LinearExplainer values against a background of one all-zero row (independent masker): each
feature's coefficient x value, the intercept as the expected value. The coefficients shap reads
are PySpark's own (model.coefficientMatrix / interceptVector), not Conveyor's reader.

Also text_logistic: Tokenizer -> HashingTF (64) -> IDF, then VectorAssembler(tfidf, age,
hours-per-week) -> binomial LogisticRegression, on a text column made of each person's workclass,
education and occupation. Its expected values are shap's on the feature vectors Spark's own
transform assembled, summed over the slots each input column produced (the 64 hashed slots are
the text's), so Conveyor's lineage through the text stages is checked on raw columns.
"""
import os
import shutil
import sys

import numpy as np
import shap
from pyspark.ml import Pipeline
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.feature import IDF, HashingTF, Tokenizer, VectorAssembler
from pyspark.ml.regression import LinearRegression
from pyspark.sql import SparkSession

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_tree_shap as trees  # noqa: E402

OUT = os.path.join(trees.REPO, "Tests", "Fixtures", "spark-linear-shap")


def main():
    spark = (SparkSession.builder.master("local[1]").appName("linear-shap")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate())
    X, marital, salary = trees.read_adult()
    rng = np.random.default_rng(20261204)
    order = rng.permutation(len(X))
    train, test = order[:trees.TRAIN], order[trees.TRAIN:trees.TRAIN + trees.TEST]
    reg_cols = [0, 1, 2, 3, 4]
    specs = {
        "logistic_binomial": (LogisticRegression(maxIter=50, regParam=0.01), X, salary),
        "logistic_multinomial": (LogisticRegression(maxIter=50, regParam=0.01, family="multinomial"), X, marital),
        "linear_regression": (LinearRegression(regParam=0.1), X[:, reg_cols], X[:, 5]),
    }
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    expected = {"shap": shap.__version__, "spark": spark.version, "models": {}}
    for name, (estimator, features, target) in specs.items():
        fitted = Pipeline(stages=[estimator]).fit(trees.frame(spark, features[train], target[train]))
        fitted.write().overwrite().save(os.path.join(OUT, name))
        model = fitted.stages[0]
        rows = features[test]
        out = fitted.transform(trees.frame(spark, rows, target[test])).collect()
        if name == "linear_regression":
            coef, intercept = model.coefficients.toArray(), np.array([model.intercept])
            coef = coef[None, :]
        elif name == "logistic_binomial":
            coef, intercept = model.coefficients.toArray()[None, :], np.array([model.intercept])
        else:
            coef, intercept = model.coefficientMatrix.toArray(), model.interceptVector.toArray()
        background = np.zeros((1, rows.shape[1]))
        values, base = [], []
        for k in range(coef.shape[0]):
            explainer = shap.LinearExplainer((coef[k], intercept[k]), background)
            values.append(np.asarray(explainer.shap_values(rows)))
            base.append(float(explainer.expected_value))
        spark_out = {"prediction": [r["prediction"] for r in out]}
        if "rawPrediction" in out[0].asDict():
            spark_out["rawPrediction"] = [list(map(float, r["rawPrediction"])) for r in out]
        expected["models"][name] = trees.entry(rows, np.transpose(np.array(values), (1, 0, 2)), base, spark_out)
        print(f"{name}: {len(values)} outputs")
    expected["pipelines"] = {"text_logistic": text_logistic(spark, order)}
    trees.finish(spark, expected, OUT)


def text_logistic(spark, order):
    import csv
    with open(os.path.join(trees.SHARED, "adult", "adult.csv"), newline="") as handle:
        rows = [[cell.strip() for cell in row] for row in csv.reader(handle) if row]
    header, rows = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    records = [(" ".join(r[col[c]] for c in ("workclass", "education", "occupation")), float(r[col["age"]]),
                float(r[col["hours-per-week"]]), 1.0 if r[col["Salary"]].startswith(">50K") else 0.0) for r in rows]
    columns = ["text", "age", "hours-per-week", "label"]
    train = spark.createDataFrame([records[i] for i in order[:trees.TRAIN]], columns)
    test_records = [records[i] for i in order[trees.TRAIN:trees.TRAIN + trees.TEST]]
    pipeline = Pipeline(stages=[
        Tokenizer(inputCol="text", outputCol="words"),
        HashingTF(inputCol="words", outputCol="tf", numFeatures=64),
        IDF(inputCol="tf", outputCol="tfidf"),
        VectorAssembler(inputCols=["tfidf", "age", "hours-per-week"], outputCol="features"),
        LogisticRegression(maxIter=50, regParam=0.01),
    ]).fit(train)
    pipeline.write().overwrite().save(os.path.join(OUT, "text_logistic"))
    out = pipeline.transform(spark.createDataFrame(test_records, columns)).collect()
    model = pipeline.stages[-1]
    features = np.array([r["features"].toArray() for r in out])
    explainer = shap.LinearExplainer((model.coefficients.toArray(), model.intercept), np.zeros((1, features.shape[1])))
    values = np.asarray(explainer.shap_values(features))
    return {
        "inputs": [list(r[:3]) for r in test_records],
        "base": float(explainer.expected_value),
        "columns": {"text": values[:, :64].sum(axis=1).tolist(), "age": values[:, 64].tolist(),
                    "hours-per-week": values[:, 65].tolist()},
        "margins": [float(r["rawPrediction"][1]) for r in out],
    }


if __name__ == "__main__":
    main()
