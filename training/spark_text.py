"""Spark ML's text stages saved by Spark itself, with Spark's own `transform` output, for the sparkml
reader (issue 12): Tokenizer, RegexTokenizer, StopWordsRemover, NGram, HashingTF, CountVectorizerModel
IDFModel and Word2VecModel, fitted on a small corpus with edge rows (empty string, null, punctuation, Unicode, upper
case, repeated tokens, tokens shorter than minTokenLength, terms outside the vocabulary).

Run:  training/run.sh text   (or: training/.venvs/spark/bin/python training/spark_text.py; with
      training/.venvs/spark35/bin/python it writes the PySpark 3.5.9 saves under spark-3.5/)
Needs JDK 17 on PATH. The JVM runs with -Duser.language=en -Duser.country=US, so StopWordsRemover's
default `locale` is en_US. Writes Tests/Fixtures/spark-text/:
  pipeline/               PipelineModel on `text`: Tokenizer, StopWordsRemover (English), NGram(2), HashingTF(64),
                          IDF(minDocFreq=2), CountVectorizer(vocabSize=12), three RegexTokenizers (Spark's
                          defaults; `\\w+` matching, minTokenLength 3, no lower-casing; punctuation gaps, length 2;
                          `\\w.\\w` matching, where Java's dot takes vertical tab and form feed).
  <stage>/                single stages on token lists (`tokens`, `tokens2`): NGram n=1 and n=3, StopWordsRemover
                          case-sensitive and with two columns, HashingTF default (2^18) and binary(16), the same
                          HashingTF with its metadata's sparkVersion set to 2.4.8 (Spark then hashes as Spark 2
                          did), CountVectorizerModel minTF=2, minTF=0.4 binary,
                          Word2VecModel (vectorSize 5, minCount 1, seed 42).
  spark-3.5/              the same made by PySpark 3.5.9: pipeline, stopwords_multi, hashingtf_binary,
                          countvec_fraction, word2vec.
  refused/                stages Conveyor must refuse at load: StopWordsRemover locale tr, RegexTokenizer with
                          \\p{Lower} and with (?i). No expected output.
  <name>.expected.json    {"model", "spark_version", "inputs": [{name, type}], "rows", "expected": [{row, values}],
                          "error_rows"}; type is "string" or "array<string>"; a vector is {"size", "indices",
                          "values"} (sparse, as Spark gives it) or {"size", "values"} (dense).
"""
import json
import os
import shutil
import sys

import pyspark
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import (IDF, CountVectorizer, HashingTF, NGram, RegexTokenizer, StopWordsRemover,
                                Tokenizer, Word2Vec)
from pyspark.ml.linalg import DenseVector, SparseVector
from pyspark.sql import SparkSession
from pyspark.sql import types as T

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Run by PySpark 3.x (the spark35 venv) it writes a subset under spark-3.5/.
SPARK3 = pyspark.__version__.startswith("3.")
OUT = os.path.join(REPO, "Tests", "Fixtures", "spark-text", *(["spark-3.5"] if SPARK3 else []))
SPARK3_STAGES = {"stopwords_multi", "hashingtf_binary", "countvec_fraction", "word2vec"}

TEXTS = [
    "The quick brown fox jumps over the lazy dog",
    "the THE The tHe dog dog dog",
    "Hello, world! Hello... again?",
    "",
    None,
    "  leading and  double  spaces  ",
    "tab\tseparated\nnew line\r\nend",
    "Ünïcödé ÉCOLE naïve café ΣΟΦΟΣ İstanbul",
    "emoji 😀 test 👍🏽 日本語 テキスト",
    "a an I x yz abc",
    "don't can't it's o'clock",
    "123 4567 3.14 -1 2nd",
    "unseenword anotherunseen fox",
    "fox fox fox fox brown brown",
    " ",
    "UPPER CASE WORDS ONLY",
    "v\x0bt f\x0cf n\nl r\rc u\u2028s",
]

TOKENS = [
    ["a", "b", "c"],
    [],
    [""],
    None,
    ["The", "the", "THE", "And", "and", "fox"],
    ["x"],
    ["repeat", "repeat", "repeat", "other"],
    ["ΣΟΦΟΣ", "İstanbul", "café", "Über"],
    ["unseen", "fox", "fox", "dog"],
    ["a", "b", "a", "b", "a"],
    ["fox", "dog", "fox", "cat", "cat", "cat", "bird"],
    ["😀", "日本語", "abcde", "abcdefg", "", "dog"],
    ["dog", "dog", "fox", "fox", "bird", "x", "y", "z", "w", "v"],
]


def spark_session():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    java = "-Duser.language=en -Duser.country=US"
    return (SparkSession.builder.master("local[1]").appName("conveyor-spark-text")
            .config("spark.sql.shuffle.partitions", "1").config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "1g").config("spark.driver.extraJavaOptions", java)
            .config("spark.sql.session.timeZone", "UTC").getOrCreate())


def json_value(v):
    if v is None:
        return None
    if isinstance(v, SparseVector):
        return {"size": int(v.size), "indices": [int(i) for i in v.indices], "values": [float(x) for x in v.values]}
    if isinstance(v, DenseVector):
        return {"size": len(v), "values": [float(x) for x in v]}
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    return v


def save(model, name):
    path = os.path.join(OUT, name)
    shutil.rmtree(path, ignore_errors=True)
    model.write().save(path)
    return path


