"""Explanations through RFormula and Interaction (training/run.sh formula-shap).

Writes Tests/Fixtures/spark-formula-shap/: two PipelineModels saved by PySpark 4.3 on UCI Adult,
each ending in a GBTClassifier (10 trees of depth 3):
- rformula_gbt: RFormula "label ~ workclass + education_num + age:hours_per_week + workclass:age"
  (Spark fits the indexer, encoders, interactions and assembler inside the formula), then
  ElementwiseProduct by ones (it drops the one-hot attributes, which would make Spark's trees split
  those slots as categories, which shap's converter refuses);
- interaction_gbt: StringIndexer(workclass) -> OneHotEncoder -> VectorAssembler(age, hours_per_week)
  -> Interaction(workclass one-hot, the two numbers) -> VectorAssembler(interaction, education_num);
(Adult's columns with "_" for "-", which RFormula reads as removing a term);
and expected.json: for 200 held-back rows, the raw inputs, shap's TreeExplainer values (the margin
Spark's GBT adds up) on the feature vectors Spark's own transform assembled, summed over the slots
of each group of input columns, shap's expected value and Spark's margins (rawPrediction[1]).

The groups come from Spark, not from Conveyor's lineage: a slot belongs to every input column whose
change alone changes it in Spark's transform, probed over rows with every category and several
numbers (an interaction slot of a category and a number belongs to both).
"""
import os
import shutil
import sys

import numpy as np
import shap
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import GBTClassifier
from pyspark.ml.feature import (ElementwiseProduct, Interaction, OneHotEncoder, RFormula, StringIndexer,
                                VectorAssembler)
from pyspark.ml.linalg import Vectors
from pyspark.sql import SparkSession
from pyspark.sql.types import DoubleType, StringType, StructField, StructType

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_tree_shap as trees  # noqa: E402
from spark_lineage_shap import explained, group_sums, read_rows  # noqa: E402

OUT = os.path.join(trees.REPO, "Tests", "Fixtures", "spark-formula-shap")
STRINGS = ["workclass", "education"]
# RFormula reads "-" as removing a term: the columns are named with "_".
NUMBERS = ["age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
INPUTS = ["workclass", "education_num", "age", "hours_per_week"]
SCHEMA = StructType([StructField(n, StringType()) for n in STRINGS] + [StructField(n, DoubleType()) for n in NUMBERS]
                    + [StructField("label", DoubleType())])
GBT = {"maxIter": 10, "maxDepth": 3, "seed": 7}


def pipelines(train):
    formula = RFormula(formula="label ~ workclass + education_num + age:hours_per_week + workclass:age",
                       featuresCol="formula")
    width = formula.fit(train).transform(train.limit(1)).first()["formula"].size
    formula = Pipeline(stages=[
        formula,
        # Spark's trees split one-hot slots (binary attributes) as categories, which shap's converter
        # refuses; x * 1 drops the attributes and keeps the values.
        ElementwiseProduct(scalingVec=Vectors.dense([1.0] * width), inputCol="formula", outputCol="features"),
        GBTClassifier(**GBT),
    ])
    interaction = Pipeline(stages=[
        StringIndexer(inputCol="workclass", outputCol="wc_index", handleInvalid="keep"),
        OneHotEncoder(inputCol="wc_index", outputCol="wc_vec"),
        VectorAssembler(inputCols=["age", "hours_per_week"], outputCol="num"),
        Interaction(inputCols=["wc_vec", "num"], outputCol="inter"),
        VectorAssembler(inputCols=["inter", "education_num"], outputCol="features"),
        GBTClassifier(**GBT),
    ])
    return {"rformula_gbt": formula, "interaction_gbt": interaction}


def slot_groups(preprocessing, spark, rows, donors):
    """Each slot of `features`: the input columns whose change alone changes it in Spark's transform."""
    column = {name: i for i, name in enumerate(STRINGS + NUMBERS)}
    probes, changed = [], []
    for row in rows:
        for name in INPUTS:
            for donor in donors:
                if donor[column[name]] == row[column[name]]:
                    continue
                probe = list(row)
                probe[column[name]] = donor[column[name]]
                probes += [tuple(row), tuple(probe)]
                changed.append(name)
    out = preprocessing.transform(spark.createDataFrame(probes, SCHEMA)).select("features").collect()
    vectors = np.array([r["features"].toArray() for r in out])
    groups = [set() for _ in range(vectors.shape[1])]
    for index, name in enumerate(changed):
        for slot in np.flatnonzero(vectors[2 * index] != vectors[2 * index + 1]):
            groups[slot].add(name)
    return groups


def main():
    spark = (SparkSession.builder.master("local[1]").appName("formula-shap")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate())
    rows = read_rows()
    order = np.random.default_rng(20261205).permutation(len(rows))
    train_rows = [rows[i] for i in order[:trees.TRAIN]]
    test_rows = [rows[i] for i in order[trees.TRAIN:trees.TRAIN + trees.TEST]]
    train = spark.createDataFrame(train_rows, SCHEMA)
    # Donors: one row of every workclass Spark saw, and numbers from ten rows.
    by_class = {}
    for row in train_rows:
        by_class.setdefault(row[0], row)
    donors = list(by_class.values()) + train_rows[:10]
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    expected = {"shap": shap.__version__, "spark": spark.version, "inputs": INPUTS,
                "rows": [{n: r[(STRINGS + NUMBERS).index(n)] for n in INPUTS} for r in test_rows], "models": {}}
    for name, estimator in pipelines(train).items():
        fitted = estimator.fit(train)
        fitted.write().overwrite().save(os.path.join(OUT, name))
        preprocessing = PipelineModel(stages=fitted.stages[:-1])
        model = fitted.stages[-1]
        out = fitted.transform(spark.createDataFrame(test_rows, SCHEMA)).collect()
        features = np.array([r["features"].toArray() for r in out])
        # Base rows of every workclass too: a slot of one category times a number only moves with
        # that number in rows of that category.
        groups = slot_groups(preprocessing, spark, test_rows[:40] + list(by_class.values()), donors)
        assert len(groups) == features.shape[1] and all(groups), groups
        explainer = shap.TreeExplainer(model)
        values = np.asarray(explainer.shap_values(features, check_additivity=False))
        columns = group_sums(values, groups)
        expected["models"][name] = explained(float(np.atleast_1d(explainer.expected_value)[0]), columns, out)
        print(f"{name}: {features.shape[1]} slots in {len(columns)} groups: {sorted(columns)}")
    trees.finish(spark, expected, OUT)


if __name__ == "__main__":
    main()
