#!/usr/bin/env bash
# The default Spark Car pipeline inside one Spark session: Spark's own PipelineModel.transform vs
# conveyor.spark.transform (mapInArrow) vs SQL TRANSFORM through `conveyor pipe`, on the same cached
# rows, answers checked first, interleaved rounds, medians (benchmarks/spark/bench.py).
#   bash benchmarks/spark/run.sh                       # 1,000,512 rows, local-cluster[2,1,2048], 5 rounds
#   REPEAT=100 ROUNDS=3 SPARK_MASTER='local[2]' bash benchmarks/spark/run.sh
# Needs a JDK 17 and training/.venvs/spark (PySpark 4.3 + xgboost 3.0.5, which Spark's own
# transform of the SparkXGBClassifier stage imports); builds the release binary if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
java -version >/dev/null 2>&1 || { echo "benchmarks/spark: needs a JDK 17 (bash .ci/pipe-spark-setup.sh installs it)" >&2; exit 1; }
bash training/setup.sh spark
export CONVEYOR_BIN="${CONVEYOR_BIN:-$PWD/.build/release/conveyor}"
[[ -x "$CONVEYOR_BIN" ]] || bash .ci/build-release.sh --product conveyor
exec training/.venvs/spark/bin/python benchmarks/spark/bench.py
