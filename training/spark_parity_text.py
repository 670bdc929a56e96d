"""MLeap's text parity test, redone with real Spark: for each text bundle among MLeap's 52 Spark parity
bundles (shared/mleap-bundles/mleap-docs-spark-parity-52/bundles) and the rstudio sff text classifier,
read the bundle with zipfile/json (independently of Conveyor's reader), build the equivalent Spark ML
stages with exactly the bundle's parameters, run them on the text the parity specs read and write the
inputs and Spark's outputs as the expected values for Tests/MLeapTests/SparkParityTextTests.swift.

Run:  training/run.sh parity-text   (or: training/.venvs/spark/bin/python training/spark_parity_text.py)
Needs JDK 17 on PATH. Writes Tests/Fixtures/spark-parity/expected-text/<SpecName>.json:
  {"bundle", "producer", "stages": [{"node", "op", "spark"}], "inputs": {col: [values]},
   "outputs": {col: {"type": "list" | "vector", "rows": [...]}}}
A list row is a list of strings; a vector row is {"size", "indices", "values"} (sparse, as Spark gives it)
or {"size", "values"} (dense).

How each op becomes Spark (PySpark 4.3.0):
  tokenizer               Tokenizer
  regex_tokenizer         RegexTokenizer(pattern, gaps, minTokenLength, toLowercase)
  ngram                   NGram(n)
  stopwords_remover       StopWordsRemover(stopWords, caseSensitive)
  hashing_term_frequency  without hashUnsafeBytesVersion (MLeap <= 0.19, Spark 2.x): an ml HashingTF saved in
                          Spark's format with sparkVersion 2.2.0 and loaded with HashingTF.load, which makes
                          Spark 4 use its Spark 2 hash (mllib HashingTF.murmur3Hash, Murmur3_x86_32.hashUnsafeBytes);
                          hashUnsafeBytesVersion 2: HashingTF(numFeatures, binary) as is (hashUnsafeBytes2)
  count_vectorizer        CountVectorizerModel.from_vocabulary(vocabulary, minTF, binary)
  idf                     IDFModel saved in Spark's format (metadata + parquet data) and loaded
  word_to_vector          Word2VecModel saved in Spark's format (word, float vector rows) and loaded
  vector_assembler, string_indexer, normalizer   VectorAssembler, StringIndexerModel.from_labels, Normalizer
  logistic_regression     LogisticRegressionModel built with its JVM constructor through py4j
  (also RegexTokenizerVariants.json: RegexTokenizer with other settings on the same text, for the Swift test's
   own single-node bundles)
  word_filter             MLeap-only (no Spark class): plain Python of MLeap's WordLengthFilterModel, keep a
                          word when every UTF-16 unit is a letter (Java Character.isLetter) and its UTF-16
                          length > length. Marked "spark": null in the file.
"""
import json
import os
import shutil
import sys
import tempfile
import unicodedata
import zipfile

from pyspark.ml import PipelineModel
from pyspark.ml.classification import LogisticRegressionModel
from pyspark.ml.feature import (CountVectorizerModel, HashingTF, IDFModel, NGram, Normalizer, RegexTokenizer,
                                StopWordsRemover, StringIndexerModel, Tokenizer, VectorAssembler, Word2VecModel)
from pyspark.ml.linalg import DenseVector, SparseVector, Vectors
from pyspark.sql import SparkSession
from pyspark.sql import types as T

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(REPO, "..", "shared", "mleap-bundles")
PARITY = os.path.join(SHARED, "mleap-docs-spark-parity-52")
OUT = os.path.join(REPO, "Tests", "Fixtures", "spark-parity", "expected-text")
LENDING_JSON = os.path.join(REPO, "Tests", "Fixtures", "spark-parity", "lending_club_sample.json")
TEXT_SPECS = ["feature.TokenizerParitySpec", "feature.RegexTokenizerParitySpec", "feature.NGramsParitySpec",
              "feature.StopWordsRemoverParitySpec", "feature.HashingTermFrequencyParitySpec",
              "feature.CountVectorizerParitySpec", "feature.IDFParitySpec", "feature.WordToVectorParitySpec"]
MLEAP_SPECS = ["feature.WordLengthFilterParitySpec"]

