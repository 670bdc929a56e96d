"""MLeap's Spark parity test, redone with real Spark for the feature bundles of
shared/mleap-bundles/mleap-docs-spark-parity-52 (real Spark 2.2 -> MLeap 0.8 exports written by MLeap's
SparkParityBase; they store no outputs because MLeap compared Spark with MLeap at test time).

For every feature bundle this script
  1. reads the bundle zip with zipfile/json (independently of Conveyor's Swift reader): the pipeline's node
     order, each node's model.json attributes and node.json input/output columns;
  2. builds the equivalent Spark ML stage from exactly those fitted parameters: PySpark constructors where
     they exist, else the Scala constructor through py4j (PCAModel, ChiSqSelectorModel, VectorIndexerModel,
     StandardScalerModel, MinMaxScalerModel, MaxAbsScalerModel, OneHotEncoderModel, ImputerModel);
  3. runs Spark's own transform on the rows the parity spec reads (the first ROWS rows of MLeap's
     lending_club_sample.avro, decoded by the Avro library inside Spark's JVM, then EDGE_ROWS; edge rows
     Spark refuses are tried one by one and kept as refused_rows) and writes the input rows
     and Spark's values for every column the bundle produces to
     Tests/Fixtures/spark-parity/expected/<bundle name minus org.apache.spark.ml.>.json.

It also writes crafted VectorIndexer bundles with category maps (the parity bundle's VectorIndexer found
no categorical feature), in the layout MLeap's VectorIndexerOp writes, from a VectorIndexerModel that
Spark fits here, with Spark's transform as the expected values: Tests/Fixtures/spark-parity/crafted/.

Spark 2.2 (the bundles' producer) versus Spark 4.3 (this script), and what is done about it:
  - one_hot_encoder (`size` + `drop_last`): Spark 2.2's OneHotEncoder transformer had no fitted model;
    `size` is its output width, category count minus one with drop_last. Reproduced with today's
    OneHotEncoderModel(categorySizes=[size + 1], dropLast=True, handleInvalid=error): identical for every
    index 0..size (the last one encodes as all zeros), which is all a string indexer can produce.
  - vector_assembler: Spark 2.2 passed NaN through and refused nulls; Spark 4.3's default
    handleInvalid=error refuses NaN as well. We use handleInvalid=keep (NaN passes) and assert the spec's
    input columns hold no nulls, which makes the two equal.
  - imputer in the org.apache.spark.ml.mleap.parity bundle is MLeap's own Imputer (mleap-spark-extension),
    whose model imputes a value that is NaN or equals missing_value (ImputerModel.apply in mleap-core), and
    nulls (nullable_input). Spark 4.3's ImputerModel imputes nulls and values equal to missingValue, but not
    NaN unless missingValue is NaN; so two Spark ImputerModels with the same surrogate are chained
    (missingValue=23.4, then missingValue=NaN). Its input column `mv` is synthesised like the spec's
    randomRow() (23.4, 33.2 or a uniform double), plus nulls and NaNs.
  - bucketizer, binarizer, normalizer, dct, polynomial expansion, interaction, elementwise product,
    vector slicer, chi-square selector, PCA, the scalers, string indexer / index-to-string: same semantics
    for these parameters (handleInvalid absent in 0.8 bundles = Spark's default, error).
  - math_unary / math_binary are MLeap-only ops with no Spark ML class: the expected values are Spark SQL
    functions implementing MLeap's documented semantics (MathUnaryModel / MathBinaryModel: tan(x), a * b, ...).
  - multinomial_labeler (MLeap-only, list-valued outputs) is not run by Conveyor and is skipped here.

Run:  training/run.sh parity-spark   (or: training/.venvs/spark/bin/python training/spark_parity.py)
Needs a JDK 17. Takes about a minute.
"""
import glob
import json
import math
import os
import random
import re
import shutil
import sys
import zipfile

from pyspark.ml.common import _py2java
from pyspark.ml.feature import (DCT, Binarizer, Bucketizer, ElementwiseProduct, IndexToString, Interaction,
                                Normalizer, PolynomialExpansion, StringIndexerModel, VectorAssembler,
                                VectorIndexer, VectorSlicer)
