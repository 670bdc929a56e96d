"""More Spark ML classes saved by Spark itself, with Spark's own `transform` output, for the sparkml
reader (issue 12 item 1): the vector feature stages (PCA, the selectors, VectorSlicer, VectorIndexer,
Normalizer, ElementwiseProduct, PolynomialExpansion, DCT, RobustScaler, QuantileDiscretizer's
Bucketizer, FeatureHasher, VectorSizeHint) and the models (naive Bayes, linear SVC, MLP, clustering,
one-vs-rest, FM, GLR, AFT, isotonic), fitted on small deterministic data.

Run:  training/run.sh spark-classes   (or: training/.venvs/spark/bin/python training/spark_classes.py)
      With training/.venvs/spark35/bin/python it writes Spark 3.5 saves of the SPARK3 list to spark35/.
Needs JDK 17 on PATH; about 20 minutes on 2 busy cores (rows Spark refuses are retried one by one). Writes Tests/Fixtures/spark-classes/:
  <name>/                 the stage as Spark saved it (`model.write().save`)
  <name>.expected.json    {"model", "class", "spark_version", "inputs": [{name, type}], "rows",
                          "expected": [{row, values}], "error_rows"}. type is "double", "vector" or "string";
                          a vector (input or output) is a dense list; non-finite numbers are the strings
                          "NaN", "Infinity", "-Infinity". Rows are the edge cases each stage has a policy for
                          (null, NaN, zeros, unseen categories, wrong vector sizes). Spark transforms all rows
                          at once; when that fails, row by row, and a row it refuses goes to error_rows. Under
                          handleInvalid=skip a dropped row has no entry in "expected" and is not an error row.
"""
import json
import math
import os
import random
import shutil
import sys

from pyspark.ml import Pipeline
from pyspark.ml.classification import (FMClassifier, LinearSVC, LogisticRegression,
                                       MultilayerPerceptronClassifier, NaiveBayes, OneVsRest)
from pyspark.ml.clustering import BisectingKMeans, GaussianMixture, KMeans
from pyspark.ml.feature import (DCT, PCA, ChiSqSelector, ElementwiseProduct, FeatureHasher,
                                Normalizer, PolynomialExpansion, QuantileDiscretizer, RobustScaler,
                                UnivariateFeatureSelector, VarianceThresholdSelector, VectorIndexer,
                                VectorSizeHint, VectorSlicer)
from pyspark.ml.linalg import DenseVector, SparseVector, Vectors, VectorUDT
from pyspark.ml.regression import (AFTSurvivalRegression, FMRegressor, GeneralizedLinearRegression,
                                   IsotonicRegression)
from pyspark.sql import SparkSession
from pyspark.sql import types as T

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Tests", "Fixtures", "spark-classes")
NAN = float("nan")
# `--only a,b` remakes only those model fixtures (the steps are given as the other arguments).
ONLY = set()
# Run by PySpark 3.5 (training/.venvs/spark35): these fixtures, fitted and saved by Spark 3.5, into
# spark-classes/spark35/ (a class of each kind whose model data Spark saves; unfitted transformers
# save their params only, as Spark 4 does).
SPARK3 = {"pca", "chisq_selector", "univariate_selector", "variance_selector", "robust", "vector_indexer_keep",
          "quantile_keep", "linear_svc", "mlp", "nb_multinomial", "nb_gaussian", "kmeans", "bisecting_kmeans",
          "gaussian_mixture", "ovr", "fm_classifier", "fm_regressor", "isotonic", "glr_binomial_logit",
          "glr_tweedie_power", "aft", "pipeline"}
SPARK3_RUN = False


def spark_session():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    return (SparkSession.builder.master("local[1]").appName("conveyor-spark-classes")
            .config("spark.sql.shuffle.partitions", "1").config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "1g").config("spark.sql.session.timeZone", "UTC").getOrCreate())


def num(x):
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def json_value(v):
    if v is None:
        return None
    if isinstance(v, (SparseVector, DenseVector)):
        return [num(x) for x in v.toArray()]
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return num(v)
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    return v


def spark_value(v, kind):
    if v is None:
        return None
    if kind == "vector":
        return Vectors.dense([float(x) for x in v])
    if kind == "double":
        return float(v)
    return v


SPARK_TYPES = {"double": T.DoubleType(), "vector": VectorUDT(), "string": T.StringType()}