# Rows that probe the edges of Java's split/toLowerCase and of the hash's tail bytes (UTF-8, 1-3 byte tails).
EDGE_TEXT = ["", " ", "  Leading and  double  spaces", "trailing spaces  ", "tab\tseparated\twords",
             "line\nbreak and\r\ncrlf", "vertical\x0btab and\x0cform feed", "UPPER lower MiXeD",
             "no\u00a0break\u00a0space", "Ünïcödé ÉCOLE naïve café", "emoji 😀 test 👍🏽", "İstanbul ΣΟΦΟΣ",
             "a ab abc abcd abcde abcdef", "debt debt debt consolidation Debt", "loan LOAN Loan loans",
             "o'clock it's don't", "123 4567 3.14 -1", "日本語 テキスト", "x"]
# Reviews for the sff classifier (its app takes free text; the producer published none).
REVIEWS = ["This was a great product and I would buy it again",
           "Terrible, it broke after one day. Do not buy.",
           "Great value, great taste, great price!",
           "it is ok i guess",
           "Absolutely loved it. Five stars, would recommend to everyone."]


def spark_session():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    return (SparkSession.builder.master("local[1]").appName("conveyor-parity-text")
            .config("spark.sql.shuffle.partitions", "1").config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "1g").config("spark.driver.extraJavaOptions",
                                                         "-Duser.language=en -Duser.country=US")
            .getOrCreate())


def read_bundle(path):
    """The nodes of a bundle, in pipeline order: [(name, op, attributes, inputs, outputs)]."""
    z = zipfile.ZipFile(path)
    names = set(z.namelist())

    def node(prefix):
        model = json.loads(z.read(prefix + "model.json"))
        shape = json.loads(z.read(prefix + "node.json"))
        return model, shape

    model, shape = node("root/")
    if model["op"] != "pipeline":
        return [(shape["name"], model["op"], model["attributes"], shape["shape"]["inputs"],
                 shape["shape"]["outputs"])]
    out = []
    for name in model["attributes"]["nodes"]["string"]:
        prefix = f"root/{name}.node/"
        assert prefix + "model.json" in names, prefix
        m, s = node(prefix)
        out.append((name, m["op"], m["attributes"], s["shape"]["inputs"], s["shape"]["outputs"]))
    return out


def attr(attributes, key, default=None):
    """A bundle attribute's value; `{}` is a default the writer left out."""
    value = attributes.get(key)
    if value is None or value == {}:
        return default
    for k in ("string", "boolean", "double", "long", "int"):
        if k in value:
            return value[k]
    raise ValueError(f"attribute {key}: {value}")


def port(ports, name):
    return next(p["name"] for p in ports if p["port"] == name)


def save_model(spark, tmp, cls, uid, params, data_rows, data_schema, spark_version):
    """A model directory in Spark's own save format (metadata JSON + parquet data), for classes PySpark
    cannot construct from values."""
    path = os.path.join(tmp, uid)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(os.path.join(path, "metadata"))
    meta = {"class": cls, "timestamp": 0, "sparkVersion": spark_version, "uid": uid, "paramMap": params,
            "defaultParamMap": {}}
    with open(os.path.join(path, "metadata", "part-00000"), "w") as f:
        f.write(json.dumps(meta) + "\n")
    if data_rows is not None:
        spark.createDataFrame(data_rows, data_schema).repartition(1).write.parquet(os.path.join(path, "data"))
    return path


