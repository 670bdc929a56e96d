#!/usr/bin/env bash
# Parquet vs CSV objects through `conveyor transform` (docs/batch-transform.md, "Parquet objects"):
# the Car rows replicated to 1, 2 and 4 million rows, written by pyarrow (snappy, dictionary pages,
# row groups of 131,072 rows) and as CSV; one object per job, local folders, the scikit-learn car
# pipeline. Prints rows/s, peak RSS and the load average before each run; the CSV and Parquet
# outputs of each size must be byte-identical (the same rows scored). Needs a release build and
# training/.venvs/spark (pyarrow).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.build/release/conveyor}
WORK=${WORK:-/tmp/conveyor-parquet-bench}
SIZES=${SIZES:-"1 2 4"}
RUNS=${RUNS:-3}
mkdir -p "$WORK"
training/.venvs/spark/bin/python - "$WORK" $SIZES <<'PY'
import csv, os, sys
import pyarrow as pa, pyarrow.parquet as pq
work, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
rows = list(csv.DictReader(open("models/car-evaluation/expected.csv")))
cols = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
base = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in cols})
lines = [",".join(r[c] for c in cols) + "\n" for r in rows]
for m in sizes:
    n, d = m * 1_000_000, f"{work}/{m}m"
    if os.path.exists(d + "/csv/cars.csv"):
        continue
    os.makedirs(d + "/parquet", exist_ok=True); os.makedirs(d + "/csv", exist_ok=True)
    table = pa.concat_tables([base] * (n // base.num_rows + 1)).slice(0, n)
    pq.write_table(table, d + "/parquet/cars.parquet", compression="snappy", row_group_size=131072)
    with open(d + "/csv/cars.csv", "w") as f:
        f.writelines(lines[i % len(lines)] for i in range(n))
PY
printf "%-8s %-8s %4s %10s %10s %12s %8s\n" format rows run seconds rows/s peak_MiB load1
for m in $SIZES; do
  for run in $(seq "$RUNS"); do
    for format in csv parquet; do
      out="$WORK/out-$format-$m"; rm -rf "$out"
      if [ "$format" = csv ]; then type=text/csv; else type=application/x-parquet; fi
      load=$(cut -d' ' -f1 /proc/loadavg)
      /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" transform --pipeline pipelines/car-evaluation-sklearn.json \
        --input "$WORK/${m}m/$format" --output "$out" --content-type "$type" --split-type Line \
        --accept text/csv --no-progress > /dev/null
      read -r seconds kib < "$WORK/time"
      awk -v f=$format -v m=$m -v r=$run -v s="$seconds" -v k="$kib" -v l="$load" \
        'BEGIN { printf "%-8s %-8s %4d %10.2f %10.0f %12.1f %8s\n", f, m "M", r, s, m * 1e6 / s, k / 1024, l }'
    done
    cmp -s "$WORK/out-csv-$m/cars.csv.out" "$WORK/out-parquet-$m/cars.parquet.out" \
      || { echo "CSV and Parquet outputs differ for ${m}M rows"; exit 1; }
  done
done
