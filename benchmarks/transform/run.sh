#!/usr/bin/env bash
# One command: builds conveyor (release), generates Car-like CSVs, and runs
# `conveyor transform` and the pandas + scikit-learn + xgboost baseline on
# the same data, then a 10 MB object for the RSS-versus-size comparison.
# Results go to benchmarks/transform/results.jsonl (and standard output).
#   SIZE_MB=1024 benchmarks/transform/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
SIZE_MB="${SIZE_MB:-1024}"
WORK="${WORK:-$ROOT/.build/transform-bench}"
VENV="$ROOT/training/.venvs/bench"
PY="$VENV/bin/python"
REQ="$ROOT/benchmarks/transform/requirements.txt"
if [[ ! -x "$PY" || "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$(sha256sum "$REQ" | cut -d' ' -f1)" ]]; then
  /root/.pyenv/versions/3.11.7/bin/python -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
  "$PY" -m pip install -q -r "$REQ"
  sha256sum "$REQ" | cut -d' ' -f1 > "$VENV/.requirements.sha256"
fi
swift build -c release --product conveyor >/dev/null
rm -rf "$WORK" && mkdir -p "$WORK/big" "$WORK/small"
BIG_ROWS=$("$PY" benchmarks/transform/generate.py "$WORK/big/cars.csv" $((SIZE_MB << 20)))
SMALL_ROWS=$("$PY" benchmarks/transform/generate.py "$WORK/small/cars.csv" $((10 << 20)))
BIG_BYTES=$(stat -c %s "$WORK/big/cars.csv")
SMALL_BYTES=$(stat -c %s "$WORK/small/cars.csv")
OUT="$ROOT/benchmarks/transform/results.jsonl"
: > "$OUT"
run() { "$PY" benchmarks/transform/measure.py "$@" | tee -a "$OUT"; }
CONVEYOR=(.build/release/conveyor transform --pipeline pipelines/car-evaluation-sklearn.json --split-type Line
          --batch-strategy MultiRecord --no-progress)
run "conveyor transform ${SIZE_MB} MB" "$BIG_ROWS" "$BIG_BYTES" -- "${CONVEYOR[@]}" --input "$WORK/big" --output "$WORK/out-conveyor"
run "python pandas+sklearn+xgboost ${SIZE_MB} MB" "$BIG_ROWS" "$BIG_BYTES" -- "$PY" benchmarks/transform/baseline.py "$WORK/big/cars.csv" "$WORK/python.csv"
run "conveyor transform 10 MB" "$SMALL_ROWS" "$SMALL_BYTES" -- "${CONVEYOR[@]}" --input "$WORK/small" --output "$WORK/out-small"
# Same answers: the class column of both outputs agrees on every row.
cmp <(cut -d, -f1 "$WORK/out-conveyor/cars.csv.out") <(cut -d, -f1 "$WORK/python.csv") && echo "classes agree on all $BIG_ROWS rows"
