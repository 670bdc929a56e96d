"""Train Spark ML pipelines the Spark way (pyspark 4.3.0, xgboost 3.0.5's xgboost.spark) and save
them as Spark saves them, with Spark's own `transform` output on held-back rows as the expected
values for Conveyor's `sparkml` stage kind. Also writes small Parquet files with Spark and pyarrow
in each codec and page version for the Parquet reader's tests.

Run from anywhere:  training/run.sh spark   (or: training/.venvs/spark/bin/python training/spark_pipelines.py)
Outputs (relative to the repo root):
  models/car-evaluation-spark/pipeline/      PipelineModel: StringIndexer -> OneHotEncoder -> VectorAssembler
                                             -> SparkXGBClassifier -> IndexToString (snappy)
  models/car-evaluation-spark/expected.json  Spark's transform of held-back rows (+ unseen categories, nulls)
  pipelines/car-evaluation.json        the Conveyor pipeline definition (the default pipeline)
  Tests/Fixtures/spark/adult-<model>/        Adult PipelineModels: Imputer, StringIndexer(keep), OneHotEncoder,
                                             VectorAssembler, StandardScaler, then lr | rf | gbt; and xgb,
                                             xgb-missing0 (no scaler: the sparse assembled vector feeds XGBoost)
  Tests/Fixtures/spark/adult-lr-zstd/, adult-lr-uncompressed/   the lr pipeline saved with other codecs
  Tests/Fixtures/spark/stages/<name>/        single stages (or assembler + stage) for every handleInvalid etc.
  Tests/Fixtures/spark/<name>.expected.json  per model: input rows, Spark's output rows, rows Spark refused
  Tests/Fixtures/parquet/*.parquet + *.json  reader fixtures with the values they hold
Each expected file: {"model", "inputs": [{"name","type"}], "rows": [[...]], "expected": [{"row": i,
"values": {col: value}}], "error_rows": [i...]}. Vectors are dense lists; NaN/inf as strings.
"""
import json
import math
import os
import random
import shutil
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import (DecisionTreeClassifier, GBTClassifier, LogisticRegression,
                                       RandomForestClassifier)
from pyspark.ml.feature import (Binarizer, Bucketizer, Imputer, IndexToString, MaxAbsScaler, MinMaxScaler,
                                OneHotEncoder, QuantileDiscretizer, StandardScaler, StringIndexer,
                                VectorAssembler)
from pyspark.ml.linalg import DenseVector, SparseVector
from pyspark.ml.regression import (DecisionTreeRegressor, GBTRegressor, LinearRegression,
                                   RandomForestRegressor)
from pyspark.sql import SparkSession
from pyspark.sql import types as T
from xgboost.spark import SparkXGBClassifier

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(REPO, "..", "shared", "datasets")
CAR_OUT = os.path.join(REPO, "models", "car-evaluation-spark")
FIX = os.path.join(REPO, "Tests", "Fixtures", "spark")
PARQUET_FIX = os.path.join(REPO, "Tests", "Fixtures", "parquet")
SEED = 42
CAR_INPUTS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
ADULT_NUMERIC = ["age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
ADULT_CATEGORICAL = ["workclass", "education", "marital_status", "occupation", "relationship", "race", "sex",
                     "native_country"]


def spark_session():
    # Python workers (xgboost.spark's UDFs) must run in this venv.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    return (SparkSession.builder.master("local[1]").appName("conveyor-fixtures")
            .config("spark.sql.shuffle.partitions", "1").config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "1g").config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())


def json_value(v):
    if v is None:
        return None
    if isinstance(v, (DenseVector, SparseVector)):
        return [json_value(float(x)) for x in v.toArray()]
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    return v


def save(model, path, codec="snappy", spark=None):
    if os.path.exists(path):
        shutil.rmtree(path)
    spark.conf.set("spark.sql.parquet.compression.codec", codec)
    model.write().save(path)
    spark.conf.set("spark.sql.parquet.compression.codec", "snappy")


