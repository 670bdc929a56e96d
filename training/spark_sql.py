"""Spark's own results for the SQLTransformer engine (issue 12, item 2): a catalogue of SQL expressions
evaluated by PySpark's SQLTransformer on edge rows (nulls, NaN, +-Infinity, -0.0, empty strings, Unicode,
Int32/Int64 limits), in ANSI mode (Spark 4's default) and in legacy mode (spark.sql.ansi.enabled=false),
plus SQLTransformer stages saved inside PipelineModels with their transform output.

Run:  training/run.sh sql   (or: training/.venvs/spark/bin/python training/spark_sql.py; with
      training/.venvs/spark35/bin/python it writes only the PySpark 3.5 stage saves under stages/spark-3.5/)
Needs JDK 17 on PATH. Writes Tests/Fixtures/sql/:
  catalogue.json   {"spark_version", "columns": [{name, type}], "rows": [[value per column]],
                    "expressions": [{"sql", "ansi": RESULT, "legacy": RESULT}], "where": [{"sql", "ansi", "legacy"}]}
                   RESULT is {"type": Spark's simpleString, "values": [one per row]} where a row Spark refused
                   holds {"error": "<error class>"}; or {"analysis_error": "<error class>"} when Spark refuses
                   the statement itself. A WHERE entry's values are the ids of the rows kept.
                   Encoding: integers as decimal strings (exact beyond 2^53), doubles as numbers or
                   "NaN"/"Infinity"/"-Infinity", strings, booleans, arrays of strings, null.
  stages/<name>/ and stages/<name>.expected.json: PipelineModels with SQLTransformer stages and Spark's
                   transform output {"spark_version", "statement", "columns", "rows", "output_columns", "output"}.
"""
import json
import math
import os
import shutil
import sys

import pyspark
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import SQLTransformer, VectorAssembler
from pyspark.ml.linalg import DenseVector
from pyspark.sql import SparkSession
from pyspark.sql import types as T

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPARK3 = pyspark.__version__.startswith("3.")
OUT = os.path.join(REPO, "Tests", "Fixtures", "sql")
INT_MAX, INT_MIN = 2147483647, -2147483648
LONG_MAX, LONG_MIN = 9223372036854775807, -9223372036854775808
NAN, INF = float("nan"), float("inf")

COLUMNS = [("id", "int"), ("i", "int"), ("j", "int"), ("l", "bigint"), ("d", "double"), ("e", "double"),
           ("s", "string"), ("t", "string"), ("b", "boolean")]
ROWS = [
    (0, 1, 2, 10, 1.5, 2.0, "abc", "a,b,,c,", True),
    (1, -7, 0, -3, -2.5, 0.0, "", "", False),
    (2, None, None, None, None, None, None, None, None),
    (3, INT_MAX, 5, LONG_MAX, NAN, 1.0, "  Hé llo ", "x", True),
    (4, INT_MIN, -1, LONG_MIN, INF, -1.0, "123", "1,2", False),
    (5, 0, -1, 0, -0.0, NAN, "1.5", "ÀÉÎ ß", True),
    (6, 3, None, 4, -INF, 3.0, "日本語😀", "%", None),
    (7, 2, 3, 2147483648, 0.5, None, "a_b%c", " 7 ", False),
]