from pyspark.ml.linalg import DenseMatrix, DenseVector, Vector
from pyspark.ml.wrapper import JavaParams
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from py4j.protocol import Py4JJavaError

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARITY = os.path.join(REPO, "..", "shared", "mleap-bundles", "mleap-docs-spark-parity-52")
AVRO = os.path.join(PARITY, "input_data", "lending_club_sample.avro")
OUT = os.path.join(REPO, "Tests", "Fixtures", "spark-parity", "expected")
CRAFTED = os.path.join(REPO, "Tests", "Fixtures", "spark-parity", "crafted")
ROWS = 200
SEED = 7
# Text, clustering, LSH and model bundles are covered elsewhere (or not at all).
SKIP = ("Tokenizer", "NGrams", "StopWordsRemover", "HashingTermFrequency", "IDF", "CountVectorizer",
        "WordToVector", "WordLengthFilter", "LSH", "MultinomialLabeler")

spark = None


# ---------- reading the bundle (zipfile + json only) ----------

def attr(attrs, name, default=None):
    """A model.json attribute as a Python value: scalar, list, or (values, dims) for a tensor.
    `{}` is a default the Spark writer dropped (false / 0 / empty); an absent attribute is `default`."""
    if name not in attrs:
        return default
    raw = attrs[name]
    if raw == {}:
        return default if default is not None else 0
    if raw.get("type") == "tensor":
        dims = [d["size"] for d in raw["shape"]["dimensions"]]
        return raw["double"], dims
    for key in ("double", "long", "int", "boolean", "string"):
        if key in raw:
            value = raw[key]
            if key == "double" and isinstance(value, list):  # NaN/inf are written as null
                return [v if v is not None else None for v in value]
            return value
    if raw.get("type") == "list":
        return []
    raise ValueError(f"attribute {name}: {raw}")


def read_bundle(path):
    """[(name, op, attributes, inputs [(port, column)], outputs [(port, column)])] in execution order."""
    with zipfile.ZipFile(path) as z:
        def node(prefix):
            model = json.loads(z.read(prefix + "model.json"))
            shape = json.loads(z.read(prefix + "node.json"))
            return model, shape

        root_model, root_shape = node("root/")
        if root_model["op"] != "pipeline":
            pairs = [(root_model, root_shape)]
        else:
            pairs = [node(f"root/{name}.node/") for name in root_model["attributes"]["nodes"]["string"]]
    return [(shape["name"], model["op"], model["attributes"],
             [(s["port"], s["name"]) for s in shape["shape"]["inputs"]],
             [(s["port"], s["name"]) for s in shape["shape"]["outputs"]]) for model, shape in pairs]


# ---------- Spark stages from bundle parameters ----------

def jvm_model(class_name, *args):
    """A Spark model built with its Scala constructor (private[ml] in Scala, public in bytecode),
    wrapped in its PySpark class."""
    cls = spark._jvm
    for part in class_name.split("."):
        cls = getattr(cls, part)
    return JavaParams._from_java(cls(*args))


def jvec(values):
    return _py2java(spark.sparkContext, DenseVector([float(v) for v in values]))


def jints(values):
    array = spark.sparkContext._gateway.new_array(spark._jvm.int, len(values))
    for i, v in enumerate(values):
        array[i] = int(v)
    return array


def jdoubles(values):
    array = spark.sparkContext._gateway.new_array(spark._jvm.double, len(values))
    for i, v in enumerate(values):
        array[i] = float(v)
    return array


def jstrings(values):
    array = spark.sparkContext._gateway.new_array(spark._jvm.String, len(values))
    for i, v in enumerate(values):
        array[i] = v
    return array


def scala_map(pydict):
    return spark._jvm.org.apache.spark.api.python.PythonUtils.toScalaMap(pydict)


def vector_indexer_model(uid, attrs):
    """VectorIndexerModel from MLeap's layout: keys, key_<k>_keys (doubles), key_<k>_values (longs)."""
    maps = {}
    for key in attr(attrs, "keys", []) or []:
        values = attr(attrs, f"key_{key}_keys")
        indices = attr(attrs, f"key_{key}_values")
        maps[int(key)] = scala_map({float(v): int(i) for v, i in zip(values, indices)})
    model = jvm_model("org.apache.spark.ml.feature.VectorIndexerModel", uid, int(attr(attrs, "num_features")),
                      scala_map(maps))
    model._set(handleInvalid=attr(attrs, "handle_invalid", "error"))
    return model