def spark_stage(spark, tmp, node):
    """The Spark transformer for one bundle node, and a note of how it was made."""
    name, op, a, inputs, outputs = node
    if op == "word_filter":
        return None, None
    inp = out = None
    if op not in ("vector_assembler", "logistic_regression"):
        inp, out = port(inputs, "input"), port(outputs, "output")
    if op == "tokenizer":
        return Tokenizer(inputCol=inp, outputCol=out), "Tokenizer()"
    if op == "regex_tokenizer":
        st = RegexTokenizer(inputCol=inp, outputCol=out, pattern=attr(a, "regex"), gaps=attr(a, "match_gaps", False),
                            minTokenLength=attr(a, "token_min_length", 0),
                            toLowercase=attr(a, "lowercase_text", False))
        return st, f"RegexTokenizer(pattern={st.getPattern()!r}, gaps={st.getGaps()}, " \
                   f"minTokenLength={st.getMinTokenLength()}, toLowercase={st.getToLowercase()})"
    if op == "ngram":
        return NGram(inputCol=inp, outputCol=out, n=attr(a, "n")), f"NGram(n={attr(a, 'n')})"
    if op == "stopwords_remover":
        words = attr(a, "stop_words", [])
        case = attr(a, "case_sensitive", False)
        return (StopWordsRemover(inputCol=inp, outputCol=out, stopWords=words, caseSensitive=case),
                f"StopWordsRemover({len(words)} stop words, caseSensitive={case})")
    if op == "hashing_term_frequency":
        n, binary = attr(a, "num_features"), attr(a, "binary", False)
        version = attr(a, "hashUnsafeBytesVersion", 1)
        if version == 2:
            return (HashingTF(inputCol=inp, outputCol=out, numFeatures=n, binary=binary),
                    f"HashingTF(numFeatures={n}, binary={binary})")
        path = save_model(spark, tmp, "org.apache.spark.ml.feature.HashingTF", name,
                          {"inputCol": inp, "outputCol": out, "numFeatures": n, "binary": binary}, None, None, "2.2.0")
        return (HashingTF.load(path),
                f"HashingTF.load(sparkVersion 2.2.0: Spark 2 murmur3), numFeatures={n}, binary={binary}")
    if op == "count_vectorizer":
        vocab = attr(a, "vocabulary")
        min_tf, binary = attr(a, "min_tf", 1.0), attr(a, "binary", False)
        st = CountVectorizerModel.from_vocabulary(vocab, inputCol=inp, outputCol=out, minTF=min_tf, binary=binary)
        return st, f"CountVectorizerModel.from_vocabulary({len(vocab)} terms, minTF={min_tf}, binary={binary})"
    if op == "idf":
        idf = a["idf"]["double"]
        schema = T.StructType([T.StructField("idf", Vectors.dense([0.0]).__UDT__)])
        path = save_model(spark, tmp, "org.apache.spark.ml.feature.IDFModel", name,
                          {"inputCol": inp, "outputCol": out, "minDocFreq": 0}, [(Vectors.dense(idf),)], schema,
                          "2.2.0")
        return IDFModel.load(path), f"IDFModel.load(idf={idf})"
    if op == "word_to_vector":
        words, indices, flat = attr(a, "words"), attr(a, "indices"), a["word_vectors"]["double"]
        d = len(flat) // len(words)
        rows = [(w, [float(x) for x in flat[i * d:(i + 1) * d]]) for w, i in zip(words, indices)]
        schema = T.StructType([T.StructField("word", T.StringType()),
                               T.StructField("vector", T.ArrayType(T.FloatType()))])
        path = save_model(spark, tmp, "org.apache.spark.ml.feature.Word2VecModel", name,
                          {"inputCol": inp, "outputCol": out, "vectorSize": d}, rows, schema, spark.version)
        return Word2VecModel.load(path), f"Word2VecModel.load({len(words)} words x {d})"
    if op == "string_indexer":
        labels = attr(a, "labels_array_0") or attr(a, "labels")
        return (StringIndexerModel.from_labels(labels, inputCol=inp, outputCol=out,
                                               handleInvalid=attr(a, "handle_invalid", "error")),
                f"StringIndexerModel.from_labels({labels}, handleInvalid={attr(a, 'handle_invalid', 'error')})")
    if op == "normalizer":
        return Normalizer(inputCol=inp, outputCol=out, p=attr(a, "p_norm")), f"Normalizer(p={attr(a, 'p_norm')})"
    if op == "vector_assembler":
        cols = [p["name"] for p in inputs]
        return VectorAssembler(inputCols=cols, outputCol=port(outputs, "output")), f"VectorAssembler({cols})"
    if op == "logistic_regression":
        jvm = spark.sparkContext._jvm
        k = attr(a, "num_classes")
        coefficients = a["coefficient_matrix"]["double"]
        rows_cols = [d["size"] for d in a["coefficient_matrix"]["shape"]["dimensions"]]
        intercepts = a["intercept_vector"]["double"]
        # MLeap writes Spark's Matrix.toArray (column-major) with shape [classes, features]; DenseMatrix takes it as is.
        r, c = rows_cols
        column_major = coefficients
        to_java = lambda xs: spark.sparkContext._gateway.new_array(jvm.double, len(xs))
        jm, jv = to_java(column_major), to_java(intercepts)
        for i, x in enumerate(column_major):
            jm[i] = float(x)
        for i, x in enumerate(intercepts):
            jv[i] = float(x)
        matrix = jvm.org.apache.spark.ml.linalg.DenseMatrix(r, c, jm, False)
        vector = jvm.org.apache.spark.ml.linalg.DenseVector(jv)
        java_model = jvm.org.apache.spark.ml.classification.LogisticRegressionModel(name, matrix, vector, k, k > 2)
        model = LogisticRegressionModel(java_model)
        names = {p["port"]: p["name"] for p in outputs}
        model.setFeaturesCol(port(inputs, "features")).setRawPredictionCol(names["raw_prediction"]) \
            .setProbabilityCol(names["probability"]).setPredictionCol(names["prediction"])
        return model, f"LogisticRegressionModel({r}x{c}, {k} classes, multinomial={k > 2})"
    raise SystemExit(f"no Spark equivalent for op {op}")


