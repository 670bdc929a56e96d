"""Reduced copies of corpus layouts whose originals carry no licence allowing redistribution
(docs/spark-corpus.md), written in the same shape with values of our own, and Spark 4.3's transform of them.

  lr-2.0/   a LogisticRegressionModel as Spark 2.0.0 saved it (gfreyd/spark, ericbdc/exoplanets-classification:
            the bestModel of a TrainValidationSplitModel): metadata without defaultParamMap, data
            `part-r-00000-<uuid>.snappy.parquet` holding numClasses, numFeatures, intercept and a `coefficients`
            vector instead of 2.1+'s coefficientMatrix / interceptVector. Spark 4 reads it through its 2.0 branch.
  tree-categories/  a DecisionTreeRegressionModel (Spark 4.3) on a categorical feature of 4 categories whose
            split sends 3 of them left: more than half, so Spark's CategoricalSplit keeps the complement and a
            value outside 0..3 (a fraction, a negative, 7) goes LEFT, as in the corpus' NYC-taxi random forest
            (Shanta-11/Big-Data-NYC-Taxi-Fare-Prediction, splits over 262 categories).
  word2vec-2.1/  a Word2VecModel as Spark 2.0/2.1 saved it (Hydrospheredata/hydro-serving-spark's test model):
            one data row, `wordIndex` (a map word -> row) and `wordVectors` (the rows' floats back to back),
            instead of 2.2+'s row per word. Our vocabulary holds both spellings of "café" (precomposed and
            decomposed): two words to Spark.

Run: training/.venvs/spark/bin/python training/spark_corpus_crafted.py
"""
import glob
import json
import os
import shutil
import sys

from pyspark.ml.classification import LogisticRegressionModel
from pyspark.ml.linalg import Vectors, VectorUDT
from pyspark.sql import types as T

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spark_corpus import FIXTURES  # noqa: E402
from spark_pipelines import json_value, spark_session  # noqa: E402

OUT = os.path.join(FIXTURES, "crafted")


def save_data(data, path, file_name):
    """The one-row DataFrame as the model's single data file, named as the old Spark named it."""
    tmp = path + "-data"
    data.coalesce(1).write.parquet(tmp)
    os.makedirs(os.path.join(path, "data"))
    part = glob.glob(os.path.join(tmp, "part-00000-*.parquet"))[0]
    shutil.copy(part, os.path.join(path, "data", file_name))
    shutil.rmtree(tmp)