def expected(spark, model, name, schema, rows):
    """Spark's transform of each row on its own; a row Spark refuses (exception) goes to error_rows."""
    spark_type = {"string": T.StringType(), "array<string>": T.ArrayType(T.StringType())}
    fields = [T.StructField("_row", T.IntegerType(), False)] + [
        T.StructField(n, spark_type[t], True) for n, t in schema]
    df = spark.createDataFrame([[i] + list(r) for i, r in enumerate(rows)], T.StructType(fields))
    out, errors = [], []
    inputs = {n for n, _ in schema} | {"_row"}
    for i in range(len(rows)):
        try:
            collected = model.transform(df.filter(df._row == i)).collect()
        except Exception:  # noqa: BLE001 (Spark raises Py4J/Spark exceptions)
            errors.append(i)
            continue
        for r in collected:
            d = r.asDict()
            out.append({"row": d["_row"], "values": {k: json_value(v) for k, v in d.items() if k not in inputs}})
    doc = {"model": name, "spark_version": spark.version, "inputs": [{"name": n, "type": t} for n, t in schema],
           "rows": [list(r) for r in rows], "expected": out, "error_rows": errors}
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"  {name}: {len(out)} rows out, {len(errors)} refused")


def pipeline(spark):
    train = spark.createDataFrame([(t,) for t in TEXTS if t is not None], "text string")
    stages = [
        Tokenizer(inputCol="text", outputCol="words"),
        StopWordsRemover(inputCol="words", outputCol="filtered"),
        NGram(n=2, inputCol="words", outputCol="bigrams"),
        HashingTF(numFeatures=64, inputCol="filtered", outputCol="tf"),
        IDF(minDocFreq=2, inputCol="tf", outputCol="tfidf"),
        CountVectorizer(vocabSize=12, inputCol="filtered", outputCol="counts"),
        RegexTokenizer(inputCol="text", outputCol="rtokens"),
        RegexTokenizer(pattern="\\w+", gaps=False, minTokenLength=3, toLowercase=False, inputCol="text",
                       outputCol="rwords"),
        RegexTokenizer(pattern="[,.!?\\s]+", minTokenLength=2, inputCol="text", outputCol="rpunct"),
        # Java's `.` matches vertical tab and form feed (ICU's does not).
        RegexTokenizer(pattern="\\w.\\w", gaps=False, toLowercase=False, inputCol="text", outputCol="rdot"),
    ]
    model = Pipeline(stages=stages).fit(train)
    save(model, "pipeline")
    expected(spark, PipelineModel.load(os.path.join(OUT, "pipeline")), "pipeline", [("text", "string")],
             [(t,) for t in TEXTS])


def token_stages(spark):
    schema = [("tokens", "array<string>"), ("tokens2", "array<string>")]
    rows = [(t, None if t is None else list(reversed(t))[:3]) for t in TOKENS]
    train = spark.createDataFrame([(r[0],) for r in rows if r[0] is not None], "tokens array<string>")
    stages = {
        "ngram1": NGram(n=1, inputCol="tokens", outputCol="out"),
        "ngram3": NGram(n=3, inputCol="tokens", outputCol="out"),
        "stopwords_case": StopWordsRemover(stopWords=["The", "a", "İstanbul", ""], caseSensitive=True,
                                           inputCol="tokens", outputCol="out"),
        "stopwords_multi": StopWordsRemover(inputCols=["tokens", "tokens2"], outputCols=["out", "out2"]),
        "hashingtf_default": HashingTF(inputCol="tokens", outputCol="out"),
        "hashingtf_binary": HashingTF(numFeatures=16, binary=True, inputCol="tokens", outputCol="out"),
        "countvec_mintf": CountVectorizer(minTF=2.0, inputCol="tokens", outputCol="out").fit(train),
        "countvec_fraction": CountVectorizer(minTF=0.4, binary=True, vocabSize=6, inputCol="tokens",
                                             outputCol="out").fit(train),
        "word2vec": Word2Vec(vectorSize=5, minCount=1, seed=42, numPartitions=1, inputCol="tokens",
                             outputCol="out").fit(train),
    }
    for name, stage in stages.items():
        if SPARK3 and name not in SPARK3_STAGES:
            continue
        save(stage, name)
        loaded = type(stage).load(os.path.join(OUT, name))
        expected(spark, loaded, name, schema, rows)
    if SPARK3:
        return
    # The default HashingTF as a Spark 2 save: HashingTF.load hashes with Spark 2's murmur3 when the
    # metadata's sparkVersion is below 3.
    src, name = os.path.join(OUT, "hashingtf_default"), "hashingtf_spark2"
    dst = os.path.join(OUT, name)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    meta_dir = os.path.join(dst, "metadata")
    meta_path = os.path.join(meta_dir, next(n for n in os.listdir(meta_dir) if n.startswith("part-00000")))
    meta = json.loads(open(meta_path).readline())
    meta["sparkVersion"] = "2.4.8"
    with open(meta_path, "w") as f:
        f.write(json.dumps(meta, separators=(",", ":")) + "\n")
    for crc in os.listdir(os.path.join(dst, "metadata")):
        if crc.endswith(".crc"):
            os.remove(os.path.join(dst, "metadata", crc))
    expected(spark, HashingTF.load(dst), name, schema, rows)


def refused():
    stages = {
        "refused/stopwords_tr": StopWordsRemover(locale="tr", inputCol="tokens", outputCol="out"),
        "refused/regex_posix": RegexTokenizer(pattern="\\p{Lower}+", gaps=False, inputCol="text", outputCol="out"),
        "refused/regex_flags": RegexTokenizer(pattern="(?i)[a-z]+", gaps=False, inputCol="text", outputCol="out"),
    }
    for name, stage in stages.items():
        save(stage, name)


def main():
    os.makedirs(os.path.join(OUT, "refused"), exist_ok=True)
    spark = spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    pipeline(spark)
    token_stages(spark)
    if not SPARK3:
        refused()
    else:
        os.rmdir(os.path.join(OUT, "refused"))
    spark.stop()


if __name__ == "__main__":
    main()