def stages_for(name, op, attrs, inputs, outputs):
    """Spark transformers (or DataFrame -> DataFrame functions for MLeap-only ops) for one node."""
    ins = [c for _, c in inputs]
    outs = [c for _, c in outputs]
    one_in, one_out = (ins[0] if ins else None), (outs[0] if outs else None)
    if op == "string_indexer":
        return [StringIndexerModel.from_labels(attr(attrs, "labels"), inputCol=one_in, outputCol=one_out,
                                               handleInvalid=attr(attrs, "handle_invalid", "error"))]
    if op == "reverse_string_indexer":
        return [IndexToString(inputCol=one_in, outputCol=one_out, labels=attr(attrs, "labels"))]
    if op == "vector_assembler":
        return [VectorAssembler(inputCols=ins, outputCol=one_out, handleInvalid="keep")]
    if op == "binarizer":
        return [Binarizer(threshold=attr(attrs, "threshold"), inputCol=one_in, outputCol=one_out)]
    if op == "bucketizer":
        splits = [s if s is not None else (-math.inf if i == 0 else math.inf)
                  for i, s in enumerate(attr(attrs, "splits"))]
        return [Bucketizer(splits=splits, inputCol=one_in, outputCol=one_out,
                           handleInvalid=attr(attrs, "handle_invalid", "error"))]
    if op == "normalizer":
        return [Normalizer(p=attr(attrs, "p_norm"), inputCol=one_in, outputCol=one_out)]
    if op == "elementwise_product":
        return [ElementwiseProduct(scalingVec=DenseVector(attr(attrs, "scaling_vec")[0]), inputCol=one_in,
                                   outputCol=one_out)]
    if op == "dct":
        return [DCT(inverse=bool(attr(attrs, "inverse", False)), inputCol=one_in, outputCol=one_out)]
    if op == "polynomial_expansion":
        return [PolynomialExpansion(degree=int(attr(attrs, "degree")), inputCol=one_in, outputCol=one_out)]
    if op == "interaction":
        return [Interaction(inputCols=ins, outputCol=one_out)]
    if op == "vector_slicer":
        return [VectorSlicer(indices=[int(i) for i in attr(attrs, "indices", [])],
                             names=attr(attrs, "names", []), inputCol=one_in, outputCol=one_out)]
    if op == "chi_sq_selector":
        model = jvm_model("org.apache.spark.ml.feature.ChiSqSelectorModel", name,
                          jints(attr(attrs, "filter_indices")))
        return [model.setFeaturesCol(one_in).setOutputCol(one_out)]
    if op == "pca":
        # MLeap stores pc.values (column-major) with dimensions (numRows, numCols).
        values, (rows, cols) = attr(attrs, "principal_components")
        pc = _py2java(spark.sparkContext, DenseMatrix(rows, cols, values))
        model = jvm_model("org.apache.spark.ml.feature.PCAModel", name, pc, jvec([0.0] * cols))
        model._set(k=cols)  # a param of the estimator that transformSchema checks
        return [model.setInputCol(one_in).setOutputCol(one_out)]
    if op == "vector_indexer":
        return [vector_indexer_model(name, attrs).setInputCol(one_in).setOutputCol(one_out)]
    if op == "standard_scaler":
        mean, std = attr(attrs, "mean"), attr(attrs, "std")
        width = len((mean or std)[0])
        model = jvm_model("org.apache.spark.ml.feature.StandardScalerModel", name,
                          jvec(std[0] if std else [1.0] * width), jvec(mean[0] if mean else [0.0] * width))
        model._set(withMean=mean is not None, withStd=std is not None)
        return [model.setInputCol(one_in).setOutputCol(one_out)]
    if op == "min_max_scaler":
        model = jvm_model("org.apache.spark.ml.feature.MinMaxScalerModel", name, jvec(attr(attrs, "min")[0]),
                          jvec(attr(attrs, "max")[0]))
        model._set(min=float(attr(attrs, "min_value", 0.0)), max=float(attr(attrs, "max_value", 1.0)))
        return [model.setInputCol(one_in).setOutputCol(one_out)]
    if op == "max_abs_scaler":
        model = jvm_model("org.apache.spark.ml.feature.MaxAbsScalerModel", name, jvec(attr(attrs, "maxAbs")[0]))
        return [model.setInputCol(one_in).setOutputCol(one_out)]
    if op == "one_hot_encoder" and "size" in attrs:
        size, drop_last = int(attr(attrs, "size")), bool(attr(attrs, "drop_last", False))
        model = jvm_model("org.apache.spark.ml.feature.OneHotEncoderModel", name,
                          jints([size + 1 if drop_last else size]))
        model._set(dropLast=drop_last, handleInvalid="error")
        return [model.setInputCols([one_in]).setOutputCols([one_out])]
    if op == "imputer":
        surrogate = float(attr(attrs, "surrogate_value"))
        missing = attr(attrs, "missing_value", None)
        tmp = one_out + "__missing_value_imputed"
        # Spark 4.3's ImputerModel(uid, column names, surrogates).
        first = jvm_model("org.apache.spark.ml.feature.ImputerModel", name + "_a", jstrings([one_in]),
                          jdoubles([surrogate]))
        first._set(inputCols=[one_in], outputCols=[tmp], missingValue=float(missing) if missing is not None
                   else math.nan)
        second = jvm_model("org.apache.spark.ml.feature.ImputerModel", name + "_b", jstrings([tmp]),
                           jdoubles([surrogate]))
        second._set(inputCols=[tmp], outputCols=[one_out], missingValue=math.nan)
        return [first, second, lambda df: df.drop(tmp)]
    if op == "math_unary":
        operation = attr(attrs, "operation")
        function = {"sin": F.sin, "cos": F.cos, "tan": F.tan, "log": F.log, "exp": F.exp, "abs": F.abs,
                    "sqrt": F.sqrt, "log10": F.log10, "log2": F.log2, "asin": F.asin, "acos": F.acos,
                    "atan": F.atan, "sinh": F.sinh, "cosh": F.cosh, "tanh": F.tanh}[operation]
        return [lambda df: df.withColumn(one_out, function(F.col(one_in)))]
    if op == "math_binary":
        operation = attr(attrs, "operation")
        a = dict(inputs).get("input_a")
        b = dict(inputs).get("input_b")
        left = F.col(a) if a else F.lit(float(attr(attrs, "da", 0.0)))
        right = F.col(b) if b else F.lit(float(attr(attrs, "db", 0.0)))
        expr = {"add": lambda: left + right, "sub": lambda: left - right, "mul": lambda: left * right,
                "div": lambda: left / right, "pow": lambda: F.pow(left, right),
                "log_n": lambda: F.log(left) / F.log(right), "min": lambda: F.least(left, right),
                "max": lambda: F.greatest(left, right)}[operation]()
        return [lambda df: df.withColumn(one_out, expr)]
    raise NotImplementedError(f"{name}: op {op}")


