"""Explanations through Spark's column-mixing and slot-moving stages (training/run.sh lineage-shap).

Writes Tests/Fixtures/spark-lineage-shap/: one PipelineModel saved by PySpark 4.3 on UCI Adult,
FeatureHasher(workclass, education, age) ; VectorAssembler(capital-gain, capital-loss) -> cap ;
PolynomialExpansion(cap) ; ElementwiseProduct(cap) -> Normalizer(p=1) ; DCT(cap) ;
VectorAssembler(education-num, hours-per-week, fnlwgt) -> trio -> PCA(k=2) and VectorSlicer([1, 0]) ;
all assembled -> binomial LogisticRegression; and expected.json: for 200 held-back rows, the raw
inputs, shap's LinearExplainer values (all-zero background: coefficient x value, as Conveyor's
`linear` method) on the feature vectors Spark's own transform assembled, summed over the slots of
each group of input columns, and Spark's margins.

The groups come from Spark, not from Conveyor's lineage: the slot FeatureHasher gives `age` is
where Spark's transform of a row with only age set is non-zero; PolynomialExpansion's slots are
sorted by which of two probe vectors ([2, 0], [0, 3]) Spark's expansion leaves them non-zero in.
Stages that mix every slot (PCA, Normalizer, DCT) attribute to the group of their input columns.
"""
import csv
import os
import shutil
import sys

import numpy as np
import shap
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.feature import (DCT, PCA, ElementwiseProduct, FeatureHasher, Normalizer, PolynomialExpansion,
                                VectorAssembler, VectorSlicer)
from pyspark.ml.linalg import Vectors
from pyspark.sql import SparkSession
from pyspark.sql.types import DoubleType, StringType, StructField, StructType

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_tree_shap as trees  # noqa: E402

OUT = os.path.join(trees.REPO, "Tests", "Fixtures", "spark-lineage-shap")
STRINGS = ["workclass", "education"]
NUMBERS = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
SCHEMA = StructType([StructField(n, StringType()) for n in STRINGS] + [StructField(n, DoubleType()) for n in NUMBERS]
                    + [StructField("label", DoubleType())])
HASHED = 16


def read_rows():
    with open(os.path.join(trees.SHARED, "adult", "adult.csv"), newline="") as handle:
        rows = [[cell.strip() for cell in row] for row in csv.reader(handle) if row]
    header, rows = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    return [tuple(r[col[n]] for n in STRINGS) + tuple(float(r[col[n]]) for n in NUMBERS)
            + (1.0 if r[col["Salary"]].startswith(">50K") else 0.0,) for r in rows]


def probe(model, spark, values, column):
    """Spark's output `column` for one row where only `values` are set."""
    row = tuple(values.get(n) for n in STRINGS + NUMBERS) + (0.0,)
    return model.transform(spark.createDataFrame([row], SCHEMA)).collect()[0][column].toArray()


def slot_groups(model, spark):
    """The group of input columns of every slot of `features`, in assembly order, found by probing Spark."""
    stages = {s.getOutputCol(): s for s in model.stages[:-1]}
    age_slot = int(np.flatnonzero(probe(stages["hashed"], spark, {"age": 1.0}, "hashed"))[0])
    hashed = [{"age", *STRINGS} if i == age_slot else set(STRINGS) for i in range(HASHED)]
    poly = PipelineModel(stages=[stages["cap"], stages["cap2"]])
    only_gain = probe(poly, spark, {"capital-gain": 2.0, "capital-loss": 0.0}, "cap2") != 0
    only_loss = probe(poly, spark, {"capital-gain": 0.0, "capital-loss": 3.0}, "cap2") != 0
    cap2 = [{"capital-gain"} if g else {"capital-loss"} if l else {"capital-gain", "capital-loss"}
            for g, l in zip(only_gain, only_loss)]
    cap = {"capital-gain", "capital-loss"}
    trio = {"education-num", "hours-per-week", "fnlwgt"}
    # VectorSlicer(indices=[1, 0]) over trio = (education-num, hours-per-week, fnlwgt).
    return hashed + cap2 + [cap, cap] + [trio, trio] + [{"hours-per-week"}, {"education-num"}] + [cap, cap]


def group_sums(values, groups):
    """Per-slot values (rows x slots) summed per group of columns, named as Conveyor names a group."""
    columns = {}
    for slot, group in enumerate(groups):
        name = "+".join(sorted(group))
        columns[name] = columns.get(name, np.zeros(values.shape[0])) + values[:, slot]
    return columns


def explained(base, columns, out):
    """expected.json's base, per-group values and Spark's margins (rawPrediction[1])."""
    return {"base": base, "columns": {name: list(map(float, v)) for name, v in columns.items()},
            "margins": [float(r["rawPrediction"][1]) for r in out]}


def main():
    spark = (SparkSession.builder.master("local[1]").appName("lineage-shap")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate())
    rows = read_rows()
    order = np.random.default_rng(20261205).permutation(len(rows))
    train = spark.createDataFrame([rows[i] for i in order[:trees.TRAIN]], SCHEMA)
    test_rows = [rows[i] for i in order[trees.TRAIN:trees.TRAIN + trees.TEST]]
    pipeline = Pipeline(stages=[
        FeatureHasher(inputCols=STRINGS + ["age"], outputCol="hashed", numFeatures=HASHED),
        VectorAssembler(inputCols=["capital-gain", "capital-loss"], outputCol="cap"),
        PolynomialExpansion(degree=2, inputCol="cap", outputCol="cap2"),
        ElementwiseProduct(scalingVec=Vectors.dense([0.001, 0.01]), inputCol="cap", outputCol="capw"),
        Normalizer(p=1.0, inputCol="capw", outputCol="capn"),
        VectorAssembler(inputCols=["education-num", "hours-per-week", "fnlwgt"], outputCol="trio"),
        PCA(k=2, inputCol="trio", outputCol="pcs"),
        VectorSlicer(indices=[1, 0], inputCol="trio", outputCol="sliced"),
        DCT(inputCol="cap", outputCol="capdct"),
        VectorAssembler(inputCols=["hashed", "cap2", "capn", "pcs", "sliced", "capdct"], outputCol="features"),
        LogisticRegression(maxIter=50, regParam=0.01),
    ]).fit(train)
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    pipeline.write().overwrite().save(os.path.join(OUT, "mixed_logistic"))
    out = pipeline.transform(spark.createDataFrame(test_rows, SCHEMA)).collect()
    model = pipeline.stages[-1]
    features = np.array([r["features"].toArray() for r in out])
    groups = slot_groups(pipeline, spark)
    assert len(groups) == features.shape[1], (len(groups), features.shape[1])
    explainer = shap.LinearExplainer((model.coefficients.toArray(), model.intercept), np.zeros((1, features.shape[1])))
    values = np.asarray(explainer.shap_values(features))
    columns = group_sums(values, groups)
    expected = {
        "shap": shap.__version__, "spark": spark.version,
        "inputs": [dict(zip(STRINGS + NUMBERS, r[:-1])) for r in test_rows],
        **explained(float(explainer.expected_value), columns, out),
    }
    print(f"mixed_logistic: {features.shape[1]} slots in {len(columns)} groups: {sorted(columns)}")
    trees.finish(spark, expected, OUT)


if __name__ == "__main__":
    main()