def expected_file(spark, model, model_rel, schema, rows, path, per_row_errors=False, extra=None):
    """Runs Spark's transform on `rows`; a row Spark refuses (exception) is listed in error_rows.
    Every row carries a `_row` id so that rows dropped by handleInvalid=skip are identified."""
    fields = [T.StructField("_row", T.IntegerType(), False)] + [
        T.StructField(name, T.StringType() if typ == "string" else T.DoubleType(), True) for name, typ in schema]
    df = spark.createDataFrame([[i] + list(r) for i, r in enumerate(rows)], T.StructType(fields))
    out, errors = [], []
    try:
        collected = model.transform(df).collect()
    except Exception:  # noqa: BLE001 (Spark raises Py4J/Spark exceptions for handleInvalid=error)
        collected = None
    if collected is None or per_row_errors:
        collected = []
        for i in range(len(rows)):
            try:
                collected += model.transform(df.filter(df._row == i)).collect()
            except Exception:  # noqa: BLE001
                errors.append(i)
    inputs = {name for name, _ in schema} | {"_row"}
    for r in collected:
        d = r.asDict()
        out.append({"row": d["_row"], "values": {k: json_value(v) for k, v in d.items() if k not in inputs}})
    doc = {"model": model_rel, "spark_version": spark.version,
           "inputs": [{"name": n, "type": t} for n, t in schema],
           "rows": [[json_value(x) for x in r] for r in rows], "expected": out, "error_rows": errors}
    doc.update(extra or {})
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"  {os.path.relpath(path, REPO)}: {len(out)} rows out, {len(errors)} refused")


# --- Car Evaluation --------------------------------------------------------------------------------------

def car(spark):
    df = spark.read.csv(os.path.join(SHARED, "car-evaluation", "car.csv"), header=True)
    rows = [tuple(r) for r in df.collect()]
    held = sorted(random.Random(SEED).sample(range(len(rows)), 40))
    train = spark.createDataFrame([r for i, r in enumerate(rows) if i not in set(held)], df.schema)
    label_indexer = StringIndexer(inputCol="class", outputCol="label").fit(train)
    train = label_indexer.transform(train)
    stages = [
        StringIndexer(inputCols=CAR_INPUTS, outputCols=[c + "_index" for c in CAR_INPUTS], handleInvalid="keep"),
        OneHotEncoder(inputCols=[c + "_index" for c in CAR_INPUTS], outputCols=[c + "_vec" for c in CAR_INPUTS],
                      handleInvalid="keep"),
        VectorAssembler(inputCols=[c + "_vec" for c in CAR_INPUTS], outputCol="features"),
        SparkXGBClassifier(features_col="features", label_col="label", num_workers=1, n_estimators=30,
                           max_depth=4, learning_rate=0.3, random_state=SEED),
        IndexToString(inputCol="prediction", outputCol="predicted_class", labels=label_indexer.labels),
    ]
    model = Pipeline(stages=stages).fit(train)
    save(model, os.path.join(CAR_OUT, "pipeline"), spark=spark)
    test = [list(rows[i][:6]) for i in held]
    test += [["vhigh", "vhigh", "7", "2", "small", "low"],      # unseen doors
             ["cheap", "low", "4", "more", "big", "high"],      # unseen buying
             [None, "low", "4", "more", "big", "high"],         # null buying
             ["low", "low", None, None, None, None]]            # several nulls
    expected_file(spark, PipelineModel.load(os.path.join(CAR_OUT, "pipeline")), "pipeline",
                  [(c, "string") for c in CAR_INPUTS], test, os.path.join(CAR_OUT, "expected.json"))
    pipeline = {
        "name": "car-evaluation-spark",
        "description": "UCI Car Evaluation trained with Spark ML (pyspark 4.3.0): StringIndexer -> OneHotEncoder "
                       "-> VectorAssembler -> SparkXGBClassifier (xgboost 3.0.5) -> IndexToString, served from the "
                       "PipelineModel directory Spark saved. Generated by training/spark_pipelines.py.",
        "stages": [{"name": "spark", "kind": "sparkml", "model": "../models/car-evaluation-spark/pipeline"}],
        "output": ["predicted_class", "probability"],
    }
    with open(os.path.join(REPO, "pipelines", "car-evaluation.json"), "w") as f:
        json.dump(pipeline, f, indent=2)
        f.write("\n")


# --- Adult -----------------------------------------------------------------------------------------------