# ---------- input rows ----------

def lending_club_rows():
    """The first ROWS records of lending_club_sample.avro, decoded by Apache Avro inside Spark's JVM
    (pyspark ships avro-*.jar; the spark-avro data source is not part of pyspark)."""
    jvm = spark._jvm
    reader = jvm.org.apache.avro.file.DataFileReader(jvm.java.io.File(AVRO),
                                                     jvm.org.apache.avro.generic.GenericDatumReader())
    fields = [(f.name(), [t.getName() for t in f.schema().getTypes() if t.getName() != "null"][0])
              for f in reader.getSchema().getFields()]
    rows = []
    while reader.hasNext() and len(rows) < ROWS:
        record = reader.next()
        row = []
        for name, kind in fields:
            value = record.get(name)
            row.append(None if value is None else (float(value) if kind == "double" else str(value)))
        rows.append(row)
    reader.close()
    return [(name, kind) for name, kind in fields], rows


def imputer_rows():
    """Like ImputerParitySpec.randomRow(): 23.4 (the missing value), 33.2, or a uniform double;
    plus nulls and NaNs, which MLeap's Imputer also imputes."""
    rng = random.Random(SEED)
    rows = []
    for i in range(ROWS):
        if i % 10 == 3:
            rows.append([None])
        elif i % 10 == 7:
            rows.append([math.nan])
        elif rng.random() < 0.5:
            rows.append([23.4 if rng.random() < 0.5 else rng.random()])
        else:
            rows.append([33.2])
    return [("mv", "double")], rows


# ---------- running and writing ----------