def frame(spark, schema, rows):
    fields = [T.StructField("_row", T.IntegerType(), False)] + [
        T.StructField(n, SPARK_TYPES[t], True) for n, t in schema]
    data = [[i] + [spark_value(v, t) for v, (_, t) in zip(r, schema)] for i, r in enumerate(rows)]
    return spark.createDataFrame(data, T.StructType(fields))


def save(model, name):
    path = os.path.join(OUT, name)
    shutil.rmtree(path, ignore_errors=True)
    model.write().save(path)
    for root, _, files in os.walk(path):
        for f in files:
            if f.endswith(".crc") or f == "_SUCCESS":
                os.remove(os.path.join(root, f))
    return path


def expected(spark, model, name, schema, rows):
    """Spark's transform of the rows (all at once; row by row when that fails)."""
    df = frame(spark, schema, rows)
    inputs = {n for n, _ in schema} | {"_row"}
    out, errors = [], []

    def collect(d):
        return [{"row": r["_row"], "values": {k: json_value(v) for k, v in r.asDict().items() if k not in inputs}}
                for r in model.transform(d).collect()]
    try:
        out = collect(df)
    except Exception:  # noqa: BLE001 (Py4J/Spark exceptions)
        for i in range(len(rows)):
            try:
                out += collect(df.filter(df._row == i))
            except Exception:  # noqa: BLE001
                errors.append(i)
    doc = {"model": name, "class": model.__class__.__name__, "spark_version": spark.version,
           "inputs": [{"name": n, "type": t} for n, t in schema],
           "rows": [[json_value(v) for v in r] for r in rows], "expected": sorted(out, key=lambda e: e["row"]),
           "error_rows": errors}
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"  {name}: {len(out)} rows out, {len(errors)} refused")


def fixture(spark, name, model, schema, rows):
    if SPARK3_RUN and name not in SPARK3:
        return
    path = save(model, name)
    loaded = type(model).load(path)
    expected(spark, loaded, name, schema, rows)


# --- training data ------------------------------------------------------------------------------------------
rng = random.Random(12)
TRAIN = []
for i in range(60):
    label = i % 3
    x = [rng.gauss(label, 1.0), rng.gauss(-label, 0.5), float(rng.randint(0, 2)), rng.uniform(0, 4) + label]
    TRAIN.append((x, float(label), float(i % 2)))

# Vector rows for the feature stages: ordinary, zeros, negatives, NaN, infinity, null.
VEC4 = [[1.0, 2.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0], [-1.5, 0.25, 2.0, -4.0], [3.0, -2.0, 1.0, 0.5],
        [NAN, 1.0, 0.0, 2.0], [1e300, 1.0, 1.0, 1.0], [float("inf"), 0.0, 1.0, 0.0], None,
        [0.5, 0.5, 1.0, 7.0]]
# For models: the same shapes, but values a model sees in training plus edges.
MODEL_ROWS = [[0.1, 0.2, 1.0, 1.5], [2.0, -2.0, 2.0, 4.5], [1.0, -1.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0],
              [-3.0, 2.0, 1.0, -1.0], [NAN, 0.0, 1.0, 2.0], None, [5.0, -5.0, 2.0, 9.0]]
COUNT_ROWS = [[1.0, 0.0, 2.0, 3.0], [0.0, 0.0, 0.0, 0.0], [4.0, 1.0, 0.0, 0.0], [0.0, 5.0, 1.0, 1.0], None,
              [-1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]]
BINARY_ROWS = [[1.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.5, 0.0, 1.0, 0.0], None]


def train_df(spark, counts=False, binary=False):
    rows = []
    for x, label, b in TRAIN:
        if counts:
            x = [float(int(abs(v) * 2) % 5) for v in x]
        if binary:
            x = [1.0 if v > 0.5 else 0.0 for v in x]
        rows.append((Vectors.dense(x), label, b))
    return spark.createDataFrame(rows, ["features", "label", "blabel"])


