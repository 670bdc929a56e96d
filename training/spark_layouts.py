"""Spark ML directory layouts that real saved models have and small test pipelines lack (issue 12):
zero-padded stage folders, CrossValidatorModel / TrainValidationSplitModel, pipelines written by
PySpark's own Python writers, and stage folders left over from an earlier save. Everything here is
fitted and saved by pyspark 4.3.0 itself; expected values are Spark's own `transform` output.

Run from anywhere:  training/run.sh layouts   (or: training/.venvs/spark/bin/python training/spark_layouts.py)
Outputs under Tests/Fixtures/spark-layouts/ (the expected files have the shape of training/spark_pipelines.py's):
  adult-13-stages/            PipelineModel of 13 stages (JVM writer): Imputer, 8 StringIndexers, OneHotEncoder,
                              VectorAssembler, LogisticRegression, IndexToString; stage folders 00_ .. 12_.
                              Beside them, the stage folders of an earlier 3-stage save into the same place
                              (0_Imputer_<same uid>, 1_.., 2_..: unpadded, not in stageUids; see README.md).
  car-cv/                     CrossValidatorModel (JVM writer, 2 folds, 2 param maps, subModels persisted) whose
                              bestModel is a PipelineModel: StringIndexer, OneHotEncoder, VectorAssembler,
                              LogisticRegression, IndexToString.
  adult-tvs-xgb/              TrainValidationSplitModel written by PySpark's Python writer (class
                              pyspark.ml.tuning.TrainValidationSplitModel) because its estimator holds a
                              SparkXGBClassifier: bestModel is a pyspark.ml.pipeline.PipelineModel of 12 stages
                              (folders 00_ .. 11_).
  adult-cv-gbt/               CrossValidatorModel (JVM writer, 3 folds) whose bestModel is a single GBTRegressionModel
                              reading a `features` vector (age, education years); no sub-models kept.
  <name>.expected.json        input rows, Spark's output per row, rows Spark refused.
  datitran-lr-2.1.expected.json  Spark 4.3's transform with the Spark 2.1.0 LinearRegressionModel committed by
                              datitran/PySpark-App-CF (MIT; see README.md), which this script does not write.
  hydro-binarizer-2.0.2.expected.json  Spark 4.3's transform with the Spark 2.0.2 PipelineModel (Scala-style uids)
                              committed by Hydrospheredata/hydro-serving-spark (Apache-2.0), not written here either.
"""
import json
import os
import random
import shutil
import sys

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.evaluation import BinaryClassificationEvaluator, MulticlassClassificationEvaluator, RegressionEvaluator
from pyspark.ml.feature import Imputer, IndexToString, OneHotEncoder, StringIndexer, VectorAssembler
from pyspark.ml.linalg import Vectors
from pyspark.ml.regression import GBTRegressor, LinearRegressionModel
from pyspark.ml.tuning import (CrossValidator, CrossValidatorModel, ParamGridBuilder, TrainValidationSplit,
                               TrainValidationSplitModel)
from pyspark.sql import types as T
from xgboost.spark import SparkXGBClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spark_pipelines import (ADULT_CATEGORICAL, ADULT_NUMERIC, CAR_INPUTS, REPO, SEED, SHARED,  # noqa: E402
                             adult_rows, expected_file, json_value, save, spark_session)

OUT = os.path.join(REPO, "Tests", "Fixtures", "spark-layouts")


def adult_data(spark, train_size=4000, test_size=14):
    """A small Adult training sample (labelled) and held-back test rows plus an unseen-category row
    and an all-null row."""
    rows = adult_rows()
    rng = random.Random(SEED)
    order = list(range(len(rows)))
    rng.shuffle(order)
    train_idx, test_idx = order[:train_size], order[train_size:train_size + test_size]
    cols = ADULT_NUMERIC + ADULT_CATEGORICAL
    schema = T.StructType([T.StructField(c, T.DoubleType(), True) for c in ADULT_NUMERIC]
                          + [T.StructField(c, T.StringType(), True) for c in ADULT_CATEGORICAL]
                          + [T.StructField("Salary", T.StringType(), False)])
    train = spark.createDataFrame([[rows[i][c] for c in cols + ["Salary"]] for i in train_idx], schema)
    label_indexer = StringIndexer(inputCol="Salary", outputCol="label").fit(train)
    train = label_indexer.transform(train).cache()
    test = [[rows[i][c] for c in cols] for i in test_idx]
    unseen = dict(rows[test_idx[0]])
    unseen.update(workclass="Astronaut", native_country="Mars")
    test += [[unseen[c] for c in cols], [None] * len(cols)]
    test_schema = [(c, "double") for c in ADULT_NUMERIC] + [(c, "string") for c in ADULT_CATEGORICAL]
    return train, label_indexer.labels, test, test_schema


