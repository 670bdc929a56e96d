#!/usr/bin/env bash
# /ping against POST /invocations and the Open Inference Protocol's POST /v2/models/{name}/infer
# (the same row as one BYTES tensor per column) on the same server, side by side:
#   bash benchmarks/server/overhead.sh [LABEL=BINARY ...]
# (default: current=.build/release/conveyor). BINARY may carry serve options:
#   CONNECTIONS="1 16 64" bash benchmarks/server/overhead.sh \
#       alone=.build/release/conveyor 'batched=.build/release/conveyor --micro-batching'
# Every binary is started once,
# pinned to CPU 0 (wrk, one thread, on CPU 1), and measured in ROUNDS
# interleaved rounds (binary after binary within a round) of DURATION seconds
# at each of CONNECTIONS (default 1 16) keep-alive connections, so two builds see the same machine state.
# One Car row per request, its answer checked against the training framework's
# probabilities first (NaN-safe, Tests/Support/numeric_compare.py).
# Prints a Markdown table (medians over rounds) and the load average to stdout. The p50 gap is
# the median over rounds of each round's /invocations p50 minus the same round's /ping p50.
# CPU-µs/request: the server's user + system CPU time over a run divided by its
# requests (less swayed than requests/s by other processes on the shared core).
# PIPELINE: pipelines/car-evaluation.json (default, Spark) or car-evaluation-sklearn.json.
# AWAKE=1 keeps the server's core from idling: a spinning process at SCHED_IDLE priority (it runs
# only when no thread of the server can, and yields at once) shares CPU 0. On this VM an idle vCPU
# halts and a lone request then starts on cold caches; with AWAKE=1 the same runs show what a
# request costs on a core that stayed awake (benchmarks/server/README.md, "Cold lines").
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
PIPELINE=${PIPELINE:-pipelines/car-evaluation.json}
CONNECTIONS=${CONNECTIONS:-"1 16"}
SERVER_CPU=0
LOAD_CPU=1
(($# > 0)) || set -- current=.build/release/conveyor
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# The row and what the training framework answered for it.
python3 - "$PIPELINE" >"$work/case" <<'PY'
import csv, json, sys
if sys.argv[1].endswith("car-evaluation-sklearn.json"):
    for line in csv.DictReader(open("models/car-evaluation/expected.csv")):
        row = [line[k] for k in ("buying", "maint", "doors", "persons", "lug_boots", "safety")]
        if row == ["low", "low", "5more", "more", "big", "high"]:
            print(",".join(row)); print(line["predicted_label"])
            print(",".join(line[f"prob_{i}"] for i in range(4))); break
else:
    spark = json.load(open("models/car-evaluation-spark/expected.json"))
    values = spark["expected"][0]["values"]
    print(",".join(spark["rows"][0])); print(values["predicted_class"])
    print(",".join(repr(p) for p in values["probability"]))
PY
row=$(sed -n 1p "$work/case"); label=$(sed -n 2p "$work/case"); probabilities=$(sed -n 3p "$work/case")
printf 'wrk.method = "POST"\nwrk.body = "%s\\n"\nwrk.headers["Content-Type"] = "text/csv"\n' "$row" >"$work/post.lua"
model=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["name"])' "$PIPELINE")
infer=/v2/models/$model/infer

labels=(); ports=(); server_pids=()
port=8090
for spec in "$@"; do
    label_=${spec%%=*}; read -r -a command <<<"${spec#*=}"
    taskset -c $SERVER_CPU "${command[0]}" serve --pipeline "$PIPELINE" --port $port "${command[@]:1}" \
        >/dev/null 2>"$work/$label_.log" &
    pids+=($!)
    for _ in $(seq 1 300); do curl -sf -o /dev/null http://127.0.0.1:$port/ping && break; sleep 0.1; done
    answer=$(curl -s -H 'Content-Type: text/csv' --data-binary "$row" http://127.0.0.1:$port/invocations)
    python3 - "$answer" "$label" "$probabilities" <<'PY'
import sys
sys.path.insert(0, "Tests/Support")
from numeric_compare import compare  # the shared NaN-safe comparison
answer, label, expected = sys.argv[1].strip().split(","), sys.argv[2], sys.argv[3].split(",")
result = compare(answer[1:], expected, absolute=1e-6, label="probabilities")
assert answer[0] == label and result.matches, (answer, label, expected, str(result))
PY
    # The OIP request: one BYTES tensor per input column, named as the model's metadata says.
    curl -s http://127.0.0.1:$port/v2/models/$model >"$work/metadata.json"
    python3 - "$work/metadata.json" "$row" >"$work/infer.json" <<'PY'
import json, sys
names = [i["name"] for i in json.load(open(sys.argv[1]))["inputs"]]
values = sys.argv[2].split(",")
assert len(names) == len(values), (names, values)
print(json.dumps({"inputs": [{"name": n, "shape": [1], "datatype": "BYTES", "data": [v]} for n, v in zip(names, values)]}))
PY
    answer=$(curl -s -H 'Content-Type: application/json' --data-binary @"$work/infer.json" http://127.0.0.1:$port$infer)
    python3 - "$answer" "$label" "$probabilities" <<'PY'
import json, sys
sys.path.insert(0, "Tests/Support")
from numeric_compare import compare
outputs = {o["name"]: o["data"] for o in json.loads(sys.argv[1])["outputs"]}
predicted = [v for k, v in outputs.items() if "class" in k or "label" in k]
probabilities = [v for k, v in outputs.items() if k.startswith("prob")]
assert len(predicted) == 1 and len(probabilities) == 1, outputs
result = compare(probabilities[0], sys.argv[3].split(","), absolute=1e-6, label="OIP probabilities")
assert predicted[0] == [sys.argv[2]] and result.matches, (outputs, str(result))
PY
    labels+=("$label_"); ports+=($port); server_pids+=("${pids[-1]}"); port=$((port + 1))
done

if [[ ${AWAKE:-0} == 1 ]]; then
    chrt --idle 0 taskset -c $SERVER_CPU awk 'BEGIN { while (1) {} }' &
    pids+=($!)
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system CPU, in clock ticks
run() {  # PORT PID PATH CONNECTIONS -> "rps p50_us p99_us cpu_us_per_request"
    local port=$1 pid=$2 path=$3 connections=$4 script=() before after
    [[ $path == /invocations ]] && script=(-s "$work/post.lua")
    [[ $path == "$infer" ]] && script=(-s "$work/infer.lua")
    before=$(ticks "$pid")
    taskset -c $LOAD_CPU wrk -t1 -c"$connections" -d"${DURATION}s" --latency "${script[@]}" \
        "http://127.0.0.1:$port$path" >"$work/wrk.txt"
    after=$(ticks "$pid")
    if grep -q 'Non-2xx\|Socket errors' "$work/wrk.txt"; then cat "$work/wrk.txt" >&2; echo "overhead: errors" >&2; exit 1; fi
    awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
         function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; return v * 1000000 }
         /^Requests\/sec/ {rps = $2} $1 == "50%" {p50 = us($2)} $1 == "99%" {p99 = us($2)} /requests in/ {n = $1}
         END {printf "%d %.0f %.0f %.1f\n", rps, p50, p99, ticks / hz * 1e6 / n}' "$work/wrk.txt"
}
printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' "$(cat "$work/infer.json")" \
    >"$work/infer.lua"
for index in "${!labels[@]}"; do   # warm-up
    taskset -c $LOAD_CPU wrk -t1 -c16 -d2s -s "$work/post.lua" "http://127.0.0.1:${ports[$index]}/invocations" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
    for index in "${!labels[@]}"; do
        for connections in $CONNECTIONS; do
            for path in /ping /invocations "$infer"; do
                echo "${labels[$index]} $connections $path $(run "${ports[$index]}" "${server_pids[$index]}" $path $connections)" >>"$work/runs"
                echo "round $round: $(tail -1 "$work/runs")" >&2
            done
        done
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$work/runs" "$ROUNDS" "$DURATION" "$PIPELINE" "$load_before" "$load_after" "$infer" "$CONNECTIONS" "${AWAKE:-0}" <<'PY'
import statistics, sys
path, rounds, duration, pipeline, before, after, infer, connection_counts, awake = sys.argv[1:]
connection_counts = [int(c) for c in connection_counts.split()]
runs = {}
for line in open(path):
    label, connections, route, rps, p50, p99, cpu = line.split()
    runs.setdefault((label, int(connections), route), []).append((int(rps), float(p50), float(p99), float(cpu)))
print(f"{pipeline}, one row per request; {rounds} interleaved rounds of {duration} s; medians (range of requests/s);")
print(f"load average {before} before, {after} after (the machine is shared with other builds).")
if awake == "1":
    print("AWAKE=1: an idle-priority spinner kept the server's core from halting (it counts in the load average).")
print()
print("| build | connections | /ping req/s | /ping p50 µs | /ping CPU-µs/req | /invocations req/s | p50 µs | p99 µs "
      "| CPU-µs/req | ratio to /ping | p50 − /ping p50 µs (range over rounds) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
labels = list(dict.fromkeys(k[0] for k in runs))
for label in labels:
    for connections in connection_counts:
        ping, inv = runs[(label, connections, "/ping")], runs[(label, connections, "/invocations")]
        med = lambda values, i: statistics.median(v[i] for v in values)
        span = lambda values: f"{min(v[0] for v in values):,}–{max(v[0] for v in values):,}"
        ratio = statistics.median(i[0] / p[0] for p, i in zip(ping, inv))
        # Paired within each round (the two runs minutes apart would see different machine states).
        gaps = [i[1] - p[1] for p, i in zip(ping, inv)]
        print(f"| {label} | {connections} | {med(ping, 0):,.0f} ({span(ping)}) | {med(ping, 1):.0f} | {med(ping, 3):.0f} | "
              f"{med(inv, 0):,.0f} ({span(inv)}) | {med(inv, 1):.0f} | {med(inv, 2):.0f} | {med(inv, 3):.0f} | "
              f"{ratio:.2f} | {statistics.median(gaps):.0f} ({min(gaps):.0f} to {max(gaps):.0f}) |")
print()
print(f"Open Inference Protocol, `POST {infer}` (one BYTES tensor per column), same servers and rounds:")
print()
print("| build | connections | /infer req/s | p50 µs | p99 µs | CPU-µs/req | ratio to /ping | ratio to /invocations |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for label in labels:
    for connections in connection_counts:
        ping, inv, oip = (runs[(label, connections, r)] for r in ("/ping", "/invocations", infer))
        med = lambda values, i: statistics.median(v[i] for v in values)
        span = lambda values: f"{min(v[0] for v in values):,}–{max(v[0] for v in values):,}"
        print(f"| {label} | {connections} | {med(oip, 0):,.0f} ({span(oip)}) | {med(oip, 1):.0f} | {med(oip, 2):.0f} | "
              f"{med(oip, 3):.0f} | {statistics.median(o[0] / p[0] for p, o in zip(ping, oip)):.2f} | "
              f"{statistics.median(o[0] / i[0] for i, o in zip(inv, oip)):.2f} |")
PY
