"""The remaining Spark ML classes of issue 12, saved by Spark itself with Spark's own `transform` output:
RFormulaModel (its nested pipeline), Interaction (after StringIndexer / OneHotEncoder / VectorAssembler in
a PipelineModel, where Spark 4.3 can run it: it needs ML attributes on its inputs), TargetEncoderModel,
ALSModel (coldStartStrategy nan / drop) and the LSH models (BucketedRandomProjectionLSHModel,
MinHashLSHModel: the `hashes` column).

Run:  training/run.sh spark-classes2   (or: training/.venvs/spark/bin/python training/spark_classes2.py)
Needs JDK 17 on PATH; about 15 minutes on 2 busy cores. With PySpark 3.5 (training/.venvs/spark35) it writes
Spark 3.5 saves of RFormula, Interaction, ALS and the LSH models to Tests/Fixtures/spark-classes2/spark35/. Writes Tests/Fixtures/spark-classes2/ in the format of
training/spark_classes.py (whose helpers it uses): <name>/ and <name>.expected.json. An array-of-vectors
output (LSH hashes) is a list of dense lists.
"""
import os
import sys

from pyspark.ml import Pipeline
from pyspark.ml.feature import (BucketedRandomProjectionLSH, Interaction, MinHashLSH, OneHotEncoder, RFormula,
                                StringIndexer, VectorAssembler)
from pyspark.ml.linalg import Vectors
from pyspark.ml.recommendation import ALS

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_classes as base  # noqa: E402

NAN = float("nan")
base.OUT = os.path.join(base.REPO, "Tests", "Fixtures", "spark-classes2")