def adult_rows():
    with open(os.path.join(SHARED, "adult", "adult.csv")) as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    header = [h.strip().replace("-", "_") for h in lines[0].split(",")]
    rng = random.Random(7)
    rows = []
    for line in lines[1:]:
        raw = dict(zip(header, [v.strip() for v in line.split(",")]))
        row = {}
        for c in ADULT_NUMERIC:
            # 2% missing numerics so the Imputer has work to do.
            row[c] = None if rng.random() < 0.02 else float(raw[c])
        for c in ADULT_CATEGORICAL:
            row[c] = None if raw[c] == "?" else raw[c]
        row["Salary"] = raw["Salary"].rstrip(".")
        rows.append(row)
    return rows


def adult(spark):
    rows = adult_rows()
    held = sorted(random.Random(SEED).sample(range(len(rows)), 60))
    held_set = set(held)
    cols = ADULT_NUMERIC + ADULT_CATEGORICAL
    schema = T.StructType([T.StructField(c, T.DoubleType(), True) for c in ADULT_NUMERIC]
                          + [T.StructField(c, T.StringType(), True) for c in ADULT_CATEGORICAL]
                          + [T.StructField("Salary", T.StringType(), False)])
    train = spark.createDataFrame([[r[c] for c in cols + ["Salary"]] for i, r in enumerate(rows)
                                   if i not in held_set], schema)
    train = StringIndexer(inputCol="Salary", outputCol="label").fit(train).transform(train).cache()
    test = [[rows[i][c] for c in cols] for i in held]
    unseen = dict(rows[held[0]])
    unseen.update(workclass="Astronaut", native_country="Mars")
    all_null = dict(rows[held[1]])
    all_null.update({c: None for c in cols})
    test += [[unseen[c] for c in cols], [all_null[c] for c in cols]]
    test_schema = [(c, "double") for c in ADULT_NUMERIC] + [(c, "string") for c in ADULT_CATEGORICAL]

    imputed = [c + "_imp" for c in ADULT_NUMERIC]
    indexed = [c + "_index" for c in ADULT_CATEGORICAL]
    onehot = [c + "_vec" for c in ADULT_CATEGORICAL]
    prep = [
        Imputer(inputCols=ADULT_NUMERIC, outputCols=imputed, strategy="median"),
        StringIndexer(inputCols=ADULT_CATEGORICAL, outputCols=indexed, handleInvalid="keep"),
        OneHotEncoder(inputCols=indexed, outputCols=onehot),
        VectorAssembler(inputCols=imputed + onehot, outputCol="assembled"),
    ]
    scaled = prep + [StandardScaler(inputCol="assembled", outputCol="features", withMean=False, withStd=True)]
    heads = {
        "lr": LogisticRegression(featuresCol="features", labelCol="label", maxIter=50, regParam=0.01),
        "rf": RandomForestClassifier(featuresCol="features", labelCol="label", numTrees=15, maxDepth=5, seed=SEED),
        "gbt": GBTClassifier(featuresCol="features", labelCol="label", maxIter=15, maxDepth=3, seed=SEED),
    }
    for key, head in heads.items():
        model = Pipeline(stages=scaled + [head]).fit(train)
        name = f"adult-{key}"
        save(model, os.path.join(FIX, name), spark=spark)
        expected_file(spark, PipelineModel.load(os.path.join(FIX, name)), name, test_schema, test,
                      os.path.join(FIX, f"{name}.expected.json"))
        if key == "lr":
            for codec in ("zstd", "uncompressed"):
                save(model, os.path.join(FIX, f"{name}-{codec}"), codec=codec, spark=spark)
    # XGBoost reads the assembled vector, which Spark stores sparse for most rows: its zeros are values.
    for name, missing in (("adult-xgb", float("nan")), ("adult-xgb-missing0", 0.0)):
        xgb = SparkXGBClassifier(features_col="assembled", label_col="label", num_workers=1, n_estimators=30,
                                 max_depth=4, missing=missing, random_state=SEED)
        model = Pipeline(stages=prep + [xgb]).fit(train)
        save(model, os.path.join(FIX, name), spark=spark)
        loaded = PipelineModel.load(os.path.join(FIX, name))
        extra = {}
        if name == "adult-xgb":
            extra = zeros_as_missing(spark, loaded, test_schema, test)
        expected_file(spark, loaded, name, test_schema, test, os.path.join(FIX, f"{name}.expected.json"),
                      extra=extra)


