"""MLflow model fixtures (training/run.sh mlflow): writes Tests/Fixtures/mlflow/.

Models saved locally with mlflow.<flavor>.save_model (mlflow 3.x, pinned in requirements-mlflow.txt),
each with a signature and an input example, then loaded back with mlflow.pyfunc.load_model(path) and
asked to predict held-back rows: what Conveyor must return for the same rows.

  xgboost-classifier/   XGBClassifier (binary) on UCI Adult's 6 numeric columns as int64 (signature
                        type 'long'), model.ubj (the flavour's default format); pyfunc returns labels
  xgboost-regressor/    XGBRegressor (hours-per-week from 5 numeric columns as float64), model.json
  lightgbm-multiclass/  lightgbm.Booster (multiclass, 4 classes) on UCI Car Evaluation's 6 columns as
                        ordinal codes, given as a numpy array: a tensor signature (-1, 6) -> (-1, 4)
  spark-classifier/     PySpark 4.3 PipelineModel on Adult: StringIndexer (4 string columns),
                        OneHotEncoder, VectorAssembler, GBTClassifier, IndexToString; pyfunc returns
                        the classifier's 'prediction' column. The label's StringIndexer is fitted
                        outside the PipelineModel (Spark skips a missing input column of a
                        StringIndexerModel; Conveyor's Spark reader does not, yet)
  sklearn-refused/      mlflow.sklearn (a pickle): Conveyor must refuse it
  pyfunc-refused/       a custom mlflow.pyfunc.PythonModel (cloudpickled code): refused as well
  lightgbm-sklearn-refused/  an LGBMClassifier: the lightgbm flavour stores a pickle for it; refused

  <model>.inputs.csv    header, then TEST_ROWS rows in the signature's column order
  <model>.expected.csv  header, then pyfunc's prediction for each row (one column per output value),
                        written with repr so every double round trips
  <model>.example-expected.csv  pyfunc's prediction for the model's saved input example (what
                        `conveyor validate` prints)

Every random choice uses fixed seeds; the training rows and the test rows are disjoint.
"""
import csv
import os
import shutil
import sys
import tempfile

import numpy as np
import pandas as pd

import mlflow
import mlflow.lightgbm
import mlflow.pyfunc
import mlflow.sklearn
import mlflow.spark
import mlflow.xgboost
from mlflow.models import infer_signature

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared", "datasets")
OUT = os.path.join(REPO, "Tests", "Fixtures", "mlflow")
TEST_ROWS = 250
TRAIN_ROWS = 4000

ADULT_NUMERIC = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
CAR = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]


def read_adult():
    frame = pd.read_csv(os.path.join(SHARED, "adult", "adult.csv"), skipinitialspace=True)
    frame.columns = [c.strip() for c in frame.columns]
    return frame.sample(frac=1.0, random_state=11).reset_index(drop=True)


def read_car():
    frame = pd.read_csv(os.path.join(SHARED, "car-evaluation", "car.csv"))
    return frame.sample(frac=1.0, random_state=12).reset_index(drop=True)


def fresh(name):
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        shutil.rmtree(path)
    return path