def adult_stages(labels, head, prediction="prediction"):
    """Imputer, one StringIndexer per categorical column (what many real pipelines do), one-hot,
    assembler, the head, and the label decoder: 13 stages."""
    imputed = [c + "_imp" for c in ADULT_NUMERIC]
    indexed = [c + "_index" for c in ADULT_CATEGORICAL]
    onehot = [c + "_vec" for c in ADULT_CATEGORICAL]
    return ([Imputer(inputCols=ADULT_NUMERIC, outputCols=imputed, strategy="median")]
            + [StringIndexer(inputCol=c, outputCol=c + "_index", handleInvalid="keep") for c in ADULT_CATEGORICAL]
            + [OneHotEncoder(inputCols=indexed, outputCols=onehot),
               VectorAssembler(inputCols=imputed + onehot, outputCol="features"),
               head,
               IndexToString(inputCol=prediction, outputCol="predicted_salary", labels=labels)])


def adult_13_stages(spark):
    train, labels, test, test_schema = adult_data(spark)
    stages = adult_stages(labels, LogisticRegression(featuresCol="features", labelCol="label", maxIter=30,
                                                     regParam=0.01))
    model = Pipeline(stages=stages).fit(train)
    path = os.path.join(OUT, "adult-13-stages")
    save(model, path, spark=spark)
    # An earlier save into the same place, of a 3-stage pipeline sharing the imputer and the regression
    # (same uids, other fitted values: mean instead of median), left its stage folders behind: Spark
    # replaces a model directory only when told to overwrite, and copying a new save over an old one
    # (hdfs dfs -put, aws s3 cp --recursive) keeps the old files. stageUids lists only the new stages.
    imputer = stages[0].copy({stages[0].strategy: "mean"})
    earlier = Pipeline(stages=[imputer,
                               VectorAssembler(inputCols=[c + "_imp" for c in ADULT_NUMERIC], outputCol="features"),
                               stages[11]]).fit(train)
    earlier_path = os.path.join(OUT, "_earlier")
    save(earlier, earlier_path, spark=spark)
    for name in os.listdir(os.path.join(earlier_path, "stages")):
        shutil.copytree(os.path.join(earlier_path, "stages", name), os.path.join(path, "stages", name))
    shutil.rmtree(earlier_path)
    expected_file(spark, PipelineModel.load(path), "adult-13-stages", test_schema, test,
                  os.path.join(OUT, "adult-13-stages.expected.json"))


def car_cv(spark):
    df = spark.read.csv(os.path.join(SHARED, "car-evaluation", "car.csv"), header=True)
    rows = [tuple(r) for r in df.collect()]
    held = sorted(random.Random(SEED).sample(range(len(rows)), 16))
    held_set = set(held)
    train = spark.createDataFrame([r for i, r in enumerate(rows) if i not in held_set], df.schema)
    label_indexer = StringIndexer(inputCol="class", outputCol="label").fit(train)
    train = label_indexer.transform(train).cache()
    lr = LogisticRegression(featuresCol="features", labelCol="label", maxIter=30)
    pipeline = Pipeline(stages=[
        StringIndexer(inputCols=CAR_INPUTS, outputCols=[c + "_index" for c in CAR_INPUTS], handleInvalid="keep"),
        OneHotEncoder(inputCols=[c + "_index" for c in CAR_INPUTS], outputCols=[c + "_vec" for c in CAR_INPUTS]),
        VectorAssembler(inputCols=[c + "_vec" for c in CAR_INPUTS], outputCol="features"),
        lr,
        IndexToString(inputCol="prediction", outputCol="predicted_class", labels=label_indexer.labels)])
    grid = ParamGridBuilder().addGrid(lr.regParam, [0.001, 0.3]).build()
    cv = CrossValidator(estimator=pipeline, estimatorParamMaps=grid, numFolds=2, seed=SEED, collectSubModels=True,
                        evaluator=MulticlassClassificationEvaluator(labelCol="label", metricName="accuracy"))
    model = cv.fit(train)
    path = os.path.join(OUT, "car-cv")
    if os.path.exists(path):
        shutil.rmtree(path)
    model.write().option("persistSubModels", "true").save(path)
    test = [list(rows[i][:6]) for i in held] + [["cheap", "low", "4", "more", "big", "high"],
                                                 [None, "low", "4", "more", "big", "high"]]
    loaded = CrossValidatorModel.load(path)
    expected_file(spark, loaded, "car-cv", [(c, "string") for c in CAR_INPUTS], test,
                  os.path.join(OUT, "car-cv.expected.json"),
                  extra={"avgMetrics": list(loaded.avgMetrics), "numFolds": 2})