EXPRESSIONS = [
    # literals and their types
    "1", "2147483648", "10L", "1.5D", "1e3", "'x'", "true", "CAST(NULL AS INT)", "-5",
    # arithmetic, overflow, null propagation
    "i + 1", "i + j", "i - j", "i * j", "i - 1", "i * 2", "-i", "+i", "i + l", "l + 1", "l - 1", "l * 2", "-l",
    "l * l", "i + d", "d + e", "d - e", "d * e", "-d", "d * 0", "i + NULL", "d * 1.5", "d + 0.1", "i * 2.5D",
    "(i + 1) * 2", "i - -1", "2 + 3 * 4 - 1", "(2 + 3) * 4", "i + j * 2",
    # division and remainders
    "i / j", "d / e", "l / 2", "i / 0", "d / 0", "i / 2", "i div j", "l div j", "i div 0", "l div 3", "i % j",
    "d % e", "l % 3", "-7 % 3", "i % 0", "d / 0.0D", "7 / 2", "7 div 2", "i % 2",
    # comparisons
    "i = j", "i <> j", "i != j", "i < j", "i <= j", "i > j", "i >= j", "d = e", "d < e", "d > 0", "d = d",
    "d >= e", "i <=> j", "s = 'abc'", "s < 'b'", "s = t", "s > t", "i = l", "i = d", "b = true", "i = '1'",
    "d > '1.0'", "s = 1", "s > 1", "i > 0.5", "l < 1.5", "d = -0.0D", "NULL = NULL", "NULL <=> NULL", "s <=> NULL",
    # logic (three-valued)
    "b AND i > 0", "b OR i > 0", "NOT b", "b AND NULL", "b OR NULL", "NOT (i > 0)", "b AND (i > 0 OR s = '')",
    "NULL AND false", "NULL OR true", "i > 0 AND d > 0", "NOT b OR d < 0", "b = (i > 0)", "!b",
    # null functions
    "i IS NULL", "s IS NOT NULL", "d IS NULL", "isnull(i)", "isnotnull(s)", "isnan(d)", "isnan(e)",
    "coalesce(i, j, 0)", "coalesce(d, e)", "coalesce(s, 'none')", "coalesce(i, d)", "coalesce(NULL, i)",
    "nvl(i, -1)", "nvl(s, 'x')", "ifnull(d, 0)", "nvl(i, l)", "NULL IS NULL", "nanvl(d, e)",
    # conditionals
    "CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' ELSE 'zero' END", "CASE WHEN d > 1 THEN 1 END",
    "CASE i WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'other' END", "CASE WHEN b THEN i ELSE d END",
    "CASE WHEN b THEN i ELSE l END", "if(i > 0, 'y', 'n')", "if(b, d, 0)", "if(i IS NULL, 0, i)", "IF(b, s, i)",
    "CASE WHEN NULL THEN 1 ELSE 2 END", "CASE s WHEN 'abc' THEN 1 WHEN '' THEN 2 END",
    "CASE WHEN i > 0 THEN i / j ELSE 0 END", "if(j = 0, NULL, i div j)",
    # casts
    "CAST(s AS INT)", "CAST(s AS DOUBLE)", "CAST(s AS BIGINT)", "CAST(d AS INT)", "CAST(d AS BIGINT)",
    "CAST(l AS INT)", "CAST(i AS STRING)", "CAST(d AS STRING)", "CAST(l AS DOUBLE)", "CAST(b AS INT)",
    "CAST(i AS BOOLEAN)", "CAST(s AS BOOLEAN)", "CAST(t AS INT)", "CAST(i AS DOUBLE)", "CAST('1e3' AS DOUBLE)",
    "CAST('2147483648' AS INT)", "CAST(d AS BOOLEAN)", "CAST(b AS STRING)", "CAST(l AS STRING)",
    "CAST(e AS STRING)", "CAST(i AS BIGINT)", "CAST(b AS DOUBLE)", "CAST(d * 1e6 AS STRING)",
    "CAST(d / 1000 AS STRING)", "CAST(t AS DOUBLE)", "CAST(s AS INTEGER)", "CAST(s AS LONG)",
    # IN and BETWEEN
    "i IN (1, 2, 3)", "s IN ('abc', '')", "i IN (1, NULL)", "i NOT IN (1, 2)", "d IN (1.5, 0.5)",
    "i IN (1, 2.5D)", "i BETWEEN 0 AND 3", "d BETWEEN -1 AND 1", "i NOT BETWEEN 0 AND 3", "s BETWEEN 'a' AND 'b'",
    "l BETWEEN i AND 100",
    # LIKE
    "s LIKE 'a%'", "s LIKE '%l%'", "s LIKE '___'", "s LIKE 'a\\_b%'", "s NOT LIKE '%c'", "t LIKE '\\%'",
    "s LIKE ''", "t LIKE '%,%,%'", "s LIKE '%😀'",
    # math
    "log(d)", "log(2, d)", "ln(d)", "log10(d)", "log1p(d)", "exp(d)", "sqrt(d)", "pow(d, 2)", "power(i, j)",
    "abs(i)", "abs(d)", "abs(l)", "round(d)", "round(d, 1)", "round(i, -1)", "round(i)", "round(d * 1.1D, 1)",
    "round(d, -1)", "bround(d)", "bround(d, 1)", "bround(d * 1.1D, 1)", "floor(d)", "ceil(d)", "floor(i)",
    "ceil(l)", "ceiling(d)", "greatest(i, j)", "greatest(d, e)", "least(i, j, 0)", "least(d, e)",
    "greatest(i, d)", "greatest(s, t)", "exp(i)", "sqrt(i)", "log(i)", "log2(d)", "pow(2, i)", "round(e / 3, 2)",
    "signum(d)", "sign(i)",
    # strings
    "lower(s)", "upper(s)", "trim(s)", "ltrim(s)", "rtrim(s)", "length(s)", "length(t)", "concat(s, t)",
    "concat(s, '-', i)", "concat_ws('-', s, t)", "concat_ws(',', s, i)", "substring(s, 2)", "substring(s, 2, 2)",
    "substring(s, -2)", "substring(s, 0, 2)", "substr(s, -3, 2)", "substring(s, 1, 100)", "substring(s, 5, -1)",
    "regexp_replace(s, '[aeiou]', '*')", "regexp_replace(s, '(\\\\w)', '$1$1')", "regexp_replace(s, '\\\\s+', '')",
    "regexp_replace(t, ',', ';')", "split(t, ',')", "split(s, '')", "split(t, ',', 2)", "s || t", "upper(t)",
    "lower(t)", "concat(s, NULL)", "s + 1", "t + 1", "s * 2", "char_length(s)", "concat(i, d)",
    "concat_ws('', s)", "length(CAST(d AS STRING))", "substring(t, 2, 3)",
]

