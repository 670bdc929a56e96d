"""Strings Spark compares by their code units, for Conveyor's lookups (issue 12): Swift's String `==`
is Unicode canonical equivalence, so "café" written precomposed (U+00E9) and decomposed (e + U+0301)
are equal in Swift and different labels, terms and words to Spark. Each stage here is fitted or
built on one form, and Spark's own `transform` shows what it does with the other.

Run:  training/.venvs/pipe-spark/bin/python training/spark_unicode.py   (or the spark venv)
Needs JDK 17 on PATH. Writes Tests/Fixtures/spark-text/unicode/ in training/spark_text.py's format
(`<name>/` the saved stage, `<name>.expected.json` the rows and Spark's output per row):
  indexer_nfc       StringIndexerModel fitted on precomposed "café" and "tea" (handleInvalid keep)
  indexer_both      StringIndexerModel fitted on both forms and "tea" (two distinct labels)
  countvec          CountVectorizerModel with vocabulary [precomposed café, tea]
  stopwords         StopWordsRemover with stop word precomposed café, case-sensitive
  stopwords_lower   the same, case-insensitive (Spark lower-cases with the en_US locale)
  word2vec          Word2VecModel trained on sentences with precomposed café only (vectorSize 3, seed 42)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_text  # noqa: E402  (its session, save and expected-output helpers)
from pyspark.ml.feature import (CountVectorizerModel, StopWordsRemover, StringIndexer,  # noqa: E402
                                Word2Vec)

NFC = "caf\u00e9"
NFD = "cafe\u0301"
assert NFC != NFD and len(NFC) == 4 and len(NFD) == 5

spark_text.OUT = os.path.join(spark_text.REPO, "Tests", "Fixtures", "spark-text", "unicode")


def main():
    os.makedirs(spark_text.OUT, exist_ok=True)
    spark = spark_text.spark_session()
    rows_string = [[NFC], [NFD], ["tea"], ["unseen"], ["CAF\u00c9"]]

    df = spark.createDataFrame([[NFC], [NFC], ["tea"]], "s string")
    model = StringIndexer(inputCol="s", outputCol="i", handleInvalid="keep").fit(df)
    assert model.labels == [NFC, "tea"], model.labels
    spark_text.expected(spark, load(model, "indexer_nfc"), "indexer_nfc", [("s", "string")], rows_string)

    df = spark.createDataFrame([[NFC], [NFC], [NFC], [NFD], [NFD], ["tea"]], "s string")
    model = StringIndexer(inputCol="s", outputCol="i", handleInvalid="keep").fit(df)
    assert model.labels == [NFC, NFD, "tea"], model.labels
    spark_text.expected(spark, load(model, "indexer_both"), "indexer_both", [("s", "string")], rows_string)

    tokens = [[[NFC, NFD, "tea"]], [[NFD]], [[NFC, NFC]], [["CAF\u00c9", "cafe\u0301".upper()]]]
    model = CountVectorizerModel.from_vocabulary([NFC, "tea"], inputCol="t", outputCol="c")
    spark_text.expected(spark, load(model, "countvec"), "countvec", [("t", "array<string>")], tokens)

    for name, sensitive in [("stopwords", True), ("stopwords_lower", False)]:
        model = StopWordsRemover(inputCol="t", outputCol="r", stopWords=[NFC], caseSensitive=sensitive)
        spark_text.expected(spark, load(model, name), name, [("t", "array<string>")], tokens)

    sentences = spark.createDataFrame([[[NFC, "tea", "milk"]], [["tea", NFC]], [["milk", "tea"]]], "t array<string>")
    model = Word2Vec(inputCol="t", outputCol="v", vectorSize=3, minCount=1, seed=42, numPartitions=1).fit(sentences)
    spark_text.expected(spark, load(model, "word2vec"), "word2vec", [("t", "array<string>")], tokens)
    spark.stop()


def load(model, name):
    """Saved, then loaded back: the output comes from the files Conveyor reads."""
    path = spark_text.save(model, name)
    return type(model).load(path)


if __name__ == "__main__":
    main()