def features(spark):
    schema = [("features", "vector")]
    rows = [(v,) for v in VEC4]
    df = train_df(spark)
    stages = {
        "pca": PCA(k=2, inputCol="features", outputCol="out").fit(df),
        "chisq_selector": ChiSqSelector(numTopFeatures=2, featuresCol="features", labelCol="label",
                                        outputCol="out").fit(train_df(spark, counts=True)),
        "univariate_selector": UnivariateFeatureSelector(featuresCol="features", labelCol="label", outputCol="out",
                                                         selectionMode="numTopFeatures").setFeatureType(
            "continuous").setLabelType("categorical").setSelectionThreshold(3).fit(df),
        "variance_selector": VarianceThresholdSelector(varianceThreshold=0.9, featuresCol="features",
                                                       outputCol="out").fit(df),
        "slicer": VectorSlicer(indices=[3, 0], inputCol="features", outputCol="out"),
        "normalizer_p1": Normalizer(p=1.0, inputCol="features", outputCol="out"),
        "normalizer_p2": Normalizer(inputCol="features", outputCol="out"),
        "normalizer_p3": Normalizer(p=3.0, inputCol="features", outputCol="out"),
        "normalizer_inf": Normalizer(p=float("inf"), inputCol="features", outputCol="out"),
        "elementwise": ElementwiseProduct(scalingVec=Vectors.dense([2.0, 0.0, -1.0, 0.5]), inputCol="features",
                                          outputCol="out"),
        "poly2": PolynomialExpansion(degree=2, inputCol="features", outputCol="out"),
        "poly3": PolynomialExpansion(degree=3, inputCol="features", outputCol="out"),
        "dct": DCT(inverse=False, inputCol="features", outputCol="out"),
        "dct_inverse": DCT(inverse=True, inputCol="features", outputCol="out"),
        "robust": RobustScaler(withCentering=True, withScaling=True, inputCol="features", outputCol="out").fit(df),
        "robust_scale_only": RobustScaler(inputCol="features", outputCol="out", lower=0.1, upper=0.9).fit(df),
    }
    for name, stage in stages.items():
        fixture(spark, name, stage, schema, rows)
    # Sizes: VectorSizeHint passes vectors of its size and refuses (error), drops (skip) or keeps
    # (optimistic) the rest.
    size_rows = rows + [([1.0, 2.0],)]
    for policy in ["error", "skip", "optimistic"]:
        fixture(spark, f"size_hint_{policy}", VectorSizeHint(size=4, handleInvalid=policy, inputCol="features"),
                schema, size_rows)
    # VectorIndexer: features 2 (values 0, 1, 2) is categorical under maxCategories 3; 5.0 there is unseen.
    idx_rows = [(v,) for v in [[1.0, 2.0, 0.0, 3.0], [0.0, 0.0, 2.0, 0.0], [-1.5, 0.25, 1.0, -4.0],
                               [1.0, 1.0, 5.0, 1.0], None, [NAN, 0.0, 1.0, 0.0]]]
    for policy in ["error", "skip", "keep"]:
        model = VectorIndexer(maxCategories=3, handleInvalid=policy, inputCol="features", outputCol="out").fit(df)
        fixture(spark, f"vector_indexer_{policy}", model, schema, idx_rows)


def scalar_features(spark):
    values = [0.5, 1.5, 2.5, 3.5, 4.5, 10.0, -1.0, 0.0, 2.0, 7.0]
    df = spark.createDataFrame([(v,) for v in values], ["x"])
    rows = [(v,) for v in [0.0, 1.9, 2.5, NAN, None, -100.0, 100.0, 4.5]]
    for policy in ["keep", "skip", "error"]:
        model = QuantileDiscretizer(numBuckets=3, handleInvalid=policy, inputCol="x", outputCol="out").fit(df)
        fixture(spark, f"quantile_{policy}", model, [("x", "double")], rows)
    # Interaction is in training/spark_classes2.py, inside a PipelineModel: Spark 4.3 refuses a vector input
    # without ML attributes (every row fails), so it only runs after stages that set them.
    # FeatureHasher over a double, a string and a categorical double.
    hash_rows = [(1.0, "apple", 2.0), (0.0, "", 3.0), (-2.5, "Ünïcödé", 2.0), (None, "x", 1.0), (4.0, None, None),
                 (NAN, "apple", NAN)]
    fixture(spark, "feature_hasher",
            FeatureHasher(inputCols=["n", "s", "c"], categoricalCols=["c"], numFeatures=16, outputCol="out"),
            [("n", "double"), ("s", "string"), ("c", "double")], hash_rows)