WHERE = [
    "SELECT id FROM __THIS__ WHERE i > 0",
    "SELECT id FROM __THIS__ WHERE b",
    "SELECT id FROM __THIS__ WHERE NOT b",
    "SELECT id FROM __THIS__ WHERE s LIKE 'a%' OR d IS NULL",
    "SELECT id FROM __THIS__ WHERE d > 0",
    "SELECT id FROM __THIS__ WHERE i + 1 > 0",
    "SELECT id FROM __THIS__ WHERE i / j > 0",
    "SELECT id FROM __THIS__ WHERE coalesce(b, false) = false",
    "SELECT id FROM __THIS__ WHERE i IN (1, 2, 3) AND d BETWEEN 0 AND 2",
]


def encode(value, type_name):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, (list, tuple)):
        return [encode(v, "") for v in value]
    if isinstance(value, DenseVector):
        return [encode(float(v), "") for v in value]
    return value if isinstance(value, str) else str(value)


def error_class(exc):
    for name in ("getCondition", "getErrorClass"):
        fn = getattr(exc, name, None)
        if fn is not None:
            try:
                value = fn()
            except Exception:  # noqa: BLE001 - older PySpark
                value = None
            if value:
                return value
    return type(exc).__name__


def evaluate_one(df, expr):
    """Spark's result for one expression: the whole table, or row by row when a row raises."""
    sql = SQLTransformer(statement=f"SELECT {expr} AS r FROM __THIS__")
    try:
        out = sql.transform(df)
        type_name = out.schema.fields[0].dataType.simpleString()
        rows = out.collect()
        return {"type": type_name, "values": [encode(r[0], type_name) for r in rows]}
    except Exception as exc:  # noqa: BLE001 - an analysis error or a row error
        if "AnalysisException" in type(exc).__name__ or "ParseException" in type(exc).__name__:
            return {"analysis_error": error_class(exc)}
        first = exc
    values = []
    type_name = None
    for row in ROWS:
        try:
            out = sql.transform(df.where(f"id = {row[0]}"))
            type_name = out.schema.fields[0].dataType.simpleString()
            values.append(encode(out.collect()[0][0], type_name))
        except Exception as exc:  # noqa: BLE001
            values.append({"error": error_class(exc)})
    if type_name is None:
        return {"analysis_error": error_class(first)}
    return {"type": type_name, "values": values}


def evaluate_all(df, exprs, batch=25):
    """Many expressions per query (one Spark job); a batch that fails is redone one by one."""
    results = []
    for start in range(0, len(exprs), batch):
        group = exprs[start:start + batch]
        items = ", ".join(f"{e} AS r{k}" for k, e in enumerate(group))
        try:
            out = SQLTransformer(statement=f"SELECT {items} FROM __THIS__").transform(df)
            types = [f.dataType.simpleString() for f in out.schema.fields]
            rows = out.collect()
            results += [{"type": types[k], "values": [encode(r[k], types[k]) for r in rows]} for k in range(len(group))]
        except Exception:  # noqa: BLE001
            results += [evaluate_one(df, e) for e in group]
        print(f"  {start + len(group)} of {len(exprs)}", flush=True)
    return results


def evaluate_where(df, statement):
    try:
        return {"type": "int", "values": [str(r[0]) for r in SQLTransformer(statement=statement).transform(df).collect()]}
    except Exception as exc:  # noqa: BLE001
        return {"error": error_class(exc)}


