"""Tree models with `leafCol` set, saved by Spark, with Spark's own `transform` output (issue 12 item 3:
every output column Spark adds). Spark's leaf index is the rank of the leaf a row reaches among the
tree's leaves from left to right: a double for a decision tree, a vector (one per tree) for forests and
GBTs. Fitted on spark_classes.py's training data (one categorical feature, declared through
VectorIndexer metadata, so categorical splits are exercised) and its model rows (NaN, null, zeros,
values outside the training range).

Run:  training/.venvs/pipe-spark/bin/python training/spark_leaf.py   (or the spark venv)
Needs JDK 17 on PATH. Writes Tests/Fixtures/spark-classes/leaf_<model>/ and leaf_<model>.expected.json in
spark_classes.py's format.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_classes as base  # noqa: E402  (session, training data, fixture writer)
from pyspark.ml import Pipeline  # noqa: E402
from pyspark.ml.classification import (DecisionTreeClassifier, GBTClassifier,  # noqa: E402
                                       RandomForestClassifier)
from pyspark.ml.feature import VectorIndexer  # noqa: E402
from pyspark.ml.regression import DecisionTreeRegressor, GBTRegressor, RandomForestRegressor  # noqa: E402


def main():
    spark = base.spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    df = base.train_df(spark)
    binary = df.withColumn("label", (df.label > 0).cast("double"))
    schema = [("features", "vector")]
    rows = [(v,) for v in base.MODEL_ROWS]
    models = [
        ("leaf_dt_classifier", DecisionTreeClassifier(maxDepth=3, seed=1, leafCol="leaf"), df),
        ("leaf_dt_regressor", DecisionTreeRegressor(maxDepth=4, seed=1, leafCol="leafIndex"), df),
        ("leaf_rf_classifier", RandomForestClassifier(numTrees=3, maxDepth=3, seed=1, leafCol="leaf"), df),
        ("leaf_rf_regressor", RandomForestRegressor(numTrees=3, maxDepth=3, seed=1, leafCol="leaf"), df),
        ("leaf_gbt_classifier", GBTClassifier(maxIter=3, maxDepth=2, seed=1, leafCol="leaf"), binary),
        ("leaf_gbt_regressor", GBTRegressor(maxIter=3, maxDepth=3, seed=1, leafCol="leaf"), df),
    ]
    for name, estimator, data in models:
        base.fixture(spark, name, estimator.fit(data), schema, rows)
    # A categorical feature (column 2 takes 0, 1, 2): VectorIndexer marks it, the tree splits on sets.
    indexed = Pipeline(stages=[VectorIndexer(inputCol="features", outputCol="indexed", maxCategories=3),
                               DecisionTreeClassifier(featuresCol="indexed", maxDepth=3, seed=1, leafCol="leaf")])
    base.fixture(spark, "leaf_categorical_pipeline", indexed.fit(df), schema,
                 rows + [([0.0, 0.0, 2.0, 1.0],), ([0.0, 0.0, 1.0, 1.0],)])
    spark.stop()


if __name__ == "__main__":
    main()