def models(spark):
    schema = [("features", "vector")]
    df = train_df(spark)
    rows = [(v,) for v in MODEL_ROWS]
    fits = {
        "linear_svc": (LinearSVC(maxIter=50, regParam=0.01, labelCol="blabel"), df, rows),
        "linear_svc_threshold": (LinearSVC(maxIter=50, regParam=0.01, threshold=0.4, labelCol="blabel"), df, rows),
        "mlp": (MultilayerPerceptronClassifier(layers=[4, 5, 3], maxIter=60, seed=7), df, rows),
        "nb_multinomial": (NaiveBayes(modelType="multinomial", smoothing=0.5), train_df(spark, counts=True),
                           [(v,) for v in COUNT_ROWS]),
        "nb_complement": (NaiveBayes(modelType="complement"), train_df(spark, counts=True),
                          [(v,) for v in COUNT_ROWS]),
        "nb_bernoulli": (NaiveBayes(modelType="bernoulli"), train_df(spark, binary=True),
                         [(v,) for v in BINARY_ROWS]),
        "nb_gaussian": (NaiveBayes(modelType="gaussian"), df, rows),
        "kmeans": (KMeans(k=3, seed=1), df, rows),
        "kmeans_cosine": (KMeans(k=3, seed=1, distanceMeasure="cosine"), df, rows),
        "bisecting_kmeans": (BisectingKMeans(k=3, seed=1), df, rows),
        "gaussian_mixture": (GaussianMixture(k=2, seed=3, maxIter=30), df, rows),
        "ovr": (OneVsRest(classifier=LogisticRegression(maxIter=30, regParam=0.01)), df, rows),
        "fm_classifier": (FMClassifier(factorSize=2, maxIter=30, seed=5, stepSize=0.1, labelCol="blabel"), df, rows),
        "fm_regressor": (FMRegressor(factorSize=2, maxIter=30, seed=5, stepSize=0.05), df, rows),
        "isotonic": (IsotonicRegression(featureIndex=3), df, rows),
        "isotonic_antitonic": (IsotonicRegression(featureIndex=0, isotonic=False), df, rows),
    }
    for family, link in [("gaussian", "identity"), ("gaussian", "log"), ("binomial", "logit"),
                         ("binomial", "probit"), ("binomial", "cloglog"), ("poisson", "log"), ("poisson", "sqrt"),
                         ("gamma", "inverse"), ("tweedie", None)]:
        label = "blabel" if family == "binomial" else "label"
        glr = GeneralizedLinearRegression(family=family, maxIter=25, regParam=0.01, labelCol=label,
                                          linkPredictionCol="link")
        if link:
            glr.setLink(link)
        else:
            glr.setVariancePower(1.5).setLinkPower(0.5)
        data = df
        if family in ("gamma", "poisson", "tweedie") or link == "log":
            from pyspark.sql import functions as F
            data = df.withColumn("label", F.col("label") + 1.0)
        fits[f"glr_{family}_{link or 'power'}"] = (glr, data, rows)
    from pyspark.sql import functions as F
    surv = df.withColumn("label", F.col("label") + 1.0).withColumn("censor", (F.col("blabel") < 1).cast("double"))
    fits["aft"] = (AFTSurvivalRegression(quantileProbabilities=[0.1, 0.5, 0.9], quantilesCol="quantiles",
                                         maxIter=50), surv, rows)
    for name, (estimator, data, test_rows) in fits.items():
        if ONLY and name not in ONLY:
            continue
        fixture(spark, name, estimator.fit(data), schema, test_rows)


def pipeline(spark):
    """A PipelineModel of several new stages, for the chain (slicer → normalizer → PCA → KMeans)."""
    df = train_df(spark)
    stages = [VectorSlicer(indices=[0, 1, 3], inputCol="features", outputCol="sliced"),
              Normalizer(p=2.0, inputCol="sliced", outputCol="normed"),
              PCA(k=2, inputCol="normed", outputCol="pca"),
              KMeans(k=2, seed=2, featuresCol="pca", predictionCol="cluster")]
    model = Pipeline(stages=stages).fit(df)
    fixture(spark, "pipeline", model, [("features", "vector")], [(v,) for v in MODEL_ROWS if v is not None])


def main():
    global OUT, SPARK3_RUN
    spark = spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    if int(spark.version.split(".")[0]) < 4:
        OUT = os.path.join(OUT, "spark35")
        SPARK3_RUN = True
    os.makedirs(OUT, exist_ok=True)
    args = sys.argv[1:]
    if "--only" in args:
        at = args.index("--only")
        ONLY.update(args[at + 1].split(","))
        del args[at:at + 2]
    which = set(args)
    for step in [features, scalar_features, models, pipeline]:
        if not which or step.__name__ in which:
            step(spark)
    spark.stop()


if __name__ == "__main__":
    main()