def zeros_as_missing(spark, model, schema, rows):
    """What a server that passed the sparse vectors to XGBoost as CSR (implicit zeros missing) would
    return: P(class 1) per row, and the largest difference to Spark's. Tests show Conveyor is not that."""
    import scipy.sparse as sp
    import xgboost as xgb
    fields = [T.StructField(n, T.StringType() if t == "string" else T.DoubleType(), True) for n, t in schema]
    df = spark.createDataFrame([list(r) for r in rows], T.StructType(fields))
    prefix = PipelineModel(stages=model.stages[:-1]).transform(df).select("assembled").collect()
    booster = model.stages[-1].get_booster()
    width = prefix[0].assembled.size
    data, indices, indptr = [], [], [0]
    for r in prefix:
        v = r.assembled
        arr = v.toArray()
        nz = [i for i in range(width) if arr[i] != 0.0]
        indices += nz
        data += [arr[i] for i in nz]
        indptr.append(len(indices))
    csr = sp.csr_matrix((data, indices, indptr), shape=(len(prefix), width))
    p_sparse = booster.predict(xgb.DMatrix(csr))
    dense = np.array([r.assembled.toArray() for r in prefix])
    p_dense = booster.predict(xgb.DMatrix(dense, missing=np.nan))
    diff = float(np.max(np.abs(p_sparse - p_dense)))
    print(f"  zeros-as-missing would change P(>50K) by up to {diff:.4f}")
    return {"zeros_as_missing_probability": [float(x) for x in p_sparse], "zeros_as_missing_max_diff": diff}


# --- Single stages ---------------------------------------------------------------------------------------

