#!/usr/bin/env bash
# training/run.sh car       -> models/car-evaluation/*, pipelines/car-evaluation-sklearn.json
# training/run.sh xgboost   -> Tests/Fixtures/xgboost/<version>/ for every fixture version
# training/run.sh contribs   -> <stem>.contribs.csv (pred_contribs) beside every fixture model of both folders
# training/run.sh explanations -> Tests/Fixtures/explanations/car-spark.json (pred_contribs per slot and per raw column)
# training/run.sh objectives -> Tests/Fixtures/xgboost-objectives/<version>/ (2.1.4, 3.4.1): other objectives,
#                              DART, gblinear, categorical, multi-target, quantiles
# training/run.sh sklearn   -> Tests/Fixtures/sklearn-mleap/ (scikit-learn models via mleap + their predictions)
# training/run.sh parity    -> Tests/Fixtures/spark-parity/lending_club_sample.json (survey input)
# training/run.sh pickles   -> Tests/SageMakerArtifactsTests/Fixtures/ (crafted pickles, standard library only)
# training/run.sh spark     -> models/car-evaluation-spark/, pipelines/car-evaluation.json (the default),
#                              Tests/Fixtures/spark/, Tests/Fixtures/parquet/ (pyspark; ~8 minutes on 2 busy cores)
# training/run.sh parity-text -> Tests/Fixtures/spark-parity/expected-text/ (pyspark: MLeap's text parity
#                              bundles and the rstudio sff classifier redone with Spark; ~3 minutes)
# training/run.sh parity-spark -> Tests/Fixtures/spark-parity/expected/*.json, crafted/ (Spark's own transform
#                              of the feature parity bundles; pyspark + JDK 17, ~2 minutes)
# training/run.sh parity-models -> Tests/Fixtures/spark-parity/expected-models/ (Spark's outputs for the
#                              model bundles among the 52 parity bundles; pyspark + JDK 17, ~1 minute)
# training/run.sh layouts   -> Tests/Fixtures/spark-layouts/ (pyspark: a 13-stage PipelineModel with zero-padded
#                              stage folders and leftovers of an earlier save, a CrossValidatorModel, a Python-written
#                              TrainValidationSplitModel; Spark 4.3's outputs for the Spark 2.1 model there; ~4 minutes)
# training/run.sh text      -> Tests/Fixtures/spark-text/ (pyspark 4.3 and 3.5: Tokenizer, RegexTokenizer, StopWordsRemover, NGram,
#                              HashingTF, CountVectorizerModel, IDFModel saved by Spark with its transform output; ~3 minutes)
# training/run.sh sql       -> Tests/Fixtures/sql/ (pyspark 4.3: the SQLTransformer catalogue, Spark's value or error class per
#                              expression and edge row in ANSI and legacy mode, and SQLTransformer stages saved in
#                              PipelineModels; then pyspark 3.5 saves of the stages when training/.venvs/spark35 exists; ~6 minutes)
# training/run.sh spark-classes -> Tests/Fixtures/spark-classes/ (pyspark 4.3: PCA, selectors, VectorIndexer, Normalizer,
#                              … naive Bayes, SVC, MLP, FM, OvR, k-means, GMM, GLR, AFT, isotonic with Spark's
#                              transform output; ~20 minutes)
# training/run.sh spark-classes2 -> Tests/Fixtures/spark-classes2/ (pyspark 4.3: RFormulaModel, Interaction in a
#                              PipelineModel, TargetEncoderModel, ALSModel, the LSH models, with Spark's transform output)
# training/run.sh lightgbm  -> Tests/Fixtures/lightgbm/ (LightGBM 4.7.0 text models, inputs, LightGBM's predict,
#                              raw_score and pred_contrib; a few seconds. `lightgbm-contribs`: pred_contrib only)
# training/run.sh tree-shap -> Tests/Fixtures/spark-tree-shap/ (pyspark 4.3 tree models and shap's TreeExplainer values
#                              for them; ~2 minutes)
# training/run.sh linear-shap -> Tests/Fixtures/spark-linear-shap/ (pyspark 4.3 logistic and linear regressions and
#                              shap's LinearExplainer values for them; ~2 minutes)
# training/run.sh lineage-shap -> Tests/Fixtures/spark-lineage-shap/ (a pyspark 4.3 pipeline of FeatureHasher, PCA,
#                              PolynomialExpansion, Normalizer, DCT, VectorSlicer… and shap's values summed per column group)
# training/run.sh formula-shap -> Tests/Fixtures/spark-formula-shap/ (pyspark 4.3 RFormula and Interaction pipelines
#                              ending in a GBT, and shap's TreeExplainer values summed per column group; ~1 minute)
# training/run.sh mlflow    -> Tests/Fixtures/mlflow/ (models saved by mlflow 3.17 in the xgboost, lightgbm and spark
#                              flavours, refused flavours, and mlflow.pyfunc's predictions; pyspark + JDK 17, ~5 minutes)
# training/run.sh crafted-gmm -> Tests/Fixtures/spark-classes-hostile/ (a real GaussianMixtureModel save with a NaN covariance)
# training/run.sh all       -> all of these
# Runs setup.sh first (idempotent).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
bash "$HERE/setup.sh"
what="${1:-all}"
if [[ "$what" == car || "$what" == all ]]; then
  "$HERE/.venvs/main/bin/python" "$HERE/car_evaluation.py"