def word_filter(words, length):
    """MLeap's WordLengthFilterModel: every char a letter (Java isLetter on UTF-16 units) and length > n."""
    def units(word):
        return word.encode("utf-16-le")

    def is_letter_unit(u):
        # Surrogates are not letters in Java's Character.isLetter(char).
        return not (0xD800 <= u <= 0xDFFF) and unicodedata.category(chr(u)).startswith("L")

    out = []
    for w in words:
        b = units(w)
        us = [int.from_bytes(b[i:i + 2], "little") for i in range(0, len(b), 2)]
        if all(is_letter_unit(u) for u in us) and len(us) > length:
            out.append(w)
    return out


def to_json(value):
    if isinstance(value, SparseVector):
        return {"size": value.size, "indices": [int(i) for i in value.indices],
                "values": [float(v) for v in value.values]}
    if isinstance(value, DenseVector):
        return {"size": len(value), "values": [float(v) for v in value.values]}
    if isinstance(value, list):
        return list(value)
    return value


def run_spec(spark, tmp, bundle_path, inputs, label):
    nodes = read_bundle(bundle_path)
    stages, notes = [], []
    for node in nodes:
        st, note = spark_stage(spark, tmp, node)
        notes.append({"node": node[0], "op": node[1], "spark": note})
        if st is not None:
            stages.append((node, st))
    fields = [T.StructField(c, T.StringType() if isinstance(v[0], str) else T.DoubleType())
              for c, v in inputs.items()]
    n = len(next(iter(inputs.values())))
    rows = [tuple(inputs[c][i] for c in inputs) for i in range(n)]
    df = spark.createDataFrame(rows, T.StructType(fields))
    df = df.withColumn("__row", __import__("pyspark.sql.functions", fromlist=["x"]).monotonically_increasing_id())
    for _, st in stages:
        df = st.transform(df)
    collected = sorted(df.collect(), key=lambda r: r["__row"])
    outputs = {}
    for node in nodes:
        name, op, a, ins, outs = node
        for p in outs:
            col = p["name"]
            if op == "word_filter":
                source = port(ins, "input")
                values = [word_filter(r[source], attr(a, "length")) for r in collected]
                outputs[col] = {"type": "list", "rows": values}
                continue
            values = [to_json(r[col]) for r in collected]
            kind = "list" if isinstance(values[0], list) else "vector" if isinstance(values[0], dict) else "double"
            outputs[col] = {"type": kind, "rows": values}
    doc = {"bundle": label, "producer": f"pyspark {spark.version}", "stages": notes, "inputs": inputs,
           "outputs": outputs}
    return doc


# RegexTokenizer settings beyond the parity bundle's (`\\s`, gaps): matching mode, explicit sets, zero-width splits,
# and Java's ASCII-only classes on non-ASCII text. The Swift test builds a bundle with each one.
REGEX_VARIANTS = [
    {"pattern": "[a-z']+", "gaps": False, "minTokenLength": 1, "toLowercase": True},
    {"pattern": "[ ,.;:!?()]+", "gaps": True, "minTokenLength": 3, "toLowercase": False},
    {"pattern": "(?=[A-Z])", "gaps": True, "minTokenLength": 0, "toLowercase": False},
    {"pattern": "\\s+", "gaps": False, "minTokenLength": 1, "toLowercase": False},
    {"pattern": "\\W+", "gaps": True, "minTokenLength": 1, "toLowercase": True},
    {"pattern": "[\\w']+", "gaps": False, "minTokenLength": 2, "toLowercase": True},
    {"pattern": "\\d+", "gaps": False, "minTokenLength": 1, "toLowercase": True},
]


