#!/usr/bin/env bash
# Idempotent: creates the Python virtualenvs used to (re)generate the models and fixtures.
#   training/.venvs/main        Python 3.11: scikit-learn + mleap + xgboost 3.0.5 (car-evaluation)
#   training/.venvs/xgb-<ver>   one per XGBoost version, for Tests/Fixtures/xgboost/<ver>/
#   training/.venvs/spark       Python 3.11: pyspark 4.3.0 + xgboost 3.0.5 + pyarrow (needs java 17 on PATH)
#   training/.venvs/spark35     Python 3.11: pyspark 3.5.9 (Spark 3 saves of the text stages; java 17)
#   training/.venvs/lightgbm    Python 3.11: lightgbm 4.7.0 (Tests/Fixtures/lightgbm/)
#   training/.venvs/mlflow      Python 3.11: mlflow 3.17.2 + pyspark 4.3.0 + xgboost 3.0.5 + lightgbm 4.7.0 (Tests/Fixtures/mlflow/)
# `setup.sh spark` makes only the venvs named. Override interpreters with PY311=... PY312=... if
# pyenv lives elsewhere.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENVS="$HERE/.venvs"
PY311="${PY311:-/root/.pyenv/versions/3.11.7/bin/python}"
PY312="${PY312:-/root/.pyenv/versions/3.12.1/bin/python}"
mkdir -p "$VENVS"
WANTED=("$@")

make_venv() { # name python requirements
  local name="$1" py="$2" req="$3" dir="$VENVS/$1"
  if [[ ${#WANTED[@]} -gt 0 && " ${WANTED[*]} " != *" $name "* ]]; then return; fi
  local stamp="$dir/.requirements.sha256" want
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [[ -x "$dir/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "venv $name: up to date"; return
  fi
  echo "venv $name: creating with $py"
  [[ -x "$dir/bin/python" ]] || "$py" -m venv "$dir"
  "$dir/bin/python" -m pip install -q --upgrade pip
  "$dir/bin/python" -m pip install -q -r "$req"
  echo "$want" > "$stamp"
}

make_venv main    "$PY311" "$HERE/requirements-main.txt"
make_venv xgb-1.7.6 "$PY311" "$HERE/requirements-xgb-1.7.6.txt"
make_venv xgb-2.1.4 "$PY311" "$HERE/requirements-xgb-2.1.4.txt"
make_venv xgb-3.0.5 "$PY311" "$HERE/requirements-xgb-3.0.5.txt"
make_venv xgb-3.4.1 "$PY312" "$HERE/requirements-xgb-3.4.1.txt"
make_venv spark   "$PY311" "$HERE/requirements-spark.txt"
make_venv spark35 "$PY311" "$HERE/requirements-spark35.txt"
make_venv lightgbm "$PY311" "$HERE/requirements-lightgbm.txt"
make_venv mlflow  "$PY311" "$HERE/requirements-mlflow.txt"