def stages(spark):
    out = os.path.join(FIX, "stages")
    rng = random.Random(3)
    cats = ["a"] * 6 + ["b"] * 4 + ["c"] * 3 + ["d"] * 2 + ["e"]
    train_rows = []
    for i in range(200):
        x = rng.gauss(5, 2) if i % 17 else None
        y = rng.uniform(-3, 3)
        z = float(rng.randint(0, 4))
        train_rows.append([rng.choice(cats), rng.choice(["u", "v", "w"]) if i % 13 else None, x, y, z])
    schema = [("cat", "string"), ("cat2", "string"), ("x", "double"), ("y", "double"), ("z", "double")]
    sdf = T.StructType([T.StructField(n, T.StringType() if t == "string" else T.DoubleType(), True)
                        for n, t in schema])
    train = spark.createDataFrame(train_rows, sdf)
    test = [["a", "u", 1.5, -2.0, 0.0], ["e", "w", 7.25, 0.5, 4.0], ["zz", "v", None, 2.5, 2.0],
            [None, None, float("nan"), 0.0, 1.0], ["c", "x", 0.0, -0.75, 3.0], ["b", "u", 12.0, 3.5, 5.0],
            ["d", "v", -1.0, -3.5, -1.0]]

    def fixture(name, stage_or_pipeline, fit=True, per_row=False):
        model = stage_or_pipeline.fit(train) if fit else stage_or_pipeline
        path = os.path.join(out, name)
        save(model, path, spark=spark)
        loaded = type(model).load(path)
        expected_file(spark, loaded, f"stages/{name}", schema, test, os.path.join(out, f"{name}.expected.json"),
                      per_row_errors=per_row)

    for mode in ("error", "skip", "keep"):
        fixture(f"string_indexer_{mode}", StringIndexer(inputCol="cat", outputCol="cat_index", handleInvalid=mode),
                per_row=(mode == "error"))
    for order in ("frequencyAsc", "alphabetDesc", "alphabetAsc"):
        fixture(f"string_indexer_{order}", StringIndexer(inputCol="cat", outputCol="cat_index",
                                                          handleInvalid="keep", stringOrderType=order))
    fixture("string_indexer_multi", StringIndexer(inputCols=["cat", "cat2"], outputCols=["cat_index", "cat2_index"],
                                                  handleInvalid="keep"))
    for drop_last in (True, False):
        for mode in ("error", "keep"):
            name = f"one_hot_{mode}_{'droplast' if drop_last else 'nodroplast'}"
            fixture(name, Pipeline(stages=[
                StringIndexer(inputCols=["cat", "cat2"], outputCols=["cat_index", "cat2_index"], handleInvalid="keep"),
                OneHotEncoder(inputCols=["cat_index", "z"], outputCols=["cat_vec", "z_vec"], dropLast=drop_last,
                              handleInvalid=mode)]), per_row=(mode == "error"))
    for mode in ("error", "skip", "keep"):
        fixture(f"vector_assembler_{mode}", VectorAssembler(inputCols=["x", "y", "z"], outputCol="v",
                                                            handleInvalid=mode), fit=False, per_row=(mode == "error"))
    assemble = VectorAssembler(inputCols=["y", "z"], outputCol="v")
    fixture("standard_scaler_mean", Pipeline(stages=[assemble, StandardScaler(inputCol="v", outputCol="s",
                                                                               withMean=True, withStd=True)]))
    fixture("standard_scaler", Pipeline(stages=[assemble, StandardScaler(inputCol="v", outputCol="s")]))
    fixture("min_max_scaler", Pipeline(stages=[assemble, MinMaxScaler(inputCol="v", outputCol="s", min=-1.0)]))
    fixture("max_abs_scaler", Pipeline(stages=[assemble, MaxAbsScaler(inputCol="v", outputCol="s")]))
    for strategy in ("mean", "median", "mode"):
        fixture(f"imputer_{strategy}", Imputer(inputCols=["x", "y"], outputCols=["x_imp", "y_imp"], strategy=strategy))
    for mode in ("error", "skip", "keep"):
        fixture(f"bucketizer_{mode}", Bucketizer(inputCol="x", outputCol="x_bucket", splits=[-math.inf, 0, 2.5, 6, math.inf],
                                                 handleInvalid=mode), fit=False, per_row=(mode == "error"))
    fixture("bucketizer_multi", Bucketizer(inputCols=["y", "z"], outputCols=["y_bucket", "z_bucket"],
                                           splitsArray=[[-3.0, -1.0, 0.0, 1.0, 3.0], [-math.inf, 1.0, 3.0, math.inf]],
                                           handleInvalid="keep"), fit=False)
    fixture("quantile_discretizer", QuantileDiscretizer(inputCol="y", outputCol="y_bucket", numBuckets=4,
                                                        handleInvalid="keep"))
    fixture("binarizer", Binarizer(inputCols=["y", "z"], outputCols=["y_bin", "z_bin"], thresholds=[0.0, 2.0]),
            fit=False)
    fixture("index_to_string", Pipeline(stages=[
        StringIndexer(inputCol="cat", outputCol="cat_index", handleInvalid="skip"),
        IndexToString(inputCol="cat_index", outputCol="cat_again")]))
    # Models on numeric features (labels derived from the data so both tasks are learnable).
    labelled = train.na.fill({"x": 5.0}).withColumn("label", ((train.y + train.z) > 2).cast("double")) \
        .withColumn("target", train.y * 2.0 + train.z)
    feats = VectorAssembler(inputCols=["y", "z"], outputCol="v")
    models = {
        "linear_regression": LinearRegression(featuresCol="v", labelCol="target", regParam=0.1),
        "logistic_regression_multinomial": LogisticRegression(featuresCol="v", labelCol="z", family="multinomial",
                                                              maxIter=30),
        "decision_tree_classifier": DecisionTreeClassifier(featuresCol="v", labelCol="label", maxDepth=4),
        "decision_tree_regressor": DecisionTreeRegressor(featuresCol="v", labelCol="target", maxDepth=4),
        "random_forest_regressor": RandomForestRegressor(featuresCol="v", labelCol="target", numTrees=5, maxDepth=3,
                                                         seed=SEED),
        "gbt_regressor": GBTRegressor(featuresCol="v", labelCol="target", maxIter=5, maxDepth=3, seed=SEED),
    }
    for name, est in models.items():
        model = Pipeline(stages=[feats, est]).fit(labelled)
        path = os.path.join(out, name)
        save(model, path, spark=spark)
        expected_file(spark, PipelineModel.load(path), f"stages/{name}", schema, test,
                      os.path.join(out, f"{name}.expected.json"))


# --- Parquet reader fixtures -----------------------------------------------------------------------------