def regex_variants(spark, texts):
    df = spark.createDataFrame([(t,) for t in texts], "text string")
    out = []
    for v in REGEX_VARIANTS:
        st = RegexTokenizer(inputCol="text", outputCol="tokens", **v)
        rows = [list(r["tokens"]) for r in st.transform(df).select("tokens").collect()]
        out.append(dict(v, rows=rows))
    return {"producer": f"pyspark {spark.version}", "inputs": texts, "variants": out}


def lending_club():
    with open(LENDING_JSON) as f:
        frame = json.load(f)
    names = [fl["name"] for fl in frame["schema"]["fields"]]
    return [dict(zip(names, r)) for r in frame["rows"]]


def distinct_loan_titles(spark):
    """Every distinct loan_title of MLeap's lending_club_sample.avro, first-seen order, read with the Avro
    library in Spark's own classpath (Spark has no built-in avro source without spark-avro)."""
    jvm = spark.sparkContext._jvm
    path = os.path.join(PARITY, "input_data", "lending_club_sample.avro")
    reader = jvm.org.apache.avro.file.DataFileReader(jvm.java.io.File(path),
                                                     jvm.org.apache.avro.generic.GenericDatumReader())
    seen = []
    while reader.hasNext():
        value = reader.next().get("loan_title")
        text = None if value is None else value.toString()
        if text is not None and text not in seen:
            seen.append(text)
    reader.close()
    return seen


def main():
    spark = spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(PARITY, "input_data", "carroll-alice.txt"), encoding="utf-8") as f:
        alice = f.read().split("\n")
    if alice and alice[-1] == "":
        alice = alice[:-1]  # Spark's text source: no line after the final newline
    titles = distinct_loan_titles(spark)
    text_rows = titles + alice + EDGE_TEXT
    tmp = tempfile.mkdtemp(prefix="conveyor-parity-text-")
    try:
        for spec in TEXT_SPECS + MLEAP_SPECS:
            file = f"org.apache.spark.ml.{'mleap.' if spec in MLEAP_SPECS else ''}parity.{spec}.zip"
            path = os.path.join(PARITY, "bundles", file)
            nodes = read_bundle(path)
            if spec == "feature.IDFParitySpec":
                rows = lending_club()
                inputs = {"dti": [float(r["dti"]) for r in rows], "loan_amount": [float(r["loan_amount"]) for r in rows]}
            else:
                first = nodes[0]
                inputs = {port(first[3], "input"): text_rows}
            doc = run_spec(spark, tmp, path, inputs, file)
            name = spec.split(".")[-1]
            with open(os.path.join(OUT, f"{name}.json"), "w") as f:
                json.dump(doc, f, ensure_ascii=False)
                f.write("\n")
            print(f"{name}: {len(next(iter(inputs.values())))} rows, outputs {list(doc['outputs'])}")
        doc = regex_variants(spark, text_rows)
        with open(os.path.join(OUT, "RegexTokenizerVariants.json"), "w") as f:
            json.dump(doc, f, ensure_ascii=False)
            f.write("\n")
        print(f"RegexTokenizerVariants: {len(REGEX_VARIANTS)} settings x {len(text_rows)} rows")
        # The rstudio sff text classifier: review text (+ the empty score its app sends).
        sff = os.path.join(SHARED, "rstudio-sff-text-classifier", "sff.zip")
        reviews = REVIEWS + alice + EDGE_TEXT
        doc = run_spec(spark, tmp, sff, {"review": reviews, "score": [""] * len(reviews)},
                       "rstudio-sff-text-classifier/sff.zip")
        with open(os.path.join(OUT, "rstudio-sff-text-classifier.json"), "w") as f:
            json.dump(doc, f, ensure_ascii=False)
            f.write("\n")
        print(f"rstudio-sff-text-classifier: {len(reviews)} rows, outputs {list(doc['outputs'])}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    main()