def json_number(x):
    if x is None:
        return None
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def json_value(value):
    if isinstance(value, Vector):
        return [json_number(float(v)) for v in value.toArray()]
    if isinstance(value, float):
        return json_number(value)
    return value


def kind_of(field):
    if isinstance(field.dataType, T.StringType):
        return "string"
    if isinstance(field.dataType, (T.DoubleType, T.FloatType, T.IntegerType, T.LongType)):
        return "double"
    return "vector"


def transform(nodes, fields, rows):
    """Spark's transform of `rows` through the stages of `nodes`: (used input fields, rows as fed, output rows,
    output schema). Raises Py4JJavaError when Spark refuses the rows."""
    read = {c for n in nodes for _, c in n[3]}
    produced = [c for n in nodes for _, c in n[4]]
    used = [f for f in fields if f[0] in read and f[0] not in produced]
    schema = T.StructType([T.StructField("_row", T.IntegerType(), False)] + [
        T.StructField(name, T.DoubleType() if kind == "double" else T.StringType(), True) for name, kind in used])
    index = {name: i for i, (name, _) in enumerate(fields)}
    data = [[r] + [row[index[name]] for name, _ in used] for r, row in enumerate(rows)]
    df = spark.createDataFrame(data, schema)
    for node in nodes:
        for stage in stages_for(*node):
            df = stage(df) if callable(stage) and not hasattr(stage, "transform") else stage.transform(df)
    return used, data, df.orderBy("_row").collect(), {f.name: f for f in df.schema.fields}


def first_line(error):
    text = str(getattr(error, "java_exception", error)).splitlines()[0]
    return re.sub(r"\$\$Lambda[^`]*", "", text)[:300]  # the lambda's address changes run to run


def run(bundle_path, nodes, fields, rows, notes, edge_rows=()):
    """The fixture for `nodes` on `rows` plus the `edge_rows` Spark accepts; the edge rows it refuses
    (each tried alone) are kept as `refused_rows` with Spark's message."""
    accepted, refused = list(edge_rows), []
    try:
        used, data, result, out_fields = transform(nodes, fields, list(rows) + accepted)
    except Py4JJavaError:
        accepted = []
        for row in edge_rows:
            try:
                transform(nodes, fields, [row])
                accepted.append(row)
            except Py4JJavaError as error:
                refused.append((row, first_line(error)))
        used, data, result, out_fields = transform(nodes, fields, list(rows) + accepted)
    index = {name: i for i, (name, _) in enumerate(fields)}
    produced = [c for n in nodes for _, c in n[4]]
    fixture = {
        "bundle": os.path.basename(bundle_path),
        "producer": f"Apache Spark {spark.version} (pyspark), training/spark_parity.py",
        "notes": notes,
        "nodes": [{"name": n[0], "op": n[1]} for n in nodes],
        "input": {"fields": [{"name": name, "type": kind} for name, kind in used],
                  "rows": [[json_number(v) if isinstance(v, float) else v for v in d[1:]] for d in data]},
        # Input rows (0-based) that Spark's output has, in order (all of them unless a stage skips rows).
        "row_ids": [r["_row"] for r in result],
        "outputs": [{"name": c, "kind": kind_of(out_fields[c]), "values": [json_value(r[c]) for r in result]}
                    for c in produced if c in out_fields],
    }
    if edge_rows:
        fixture["edge_rows_from"] = len(rows)
    if refused:
        fixture["refused_rows"] = [[json_number(row[index[name]]) if isinstance(row[index[name]], float)
                                    else row[index[name]] for name, _ in used] for row, _ in refused]
        fixture["refused_because"] = [message for _, message in refused]
    return fixture