def schema():
    types = {"int": T.IntegerType(), "bigint": T.LongType(), "double": T.DoubleType(), "string": T.StringType(),
             "boolean": T.BooleanType()}
    return T.StructType([T.StructField(name, types[kind], True) for name, kind in COLUMNS])


def catalogue(spark):
    # One partition, rows in id order (local[1]): results come back in row order.
    df = spark.createDataFrame(ROWS, schema()).coalesce(1).cache()
    df.count()
    entries = []
    wheres = []
    for ansi in (True, False):
        spark.conf.set("spark.sql.ansi.enabled", "true" if ansi else "false")
        for index, result in enumerate(evaluate_all(df, EXPRESSIONS)):
            expr = EXPRESSIONS[index]
            if ansi:
                entries.append({"sql": expr, "ansi": result})
            else:
                entries[index]["legacy"] = result
        for index, statement in enumerate(WHERE):
            result = evaluate_where(df, statement)
            if ansi:
                wheres.append({"sql": statement, "ansi": result})
            else:
                wheres[index]["legacy"] = result
    spark.conf.set("spark.sql.ansi.enabled", "true")
    columns = [{"name": name, "type": kind} for name, kind in COLUMNS]
    rows = [[encode(v, kind) for v, (_, kind) in zip(row, COLUMNS)] for row in ROWS]
    doc = {"spark_version": pyspark.__version__, "columns": columns, "rows": rows, "expressions": entries,
           "where": wheres}
    with open(os.path.join(OUT, "catalogue.json"), "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=0)
        fh.write("\n")
    differ = sum(1 for e in entries if e["ansi"] != e["legacy"])
    print(f"catalogue: {len(entries)} expressions ({differ} differ in legacy mode), {len(wheres)} WHERE statements")


STAGES = {
    # name: (stages builder, output columns)
    "where_case": lambda: [SQLTransformer(statement=(
        "SELECT id, i, d * 2 AS d2, CASE WHEN b THEN 'yes' ELSE 'no' END flag, `s` AS name, "
        "coalesce(j, 0) + 1 AS j1 FROM __THIS__ WHERE i IS NOT NULL AND d > 0"))],
    "star_vector": lambda: [
        VectorAssembler(inputCols=["d", "e"], outputCol="v", handleInvalid="keep"),
        SQLTransformer(statement="SELECT *, concat_ws('-', s, t) AS st, i div 2 AS half FROM __THIS__"),
        SQLTransformer(statement="select id, v, upper(st) as st_upper, half * 2 as twice from __THIS__ where half is not null")],
    "nulls_legacy": lambda: [SQLTransformer(statement=(
        "SELECT id, i / j AS q, CAST(s AS INT) AS n, i + 1 AS inc FROM __THIS__"))],
}


def stage_fixtures(spark):
    out_dir = os.path.join(OUT, "stages", *(["spark-3.5"] if SPARK3 else []))
    os.makedirs(out_dir, exist_ok=True)
    df = spark.createDataFrame(ROWS, schema()).coalesce(1)
    for name, build in STAGES.items():
        model = Pipeline(stages=build()).fit(df)
        path = os.path.join(out_dir, name)
        shutil.rmtree(path, ignore_errors=True)
        model.write().overwrite().save(path)
        loaded = PipelineModel.load(path)
        expected = {"spark_version": pyspark.__version__,
                    "statements": [s.getStatement() for s in loaded.stages if isinstance(s, SQLTransformer)],
                    "columns": [{"name": n, "type": k} for n, k in COLUMNS],
                    "rows": [[encode(v, k) for v, (_, k) in zip(row, COLUMNS)] for row in ROWS]}
        try:
            result = loaded.transform(df)
            expected["output_columns"] = [{"name": f.name, "type": f.dataType.simpleString()} for f in result.schema.fields]
            expected["output"] = [[encode(v, "") for v in row] for row in result.collect()]
        except Exception as exc:  # noqa: BLE001 - an ANSI row error
            expected["error"] = error_class(exc)
        with open(os.path.join(out_dir, name + ".expected.json"), "w", encoding="utf-8") as fh:
            json.dump(expected, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        print(f"stage {name}: {expected.get('error') or len(expected['output'])} rows")


def main():
    spark = (SparkSession.builder.master("local[1]").appName("spark_sql")
             .config("spark.driver.extraJavaOptions", "-Duser.language=en -Duser.country=US -Duser.timezone=UTC")
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "1").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    os.makedirs(OUT, exist_ok=True)
    if not SPARK3:
        catalogue(spark)
    stage_fixtures(spark)
    spark.stop()


if __name__ == "__main__":
    sys.exit(main())