def parquet_fixtures(spark):
    """The same small table written by Spark (v1 and v2 pages) and pyarrow in each codec, with the
    table's values in a sidecar JSON (from the producer's own rows)."""
    os.makedirs(PARQUET_FIX, exist_ok=True)
    rows = []
    for i in range(40):
        rows.append({
            "id": i,
            "big": None if i % 7 == 3 else i * 1_000_000_007,
            "score": None if i % 5 == 2 else i / 8.0 - 1.5,
            "flag": None if i % 11 == 4 else i % 3 == 0,
            "name": None if i % 9 == 5 else ["alpha", "beta", "gamma", "delta"][i % 4] + ("" if i % 2 else "!"),
            "tags": None if i % 6 == 1 else [[f"t{i}", None, "x"][: (i % 4)], []] if i % 2 else [[f"u{j}" for j in range(i % 3)]],
            "values": None if i % 10 == 9 else [float(j) * 0.5 for j in range(i % 5)],
        })
    arrow_schema = pa.schema([("id", pa.int32(), False), ("big", pa.int64()), ("score", pa.float64()),
                              ("flag", pa.bool_()), ("name", pa.string()),
                              ("tags", pa.list_(pa.list_(pa.string()))), ("values", pa.list_(pa.float64()))])
    table = pa.Table.from_pylist(rows, schema=arrow_schema)
    with open(os.path.join(PARQUET_FIX, "table.json"), "w") as f:
        json.dump(rows, f, indent=0)
        f.write("\n")
    for codec in ("none", "snappy", "zstd"):
        for version in ("1.0", "2.0"):
            for dictionary in (True, False):
                name = f"pyarrow-{codec}-v{version[0]}-{'dict' if dictionary else 'plain'}.parquet"
                pq.write_table(table, os.path.join(PARQUET_FIX, name), compression=codec,
                               data_page_version=version, use_dictionary=dictionary, row_group_size=25,
                               write_statistics=False)
    # Files the reader must refuse with a message naming the column and feature.
    pq.write_table(table, os.path.join(PARQUET_FIX, "unsupported-gzip.parquet"), compression="gzip")
    # DELTA_BINARY_PACKED (what Spark's v2 writer falls back to for integers) is read;
    # DELTA_BYTE_ARRAY is not.
    pq.write_table(table.select(["id", "big"]), os.path.join(PARQUET_FIX, "pyarrow-delta-ints.parquet"),
                   use_dictionary=False, column_encoding={"id": "DELTA_BINARY_PACKED", "big": "DELTA_BINARY_PACKED"},
                   compression="none")
    pq.write_table(table.select(["id", "name"]), os.path.join(PARQUET_FIX, "unsupported-delta.parquet"),
                   use_dictionary=False, column_encoding={"id": "PLAIN", "name": "DELTA_BYTE_ARRAY"},
                   compression="none")
    if spark is None:
        return
    spark_schema = T.StructType([
        T.StructField("id", T.IntegerType(), False), T.StructField("big", T.LongType()),
        T.StructField("score", T.DoubleType()), T.StructField("flag", T.BooleanType()),
        T.StructField("name", T.StringType()), T.StructField("tags", T.ArrayType(T.ArrayType(T.StringType()))),
        T.StructField("values", T.ArrayType(T.DoubleType()))])
    df = spark.createDataFrame([[r[k] for k in spark_schema.names] for r in rows], spark_schema).coalesce(1)
    for codec in ("uncompressed", "snappy", "zstd"):
        for writer in ("v1", "v2"):
            tmp = os.path.join(PARQUET_FIX, "_tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            spark.sparkContext._jsc.hadoopConfiguration().set("parquet.writer.version", writer)
            df.write.option("compression", codec).parquet(tmp)
            part = [p for p in os.listdir(tmp) if p.startswith("part-") and p.endswith(".parquet")][0]
            shutil.move(os.path.join(tmp, part), os.path.join(PARQUET_FIX, f"spark-{codec}-{writer}.parquet"))
            shutil.rmtree(tmp)
    spark.sparkContext._jsc.hadoopConfiguration().set("parquet.writer.version", "v1")


def main():
    what = sys.argv[1:] or ["car", "adult", "stages", "parquet"]
    if what == ["parquet-arrow"]:
        return parquet_fixtures(None)
    spark = spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    os.makedirs(FIX, exist_ok=True)
    if "parquet" in what:
        parquet_fixtures(spark)
    if "car" in what:
        car(spark)
    if "stages" in what:
        stages(spark)
    if "adult" in what:
        adult(spark)
    spark.stop()


if __name__ == "__main__":
    main()