# Rows after the lending-club ones, for the edges the sample lacks: zeros, negatives, values on a
# binarizer threshold and on bucket splits, NaN and ±infinity, -0.0, values whose squares overflow or
# underflow, an unseen and a null category.
# (state, emp_length, fico_score_group_fnl, dti, loan_amount, loan_title, approved)
EDGE_ROWS = [
    ["CA", "1 year", "700 - 800", 0.0, 0.0, "Other", 0.0],
    ["TX", "2 years", "0 - 450", -0.25, -1000.0, "Other", 1.0],
    ["NY", "3 years", "450 - 500", 0.12, 1000.0, "Other", 0.0],
    ["FL", "4 years", "650 - 700", math.nan, 10000.0, "Other", 0.0],
    ["PA", "5 years", "600 - 650", 1.0e6, math.inf, "Other", 0.0],
    ["XX", "6 years", "900 - 950", 0.2, 5000.0, "Other", 0.0],
    [None, "7 years", None, 0.3, 2000.0, "Other", 0.0],
    ["ND", "8 years", "700 - 800", -0.0, -math.inf, "Other", 0.0],  # ND: the last label, dropped by drop_last
    ["WI", "9 years", "550 - 600", 0.5, math.nan, "Other", 0.0],
    ["GA", "10+ years", "600 - 650", 1.0e200, 1.0e200, "Other", 0.0],  # squares overflow
    ["OH", "1 year", "500 - 550", 1.0e-300, 3.0e-300, "Other", 0.0],  # squares underflow
]


def write(path, fixture):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(fixture, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(path, REPO)}: {len(fixture['row_ids'])} rows, "
          f"outputs {[o['name'] for o in fixture['outputs']]}")


NOTES = {
    "imputer": "MLeap's Imputer (null, NaN or missing_value -> surrogate) as two chained Spark ImputerModels "
               "(missingValue=23.4, then NaN); input mv synthesised like ImputerParitySpec.randomRow() plus nulls "
               "and NaNs.",
    "math_unary": "MLeap-only op: expected values are Spark SQL's function of the same name (MathUnaryModel).",
    "math_binary": "MLeap-only op: expected values are Spark SQL arithmetic (MathBinaryModel: a op b).",
    "one_hot_encoder": "Spark 2.2's OneHotEncoder(size, dropLast) as OneHotEncoderModel(categorySizes=[size+1], "
                       "dropLast=true, handleInvalid=error): same output for indices 0..size.",
    "vector_assembler": "VectorAssembler(handleInvalid=keep): Spark 2.2 passed NaN through; inputs hold no nulls.",
}


def parity_bundles():
    for path in sorted(glob.glob(os.path.join(PARITY, "bundles", "*.feature.*.zip"))):
        if not any(s in os.path.basename(path) for s in SKIP):
            yield path


def crafted_vector_indexer(fields, rows):
    """VectorIndexer with category maps: Spark fits it on the first 40 rows less those in the "700 - 800"
    fico group (so later rows hold a category it never saw, and the other categories get new indices), we write its model in MLeap's vector_indexer layout behind the same
    string indexer + assembler as the parity spec, and Spark's transform is the expected output."""
    parity = read_bundle(os.path.join(PARITY, "bundles", "org.apache.spark.ml.parity.feature.VectorIndexerParitySpec.zip"))
    fico = read_bundle(os.path.join(PARITY, "bundles", "org.apache.spark.ml.mleap.parity.feature.MathUnaryParitySpec.zip"))[0]
    assembler = ("vecAssembler", "vector_assembler", parity[1][2],
                 [("input0", "dti"), ("input1", "loan_amount"), ("input2", "fico_index")], [("output", "features")])
    prefix = [fico, assembler]
    index = {name: i for i, (name, _) in enumerate(fields)}
    train = spark.createDataFrame([(r[index["dti"]], r[index["loan_amount"]], r[index["fico_score_group_fnl"]])
                                   for r in rows[:40] if r[index["fico_score_group_fnl"]] != "700 - 800"],
                                  ["dti", "loan_amount", "fico_score_group_fnl"])
    for node in prefix:
        for stage in stages_for(*node):
            train = stage.transform(train)
    for mode in ("keep", "skip", "error"):
        fitted = VectorIndexer(maxCategories=8, handleInvalid=mode, inputCol="features",
                               outputCol="indexed").fit(train)
        maps = {int(k): {float(v): int(i) for v, i in m.items()} for k, m in fitted.categoryMaps.items()}
        attrs = {"keys": {"type": "list", "long": sorted(maps)}, "num_features": {"long": fitted.numFeatures},
                 "handle_invalid": {"string": mode}}
        for key, mapping in maps.items():
            items = sorted(mapping.items())
            attrs[f"key_{key}_keys"] = {"type": "list", "double": [v for v, _ in items]}
            attrs[f"key_{key}_values"] = {"type": "list", "long": [i for _, i in items]}
        node = ("vecIdx", "vector_indexer", attrs, [("input", "features")], [("output", "indexed")])
        nodes = prefix + [node]
        bundle_dir = os.path.join(CRAFTED, f"vector-indexer-{mode}")
        write_bundle_dir(bundle_dir, nodes)
        notes = [f"Crafted bundle (layout of MLeap's VectorIndexerOp) from a VectorIndexerModel Spark fitted on rows "
                 f"0..39 (less fico group 700 - 800) with maxCategories=8, handleInvalid={mode}; categories: {maps}."]
        if mode == "error":
            # Spark refuses a whole frame on the first unseen category. Candidates are the rows holding a
            # value outside a category map; Spark must refuse each alone and accept all the others together.
            refused = []
            for i, row in enumerate(rows):
                if any(vector_value(row, index, key) not in mapping for key, mapping in maps.items()):
                    try:
                        transform(nodes, fields, [row])
                    except Py4JJavaError as error:
                        assert "VectorIndexer encountered invalid value" in str(error), error
                        refused.append(i)
                    else:
                        raise AssertionError(f"Spark accepted row {i}")
            fixture = run(bundle_dir, nodes, fields, [r for i, r in enumerate(rows) if i not in refused], notes)
            fixture["refused_rows"] = [[rows[i][index[f["name"]]] for f in fixture["input"]["fields"]]
                                       for i in refused]
        else:
            fixture = run(bundle_dir, nodes, fields, rows, notes)
        fixture["bundle"] = os.path.relpath(bundle_dir, os.path.join(REPO, "Tests", "Fixtures", "spark-parity"))
        write(os.path.join(OUT, f"crafted.vector-indexer-{mode}.json"), fixture)