fi
if [[ "$what" == sklearn || "$what" == all ]]; then
  "$HERE/.venvs/main/bin/python" "$HERE/sklearn_models.py"
fi
if [[ "$what" == parity || "$what" == all ]]; then
  "$HERE/.venvs/main/bin/python" "$HERE/parity_inputs.py"
fi
if [[ "$what" == pickles || "$what" == all ]]; then
  "$HERE/.venvs/main/bin/python" "$HERE/malicious_pickles.py"
fi
if [[ "$what" == xgboost || "$what" == all ]]; then
  for v in 1.7.6 2.1.4 3.0.5 3.4.1; do
    "$HERE/.venvs/xgb-$v/bin/python" "$HERE/xgboost_fixtures.py"
  done
fi
if [[ "$what" == objectives || "$what" == all ]]; then
  for v in 2.1.4 3.4.1; do
    "$HERE/.venvs/xgb-$v/bin/python" "$HERE/xgboost_objectives.py"
  done
fi
if [[ "$what" == contribs || "$what" == all ]]; then
  for v in 1.7.6 2.1.4 3.0.5 3.4.1; do
    "$HERE/.venvs/xgb-$v/bin/python" "$HERE/xgboost_contribs.py"
  done
fi
if [[ "$what" == explanations || "$what" == all ]]; then
  "$HERE/.venvs/xgb-3.0.5/bin/python" "$HERE/explanation_fixtures.py"
fi
if [[ "$what" == spark || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh spark: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_pipelines.py"
fi
# --- text-ops: Spark's outputs for the MLeap text parity bundles (training/spark_parity_text.py)
if [[ "$what" == parity-text || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh parity-text: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_parity_text.py"
fi
# parity-spark (branch parity-features): Spark's outputs for the feature parity bundles.
if [[ "$what" == parity-spark || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh parity-spark: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_parity.py"
fi
# parity-models (branch parity-models): Spark's own outputs for the parity model bundles.
if [[ "$what" == parity-models || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh parity-models: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_parity_models.py"
fi
# layouts (branch spark-layouts): stage-folder and tuning-model layouts (training/spark_layouts.py).
if [[ "$what" == layouts || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh layouts: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_layouts.py"
fi
# text (branch spark-text): Spark ML's text stages as Spark saves them (training/spark_text.py).
if [[ "$what" == text || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh text: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_text.py"
  "$HERE/.venvs/spark35/bin/python" "$HERE/spark_text.py"
fi
# lightgbm (branch lightgbm): LightGBM text models and LightGBM's own predictions (training/lightgbm_models.py).
if [[ "$what" == lightgbm || "$what" == all ]]; then
  "$HERE/.venvs/lightgbm/bin/python" "$HERE/lightgbm_models.py"
fi
# lightgbm-contribs: LightGBM's pred_contrib beside each fixture model (after lightgbm).
if [[ "$what" == lightgbm || "$what" == lightgbm-contribs || "$what" == all ]]; then
  "$HERE/.venvs/lightgbm/bin/python" "$HERE/lightgbm_contribs.py"
fi
# tree-shap: Spark's tree models and shap's explanations of them (training/spark_tree_shap.py).
if [[ "$what" == tree-shap || "$what" == all ]]; then
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_tree_shap.py"
fi
# linear-shap: Spark's linear models and shap's explanations of them (training/spark_linear_shap.py).
if [[ "$what" == linear-shap || "$what" == all ]]; then
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_linear_shap.py"
fi
# lineage-shap: explanations through Spark's column-mixing stages (training/spark_lineage_shap.py).
if [[ "$what" == lineage-shap || "$what" == all ]]; then
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_lineage_shap.py"
fi
# formula-shap: explanations through RFormula and Interaction (training/spark_formula_shap.py).
if [[ "$what" == formula-shap || "$what" == all ]]; then
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_formula_shap.py"
fi
# mlflow (branch mlflow): MLflow model directories and pyfunc's predictions (training/mlflow_models.py).
if [[ "$what" == mlflow || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh mlflow: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/mlflow/bin/python" "$HERE/mlflow_models.py"
fi
# spark-classes (branch spark-classes): more Spark ML classes as Spark saves them (training/spark_classes.py).
if [[ "$what" == spark-classes || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh spark-classes: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_classes.py"
fi
# spark-classes2 (branch spark-classes): the remaining classes of issue 12 (training/spark_classes2.py).
if [[ "$what" == spark-classes2 || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh spark-classes2: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_classes2.py"
  if [[ -x "$HERE/.venvs/spark35/bin/python" ]]; then "$HERE/.venvs/spark35/bin/python" "$HERE/spark_classes2.py"; fi
fi
# sql (branch sql): Spark's results for the SQLTransformer engine (training/spark_sql.py).
if [[ "$what" == sql || "$what" == all ]]; then
  java -version >/dev/null 2>&1 || { echo "run.sh sql: needs a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  "$HERE/.venvs/spark/bin/python" "$HERE/spark_sql.py"
  if [[ -x "$HERE/.venvs/spark35/bin/python" ]]; then "$HERE/.venvs/spark35/bin/python" "$HERE/spark_sql.py"; fi
fi
# crafted-gmm: a hostile copy of the GaussianMixtureModel save (after spark-classes).
if [[ "$what" == crafted-gmm || "$what" == spark-classes || "$what" == all ]]; then
  "$HERE/.venvs/spark/bin/python" "$HERE/crafted_gmm.py"
fi
