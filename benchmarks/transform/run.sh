#!/usr/bin/env bash
# One command: builds conveyor (release), generates Car-like CSVs, and runs
# `conveyor transform` (also with --explain, on the 10 MB object) and the
# pandas + scikit-learn + xgboost baseline on
# the same data, RUNS rounds interleaved (the starting job rotates each round,
# so a busy phase of the shared machine hits every job alike), on the big
# object and on a 10 MB one (peak RSS versus object size). Every output is
# checked against the model's expected predictions (check.py; with --explain,
# check_explain.py: the explanations add up to them). Every run goes
# to benchmarks/transform/results.jsonl, the medians and ratios to results.md.
#   SIZE_MB=1024 RUNS=3 benchmarks/transform/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
SIZE_MB="${SIZE_MB:-1024}"
RUNS="${RUNS:-3}"
WORK="${WORK:-$ROOT/.build/transform-bench}"
VENV="$ROOT/training/.venvs/bench"
PY="$VENV/bin/python"
REQ="$ROOT/benchmarks/transform/requirements.txt"
HERE=benchmarks/transform
if [[ ! -x "$PY" || "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$(sha256sum "$REQ" | cut -d' ' -f1)" ]]; then
  /root/.pyenv/versions/3.11.7/bin/python -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
  "$PY" -m pip install -q -r "$REQ"
  sha256sum "$REQ" | cut -d' ' -f1 > "$VENV/.requirements.sha256"
fi
bash .ci/build-release.sh --product conveyor >/dev/null
rm -rf "$WORK" && mkdir -p "$WORK/big" "$WORK/small"
BIG_ROWS=$("$PY" $HERE/generate.py "$WORK/big/cars.csv" $((SIZE_MB << 20)))
SMALL_ROWS=$("$PY" $HERE/generate.py "$WORK/small/cars.csv" $((10 << 20)))
BIG_BYTES=$(stat -c %s "$WORK/big/cars.csv")
SMALL_BYTES=$(stat -c %s "$WORK/small/cars.csv")
OUT="$ROOT/$HERE/results.jsonl"
: > "$OUT"
CONVEYOR=(.build/release/conveyor transform --pipeline pipelines/car-evaluation-sklearn.json --split-type Line
          --batch-strategy MultiRecord --no-progress)
measure() { "$PY" $HERE/measure.py "$@" | tee -a "$OUT"; }
# job NAME RUN: one measured run, then its output checked (outside the timing).
job() {
  local size rows bytes
  case "$1" in
    conveyor-big|python-big) size=big; rows=$BIG_ROWS; bytes=$BIG_BYTES; label="${SIZE_MB} MB" ;;
    *) size=small; rows=$SMALL_ROWS; bytes=$SMALL_BYTES; label="10 MB" ;;
  esac
  if [[ "$1" == conveyor-explain-small ]]; then
    rm -rf "$WORK/out-explain"
    measure "conveyor transform --explain $label" "$rows" "$bytes" "$2" -- "${CONVEYOR[@]}" --explain \
      --accept application/jsonlines --input "$WORK/$size" --output "$WORK/out-explain"
    "$PY" $HERE/check_explain.py "$WORK/$size/cars.csv" "$WORK/out-explain/cars.csv.out"
    return
  fi
  case "$1" in
    conveyor-*)
      rm -rf "$WORK/out-$size"
      measure "conveyor transform $label" "$rows" "$bytes" "$2" -- "${CONVEYOR[@]}" --input "$WORK/$size" --output "$WORK/out-$size"
      "$PY" $HERE/check.py "$WORK/$size/cars.csv" "$WORK/out-$size/cars.csv.out" ;;
    python-*)
      measure "python pandas+sklearn+xgboost $label" "$rows" "$bytes" "$2" -- "$PY" $HERE/baseline.py "$WORK/$size/cars.csv" "$WORK/python-$size.csv"
      "$PY" $HERE/check.py "$WORK/$size/cars.csv" "$WORK/python-$size.csv" ;;
  esac
}
JOBS=(conveyor-big python-big conveyor-small python-small conveyor-explain-small)
for ((run = 1; run <= RUNS; run++)); do
  for ((k = 0; k < ${#JOBS[@]}; k++)); do
    job "${JOBS[$(((k + run - 1) % ${#JOBS[@]}))]}" "$run"
  done
done
{
  echo "<!-- written by benchmarks/transform/run.sh: SIZE_MB=$SIZE_MB RUNS=$RUNS -->"
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), shared;" \
       "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ);" \
       "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo ' + uncommitted Sources changes')."
  echo
  "$PY" $HERE/summarize.py "$OUT" "$SIZE_MB"
} | tee "$ROOT/$HERE/results.md"