def lr_2_0(spark):
    path = os.path.join(OUT, "lr-2.0")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(os.path.join(path, "metadata"))
    params = {"maxIter": 100, "labelCol": "label", "predictionCol": "prediction", "regParam": 0.01,
              "probabilityCol": "probability", "fitIntercept": True, "featuresCol": "features",
              "standardization": True, "threshold": 0.4, "tol": 1.0e-6, "elasticNetParam": 0.0,
              "rawPredictionCol": "rawPrediction"}
    meta = {"class": "org.apache.spark.ml.classification.LogisticRegressionModel", "timestamp": 1479420891497,
            "sparkVersion": "2.0.0", "uid": "logreg_0a1b2c3d4e5f", "paramMap": params}
    with open(os.path.join(path, "metadata", "part-00000"), "w") as f:
        f.write(json.dumps(meta, separators=(",", ":")) + "\n")
    schema = T.StructType([T.StructField("numClasses", T.IntegerType(), False),
                           T.StructField("numFeatures", T.IntegerType(), False),
                           T.StructField("intercept", T.DoubleType(), False),
                           T.StructField("coefficients", VectorUDT(), True)])
    data = spark.createDataFrame([(2, 4, -0.58, Vectors.dense([1.25, -0.5, 0.0, 3.0e-3]))], schema)
    # Spark 2.0's file name: part-r-<index>-<uuid>.snappy.parquet.
    save_data(data, path, "part-r-00000-9d2c4a0e-5b1f-4c7e-8a3d-2f6b7c8d9e0a.snappy.parquet")
    model = LogisticRegressionModel.load(path)
    rows = [[0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 7.0, 100.0], [0.4, 0.0, -2.0, 1.0e3],
            [2.0, 1.0, 0.0, -50.0], [float("nan"), 1.0, 0.0, 0.0], [0.3, -0.2, 5.0, 0.0]]
    df = spark.createDataFrame([(i, Vectors.dense(r)) for i, r in enumerate(rows)], ["_row", "features"])
    out = [{"row": r["_row"], "values": {k: json_value(v) for k, v in r.asDict().items() if k not in ("_row", "features")}}
           for r in model.transform(df).collect()]
    doc = {"id": "crafted/lr-2.0", "spark_version": spark.version,
           "inputs": [{"name": "features", "type": "vector", "width": 4}],
           "rows": [[[json_value(x) for x in r]] for r in rows], "expected": out, "error_rows": []}
    with open(os.path.join(OUT, "lr-2.0.expected.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"  crafted/lr-2.0: {len(out)} rows")


def tree_categories(spark):
    from pyspark.ml.feature import VectorIndexer
    from pyspark.ml.regression import DecisionTreeRegressor
    path = os.path.join(OUT, "tree-categories")
    shutil.rmtree(path, ignore_errors=True)
    # Category 3 alone has a high label: the best split is {0, 1, 2} left, {3} right.
    train = spark.createDataFrame([(Vectors.dense([float(c), float(i % 5)]), (10.0 if c == 3 else float(c)) + (i % 5) * 0.1)
                                   for i in range(200) for c in [i % 4]], ["raw", "label"])
    indexer = VectorIndexer(inputCol="raw", outputCol="features", maxCategories=4).fit(train)
    model = DecisionTreeRegressor(maxDepth=2, seed=7).fit(indexer.transform(train))
    model.write().save(path)
    model = model.load(path)
    rows = [[0.0, 1.0], [1.0, 0.0], [2.0, 4.0], [3.0, 2.0], [7.0, 1.0], [-1.0, 3.0], [2.5, 0.0], [3.5, 4.0],
            [float("nan"), 1.0], [4.0, 4.0]]
    df = spark.createDataFrame([(i, Vectors.dense(r)) for i, r in enumerate(rows)], ["_row", "features"])
    out = [{"row": r["_row"], "values": {k: json_value(v) for k, v in r.asDict().items() if k not in ("_row", "features")}}
           for r in model.transform(df).collect()]
    doc = {"id": "crafted/tree-categories", "spark_version": spark.version,
           "inputs": [{"name": "features", "type": "vector", "width": 2}],
           "rows": [[[json_value(x) for x in r]] for r in rows], "expected": out, "error_rows": []}
    with open(os.path.join(OUT, "tree-categories.expected.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"  crafted/tree-categories: {len(out)} rows")


def word2vec_2_1(spark):
    from pyspark.ml.feature import Word2VecModel
    path = os.path.join(OUT, "word2vec-2.1")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(os.path.join(path, "metadata"))
    params = {"windowSize": 5, "numPartitions": 1, "minCount": 0, "vectorSize": 3, "outputCol": "result",
              "maxSentenceLength": 1000, "stepSize": 0.025, "seed": 42, "maxIter": 1, "inputCol": "text"}
    meta = {"class": "org.apache.spark.ml.feature.Word2VecModel", "timestamp": 1495188171531,
            "sparkVersion": "2.1.0", "uid": "w2v_0a1b2c3d4e5f", "paramMap": params}
    with open(os.path.join(path, "metadata", "part-00000"), "w") as f:
        f.write(json.dumps(meta, separators=(",", ":")) + "\n")
    words = ["spark", "serves", "models", "caf\u00e9", "cafe\u0301", "tea", "fast"]
    rows_of = [4, 0, 6, 1, 3, 5, 2]  # word i's row in wordVectors: not the words' order
    vectors = [[0.5, -1.25, 2.0], [0.1, 0.2, 0.3], [-3.0, 0.0, 1.5], [1.0, 1.0, -1.0], [0.25, -0.75, 0.125],
               [2.5, 2.5, 0.0], [-0.5, 4.0, -2.0]]
    flat = [x for row in vectors for x in row]
    schema = T.StructType([T.StructField("wordIndex", T.MapType(T.StringType(), T.IntegerType(), False), True),
                           T.StructField("wordVectors", T.ArrayType(T.FloatType(), False), True)])
    data = spark.createDataFrame([(dict(zip(words, rows_of)), flat)], schema)
    save_data(data, path, "part-00000-2f6b7c8d-9e0a-4c7e-8a3d-9d2c4a0e5b1f.snappy.parquet")
    model = Word2VecModel.load(path)
    rows = [["spark", "serves", "models"], ["caf\u00e9"], ["cafe\u0301"], ["caf\u00e9", "cafe\u0301", "tea"],
            ["unknown", "fast"], [], ["tea", "tea", "nothing", "else"], ["CAF\u00c9"]]
    df = spark.createDataFrame([(i, r) for i, r in enumerate(rows)], "_row int, text array<string>")
    out = [{"row": r["_row"], "values": {k: json_value(v) for k, v in r.asDict().items() if k not in ("_row", "text")}}
           for r in model.transform(df).collect()]
    doc = {"id": "crafted/word2vec-2.1", "spark_version": spark.version, "inputs": [{"name": "text", "type": "list"}],
           "rows": [[r] for r in rows], "expected": out, "error_rows": []}
    with open(os.path.join(OUT, "word2vec-2.1.expected.json"), "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"  crafted/word2vec-2.1: {len(out)} rows")


if __name__ == "__main__":
    session = spark_session()
    for make in (lr_2_0, tree_categories, word2vec_2_1) if len(sys.argv) < 2 else [globals()[n] for n in sys.argv[1:]]:
        make(session)
