#!/usr/bin/env bash
# Idempotent: java 17 (Debian) and a venv with PySpark 4.3, Ray 2.60 and pyarrow for PipeSparkTests and PipeRayTests
# (python/tests/spark_check.py, ray_check.py). .ci/test.sh calls it; the test finds training/.venvs/pipe-spark.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/training/.venvs/pipe-spark"
REQ="$ROOT/training/requirements-pipe-spark.txt"
if ! command -v java >/dev/null 2>&1; then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless
fi
PY="${PY311:-/root/.pyenv/versions/3.11.7/bin/python}"
command -v "$PY" >/dev/null 2>&1 || PY="$(command -v python3)"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ -x "$DIR/bin/python" && -f "$DIR/.requirements.sha256" && "$(cat "$DIR/.requirements.sha256")" == "$want" ]]; then
  echo "venv pipe-spark: up to date"; exit 0
fi
echo "venv pipe-spark: creating with $PY"
mkdir -p "$(dirname "$DIR")"
[[ -x "$DIR/bin/python" ]] || "$PY" -m venv "$DIR"
"$DIR/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ"
echo "$want" > "$DIR/.requirements.sha256"