def adult_tvs_xgb(spark):
    train, labels, test, test_schema = adult_data(spark, train_size=2000)
    xgb = SparkXGBClassifier(features_col="features", label_col="label", num_workers=1, n_estimators=8,
                             random_state=SEED)
    stages = adult_stages(labels, xgb)[:-1]  # 12 stages: the decoder is not needed for the layout
    grid = ParamGridBuilder().addGrid(xgb.max_depth, [2, 3]).build()
    tvs = TrainValidationSplit(estimator=Pipeline(stages=stages), estimatorParamMaps=grid, trainRatio=0.75,
                               seed=SEED, evaluator=BinaryClassificationEvaluator(labelCol="label"))
    model = tvs.fit(train)
    path = os.path.join(OUT, "adult-tvs-xgb")
    if os.path.exists(path):
        shutil.rmtree(path)
    model.write().save(path)
    loaded = TrainValidationSplitModel.load(path)
    expected_file(spark, loaded, "adult-tvs-xgb", test_schema, test, os.path.join(OUT, "adult-tvs-xgb.expected.json"),
                  extra={"validationMetrics": list(loaded.validationMetrics)})


def vector_expected(spark, model, name, rows, extra=None):
    """Spark's transform of a model reading one `features` vector: each row is the vector's values.
    Written like expected_file's output, with one "features" input of type "vector"."""
    df = spark.createDataFrame([(i, Vectors.dense(r)) for i, r in enumerate(rows)], ["_row", "features"])
    out = [{"row": r["_row"], "values": {k: json_value(v) for k, v in r.asDict().items() if k not in ("_row", "features")}}
           for r in model.transform(df).collect()]
    doc = {"model": name, "spark_version": spark.version, "inputs": [{"name": "features", "type": "vector"}],
           "rows": [[json_value(x) for x in r] for r in rows], "expected": out, "error_rows": []}
    doc.update(extra or {})
    with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"  {name}.expected.json: {len(out)} rows out")


def datitran_lr(spark):
    """Spark 4.3's output for the committed Spark 2.1.0 LinearRegressionModel (one feature)."""
    model = LinearRegressionModel.load(os.path.join(OUT, "datitran-lr-2.1"))
    vector_expected(spark, model, "datitran-lr-2.1", [[x] for x in [0.0, 1.0, 2.5, 10.0, 49.0, 99.0, -3.0]],
                    extra={"coefficients": list(model.coefficients), "intercept": model.intercept})


def adult_cv_single(spark):
    """A CrossValidatorModel whose bestModel is a single model (no pipeline): a GBT regressor of
    hours per week on age and years of education, 3 folds over two depths, sub-models not kept."""
    rows = [r for r in adult_rows() if r["age"] is not None and r["education_num"] is not None
            and r["hours_per_week"] is not None][:1500]
    df = spark.createDataFrame([(Vectors.dense([r["age"], r["education_num"]]), r["hours_per_week"]) for r in rows],
                               ["features", "label"])
    gbt = GBTRegressor(maxIter=5, seed=SEED)
    grid = ParamGridBuilder().addGrid(gbt.maxDepth, [2, 3]).build()
    cv = CrossValidator(estimator=gbt, estimatorParamMaps=grid, numFolds=3, seed=SEED,
                        evaluator=RegressionEvaluator(metricName="rmse"))
    model = cv.fit(df)
    path = os.path.join(OUT, "adult-cv-gbt")
    save(model, path, spark=spark)
    loaded = CrossValidatorModel.load(path)
    vector_expected(spark, loaded, "adult-cv-gbt",
                    [[17.0, 9.0], [38.0, 13.0], [52.0, 16.0], [90.0, 1.0], [30.0, 10.0], [0.0, 0.0], [45.5, 12.0]],
                    extra={"avgMetrics": list(loaded.avgMetrics), "numFolds": 3})


def hydro_binarizer(spark):
    """Spark 4.3's output for the committed Spark 2.0.2 PipelineModel holding one Binarizer (threshold 5)."""
    rows = [[0.0], [4.9], [5.0], [5.000001], [10.0], [-1.0], [float("nan")], [float("inf")], [None]]
    path = os.path.join(OUT, "hydro-binarizer-2.0.2")
    expected_file(spark, PipelineModel.load(path), "hydro-binarizer-2.0.2", [("feature", "double")], rows,
                  os.path.join(OUT, "hydro-binarizer-2.0.2.expected.json"), per_row_errors=True)


def main():
    what = sys.argv[1:] or ["adult-13", "car-cv", "adult-tvs", "adult-cv-gbt", "datitran", "hydro"]
    spark = spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    os.makedirs(OUT, exist_ok=True)
    if "adult-13" in what:
        adult_13_stages(spark)
    if "car-cv" in what:
        car_cv(spark)
    if "adult-tvs" in what:
        adult_tvs_xgb(spark)
    if "adult-cv-gbt" in what:
        adult_cv_single(spark)
    if "datitran" in what:
        datitran_lr(spark)
    if "hydro" in what:
        hydro_binarizer(spark)
    spark.stop()


if __name__ == "__main__":
    main()