def vector_value(row, index, key):
    """Element `key` of the crafted assembler's vector (dti, loan_amount, fico index) for a raw row."""
    if key == 2:
        labels = ["650 - 700", "600 - 650", "700 - 800", "550 - 600", "0 - 450", "500 - 550", "450 - 500"]
        return float(labels.index(row[index["fico_score_group_fnl"]]))
    return row[index[["dti", "loan_amount"][key]]]


def write_bundle_dir(path, nodes):
    shutil.rmtree(path, ignore_errors=True)
    root = os.path.join(path, "root")
    os.makedirs(root)

    def dump(obj, *parts):
        with open(os.path.join(*parts), "w") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")

    dump({"format": "json", "name": "vector_indexer_categories", "version": "0.8.0", "uid": "spark-parity-crafted"},
         path, "bundle.json")
    dump({"op": "pipeline", "attributes": {"nodes": {"type": "list", "string": [n[0] for n in nodes]}}}, root,
         "model.json")
    dump({"name": "pipeline", "shape": {"inputs": [], "outputs": []}}, root, "node.json")
    for name, op, attrs, inputs, outputs in nodes:
        os.makedirs(os.path.join(root, name + ".node"))
        dump({"op": op, "attributes": attrs}, root, name + ".node", "model.json")
        dump({"name": name, "shape": {"inputs": [{"port": p, "name": c} for p, c in inputs],
                                      "outputs": [{"port": p, "name": c} for p, c in outputs]}},
             root, name + ".node", "node.json")


def main():
    global spark
    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (SparkSession.builder.master("local[1]").appName("spark-parity")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    fields, rows = lending_club_rows()
    shutil.rmtree(OUT, ignore_errors=True)
    for path in parity_bundles():
        nodes = read_bundle(path)
        ops = {n[1] for n in nodes}
        notes = [NOTES[op] for op in sorted(ops) if op in NOTES]
        spec_fields, spec_rows = (imputer_rows() if "imputer" in ops else (fields, rows))
        read = {c for n in nodes for _, c in n[3]} - {c for n in nodes for _, c in n[4]}
        spec_index = {name: i for i, (name, _) in enumerate(spec_fields)}
        numeric = [c for c, kind in spec_fields if c in read and kind == "double"]
        if "vector_assembler" in ops:
            assert all(r[spec_index[c]] is not None for r in spec_rows for c in numeric), "nulls in assembled input"
        edges = [] if "imputer" in ops else EDGE_ROWS
        name = os.path.basename(path)[len("org.apache.spark.ml."):-len(".zip")]
        write(os.path.join(OUT, name + ".json"), run(path, nodes, spec_fields, spec_rows, notes, edges))
    crafted_vector_indexer(fields, rows)
    spark.stop()


if __name__ == "__main__":
    main()