def write_csv(path, header, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([repr(float(v)) if isinstance(v, (float, np.floating)) else v for v in row])


def write_expected(name, test_frame, predictions):
    """Inputs as sent (signature order) and pyfunc's predictions, one row each."""
    write_csv(os.path.join(OUT, f"{name}.inputs.csv"), list(test_frame.columns), test_frame.itertuples(index=False))
    values = np.asarray(predictions)
    if values.ndim == 1:
        header, rows = ["prediction"], [[v] for v in values.tolist()]
    else:
        header, rows = [f"prediction_{i}" for i in range(values.shape[1])], values.tolist()
    write_csv(os.path.join(OUT, f"{name}.expected.csv"), header, rows)


def pyfunc_predict(path, frame):
    return mlflow.pyfunc.load_model(path).predict(frame)


def xgboost_models(adult):
    import xgboost as xgb

    label = (adult["Salary"].str.strip().str.startswith(">50K")).astype(int)
    X = adult[ADULT_NUMERIC].astype("int64")
    train, test = X.iloc[:TRAIN_ROWS], X.iloc[TRAIN_ROWS:TRAIN_ROWS + TEST_ROWS]
    classifier = xgb.XGBClassifier(n_estimators=20, max_depth=3, learning_rate=0.3, random_state=1, n_jobs=1)
    classifier.fit(train, label.iloc[:TRAIN_ROWS])
    path = fresh("xgboost-classifier")
    mlflow.xgboost.save_model(classifier, path, signature=infer_signature(train, classifier.predict(train)),
                              input_example=train.head(3))
    write_expected("xgboost-classifier", test, pyfunc_predict(path, test))

    columns = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss"]
    Xr = adult[columns].astype("float64")
    target = adult["hours-per-week"].astype("float64")
    train, test = Xr.iloc[:TRAIN_ROWS], Xr.iloc[TRAIN_ROWS:TRAIN_ROWS + TEST_ROWS].copy()
    test.iloc[0:5, 3] = np.nan  # missing values take the trees' default direction
    regressor = xgb.XGBRegressor(n_estimators=25, max_depth=3, learning_rate=0.2, random_state=2, n_jobs=1)
    regressor.fit(train, target.iloc[:TRAIN_ROWS])
    path = fresh("xgboost-regressor")
    mlflow.xgboost.save_model(regressor, path, model_format="json",
                              signature=infer_signature(train, regressor.predict(train)), input_example=train.head(2))
    write_expected("xgboost-regressor", test, pyfunc_predict(path, test))


def lightgbm_models(car):
    import lightgbm as lgb

    codes = {c: {v: float(i) for i, v in enumerate(sorted(car[c].unique()))} for c in CAR}
    X = np.array([[codes[c][v] for c, v in zip(CAR, row)] for row in car[CAR].itertuples(index=False)])
    classes = sorted(car["class"].unique())
    y = np.array([classes.index(v) for v in car["class"]])
    split = len(car) - TEST_ROWS
    params = {"objective": "multiclass", "num_class": 4, "num_leaves": 7, "learning_rate": 0.3, "verbose": -1,
              "deterministic": True, "num_threads": 1, "seed": 3, "min_data_in_leaf": 5}
    booster = lgb.train(params, lgb.Dataset(X[:split], y[:split]), num_boost_round=12)
    path = fresh("lightgbm-multiclass")
    mlflow.lightgbm.save_model(booster, path, signature=infer_signature(X[:split], booster.predict(X[:split])),
                               input_example=X[:2])
    test = pd.DataFrame(X[split:], columns=[f"x{i}" for i in range(len(CAR))])
    write_expected("lightgbm-multiclass", test, pyfunc_predict(path, X[split:]))

    # The scikit-learn API model: the flavour pickles it (model.pkl), which Conveyor refuses.
    small = lgb.LGBMClassifier(n_estimators=2, num_leaves=3, verbose=-1)
    small.fit(X[:200], y[:200])
    mlflow.lightgbm.save_model(small, fresh("lightgbm-sklearn-refused"), serialization_format="pickle")


def spark_model(adult):
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import GBTClassifier
    from pyspark.ml.feature import IndexToString, OneHotEncoder, StringIndexer, VectorAssembler
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[1]").appName("conveyor-mlflow")
             .config("spark.sql.shuffle.partitions", "1").config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "1g").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    strings = ["workclass", "education", "occupation", "sex"]
    numbers = ["age", "education-num", "capital-gain", "hours-per-week"]
    frame = adult[strings + numbers + ["Salary"]].copy()
    for c in strings + ["Salary"]:
        frame[c] = frame[c].str.strip()
    for c in numbers:
        frame[c] = frame[c].astype("int64")
    train = spark.createDataFrame(frame.iloc[:TRAIN_ROWS])
    indexed = [f"{c}_index" for c in strings]
    label = StringIndexer(inputCol="Salary", outputCol="label").fit(train)
    train = label.transform(train)
    stages = [
        StringIndexer(inputCols=strings, outputCols=indexed, handleInvalid="keep"),
        OneHotEncoder(inputCols=indexed, outputCols=[f"{c}_vec" for c in strings], handleInvalid="keep"),
        VectorAssembler(inputCols=numbers + [f"{c}_vec" for c in strings], outputCol="features"),
        GBTClassifier(featuresCol="features", labelCol="label", maxIter=10, maxDepth=3, seed=5),
        IndexToString(inputCol="prediction", outputCol="predicted_salary", labels=label.labels),
    ]
    model = Pipeline(stages=stages).fit(train)
    inputs = frame[strings + numbers]
    sample = inputs.iloc[:TRAIN_ROWS]
    test = inputs.iloc[TRAIN_ROWS:TRAIN_ROWS + TEST_ROWS].reset_index(drop=True)
    test.loc[0, "workclass"] = "Never-seen-before"  # handleInvalid=keep: the extra index
    prediction = [r.prediction for r in model.transform(spark.createDataFrame(sample.head(50))).select("prediction").collect()]
    path = fresh("spark-classifier")
    mlflow.spark.save_model(model, path, signature=infer_signature(sample.head(50), prediction),
                            input_example=sample.head(3))
    write_expected("spark-classifier", test, pyfunc_predict(path, test))
    spark.stop()


def refused_models():
    from sklearn.linear_model import LogisticRegression

    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = np.array([0, 1, 1, 0])
    model = LogisticRegression().fit(X, y)
    mlflow.sklearn.save_model(model, fresh("sklearn-refused"), serialization_format="pickle",
                              signature=infer_signature(X, model.predict(X)))

    class AddOne(mlflow.pyfunc.PythonModel):
        def predict(self, context, model_input, params=None):
            return model_input + 1

    mlflow.pyfunc.save_model(fresh("pyfunc-refused"), python_model=AddOne())


def example_predictions():
    """pyfunc's predictions for each served model's own input example, as MLflow reloads it."""
    for name in ["xgboost-classifier", "xgboost-regressor", "lightgbm-multiclass", "spark-classifier"]:
        path = os.path.join(OUT, name)
        example = mlflow.models.Model.load(path).load_input_example(path)
        values = np.asarray(pyfunc_predict(path, example))
        if values.ndim == 1:
            header, rows = ["prediction"], [[v] for v in values.tolist()]
        else:
            header, rows = [f"prediction_{i}" for i in range(values.shape[1])], values.tolist()
        write_csv(os.path.join(OUT, f"{name}.example-expected.csv"), header, rows)


def tidy():
    """Drops what only Python needs at load time and nothing of Conveyor reads, to keep fixtures small."""
    for root, dirs, _ in os.walk(OUT):
        for d in dirs:
            if d == "__pycache__":
                shutil.rmtree(os.path.join(root, d))


def main():
    os.makedirs(OUT, exist_ok=True)
    mlflow.set_tracking_uri("file://" + tempfile.mkdtemp())
    # Parts to redo (default: all): xgboost lightgbm refused spark examples
    parts = sys.argv[1:] or ["xgboost", "lightgbm", "refused", "spark", "examples"]
    adult = read_adult()
    if "xgboost" in parts:
        xgboost_models(adult)
    if "lightgbm" in parts:
        lightgbm_models(read_car())
    if "refused" in parts:
        refused_models()
    if "spark" in parts:
        spark_model(adult)
    if "examples" in parts:
        example_predictions()
    tidy()
    print("wrote", OUT)


if __name__ == "__main__":
    main()