# Training rows for the formula and interaction stages: two string columns, two doubles.
COLORS = ["red", "green", "blue"]
SHAPES = ["circle", "square"]
TRAIN = [(COLORS[i % 3], SHAPES[(i // 3) % 2], float(i % 5) - 1.0, 0.5 * i, float(i % 2), float(i % 3 + i % 2))
         for i in range(24)]
TRAIN_COLS = ["color", "shape", "x", "z", "y", "yc"]
# Serving rows: seen values, an unseen category, an empty string, null strings, NaN and null numbers.
ROWS = [("red", "circle", 1.0, 2.0), ("blue", "square", -1.0, 0.0), ("green", "circle", 0.0, 3.5),
        ("purple", "circle", 1.0, 1.0), ("", "square", 2.0, 2.0), (None, "circle", 1.0, 1.0),
        ("red", None, 1.0, 1.0), ("red", "square", NAN, 1.0), ("blue", "circle", None, 4.0),
        ("green", "square", 3.0, -2.0)]
SCHEMA = [("color", "string"), ("shape", "string"), ("x", "double"), ("z", "double")]


def train(spark):
    return spark.createDataFrame(TRAIN, TRAIN_COLS)


def rformula(spark):
    df = train(spark)
    fits = {
        "rformula_basic": RFormula(formula="y ~ color + shape + x"),
        "rformula_keep": RFormula(formula="y ~ color + shape + x + z", handleInvalid="keep"),
        "rformula_skip": RFormula(formula="y ~ color + x", handleInvalid="skip"),
        "rformula_no_intercept": RFormula(formula="y ~ color + x - 1", handleInvalid="keep"),
        "rformula_interaction": RFormula(formula="y ~ color:x + shape:color + z", handleInvalid="keep"),
        "rformula_dot": RFormula(formula="yc ~ . - y", handleInvalid="keep", stringIndexerOrderType="alphabetAsc"),
        "rformula_string_label": RFormula(formula="shape ~ color + x", handleInvalid="keep",
                                          featuresCol="feats", labelCol="lab"),
    }
    for name, estimator in fits.items():
        base.fixture(spark, name, estimator.fit(df), SCHEMA, ROWS)


def interaction(spark):
    df = train(spark)
    stages = [StringIndexer(inputCol="color", outputCol="color_idx", handleInvalid="keep"),
              OneHotEncoder(inputCol="color_idx", outputCol="color_vec"),
              VectorAssembler(inputCols=["x", "z"], outputCol="xz", handleInvalid="keep"),
              Interaction(inputCols=["color_idx", "xz", "x"], outputCol="out1"),
              Interaction(inputCols=["color_vec", "z"], outputCol="out2"),
              VectorAssembler(inputCols=["color_idx", "x"], outputCol="ix"),
              Interaction(inputCols=["ix", "color_vec"], outputCol="out3")]
    base.fixture(spark, "interaction_pipeline", Pipeline(stages=stages).fit(df), SCHEMA, ROWS)


def target_encoder(spark):
    from pyspark.ml.feature import TargetEncoder  # Spark 4 only
    cats = [(float(i % 4), float(i % 3), float(i % 2), float((i % 4) + 0.25 * (i % 3))) for i in range(30)]
    df = spark.createDataFrame(cats, ["a", "b", "bin", "cont"])
    rows = [(0.0, 1.0), (3.0, 2.0), (5.0, 0.0), (None, 1.0), (1.0, None), (NAN, 0.0), (2.0, 2.0), (-1.0, 1.0),
            (1.5, 0.0)]
    schema = [("a", "double"), ("b", "double")]
    for target in ["binary", "continuous"]:
        label = "bin" if target == "binary" else "cont"
        for policy in ["error", "keep"]:
            for smoothing in [0.0, 2.5]:
                model = TargetEncoder(inputCols=["a", "b"], outputCols=["a_te", "b_te"], labelCol=label,
                                      targetType=target, handleInvalid=policy, smoothing=smoothing).fit(df)
                base.fixture(spark, f"target_{target}_{policy}_{str(smoothing).replace('.', '_')}", model, schema,
                             rows)
    single = TargetEncoder(inputCol="a", outputCol="a_te", labelCol="bin", handleInvalid="keep").fit(df)
    base.fixture(spark, "target_single", single, [("a", "double")], [(r[0],) for r in rows])


def als(spark):
    ratings = [(u, i, float((u * 3 + i * 5) % 7) / 2.0) for u in range(6) for i in range(5) if (u + i) % 3 != 2]
    df = spark.createDataFrame(ratings, ["user", "item", "rating"]).selectExpr(
        "cast(user as int) user", "cast(item as int) item", "rating")
    rows = [(0.0, 0.0), (5.0, 4.0), (2.0, 3.0), (9.0, 1.0), (1.0, 9.0), (None, 1.0), (3.0, None), (4.0, 2.0)]
    schema = [("user", "double"), ("item", "double")]
    for strategy in ["nan", "drop"]:
        model = ALS(rank=3, maxIter=8, regParam=0.1, seed=4, userCol="user", itemCol="item", ratingCol="rating",
                    coldStartStrategy=strategy).fit(df)
        base.fixture(spark, f"als_{strategy}", model, schema, rows)
    implicit = ALS(rank=2, maxIter=5, implicitPrefs=True, alpha=2.0, seed=4, userCol="user", itemCol="item",
                   ratingCol="rating").setPredictionCol("score").fit(df)
    base.fixture(spark, "als_implicit", implicit, schema, rows)


def lsh(spark):
    data = [(Vectors.dense([float((i * 7) % 5) - 2.0, float(i % 3), 0.5 * i, float(i % 2)]),) for i in range(20)]
    df = spark.createDataFrame(data, ["features"])
    rows = [(v,) for v in [[1.0, 2.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0], [-1.5, 0.25, 2.0, -4.0],
                           [NAN, 1.0, 0.0, 2.0], [1e300, 1.0, 1.0, 1.0], None, [0.5, -0.5, 7.0, 1.0]]]
    brp = BucketedRandomProjectionLSH(inputCol="features", outputCol="hashes", bucketLength=1.5, numHashTables=3,
                                      seed=11).fit(df)
    base.fixture(spark, "brp_lsh", brp, [("features", "vector")], rows)
    brp1 = BucketedRandomProjectionLSH(inputCol="features", outputCol="h", bucketLength=0.25, seed=3).fit(df)
    base.fixture(spark, "brp_lsh_one", brp1, [("features", "vector")], rows)
    binary = [(Vectors.dense([float((i >> k) & 1) for k in range(6)]),) for i in range(1, 20)]
    mh = MinHashLSH(inputCol="features", outputCol="hashes", numHashTables=4, seed=5).fit(
        spark.createDataFrame(binary, ["features"]))
    mh_rows = [(v,) for v in [[1.0, 0.0, 0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                              [0.0, 0.0, 0.0, 0.0, 0.0, 1.0], [2.5, 0.0, -1.0, 0.0, 0.0, 0.0],
                              [NAN, 0.0, 0.0, 0.0, 0.0, 0.0], None, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]]
    base.fixture(spark, "minhash_lsh", mh, [("features", "vector")], mh_rows)


def spark3(spark):
    """Spark 3.5 saves (training/.venvs/spark35) of a few stages of each class that exists there (TargetEncoder
    does not), into spark-classes2/spark35/: their save format is that of Spark 4, which the tests check."""
    df = train(spark)
    base.fixture(spark, "rformula_interaction",
                 RFormula(formula="y ~ color:x + shape:color + z", handleInvalid="keep").fit(df), SCHEMA, ROWS)
    interaction(spark)
    als_rows = [(0.0, 0.0), (5.0, 4.0), (9.0, 1.0), (None, 1.0), (4.0, 2.0)]
    ratings = [(u, i, float((u * 3 + i * 5) % 7) / 2.0) for u in range(6) for i in range(5) if (u + i) % 3 != 2]
    data = spark.createDataFrame(ratings, ["user", "item", "rating"])
    model = ALS(rank=3, maxIter=8, regParam=0.1, seed=4, userCol="user", itemCol="item", ratingCol="rating",
                coldStartStrategy="drop").fit(data)
    base.fixture(spark, "als_drop", model, [("user", "double"), ("item", "double")], als_rows)
    lsh(spark)


def main():
    spark = base.spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    if int(spark.version.split(".")[0]) < 4:
        base.OUT = os.path.join(base.OUT, "spark35")
        os.makedirs(base.OUT, exist_ok=True)
        spark3(spark)
        spark.stop()
        return
    os.makedirs(base.OUT, exist_ok=True)
    which = set(sys.argv[1:])
    for step in [rformula, interaction, target_encoder, als, lsh]:
        if not which or step.__name__ in which:
            step(spark)
    spark.stop()


if __name__ == "__main__":
    main()
