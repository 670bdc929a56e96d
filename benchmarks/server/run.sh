#!/usr/bin/env bash
# The server benchmark, one command:  bash benchmarks/server/run.sh
#
# One Car row per request over keep-alive loopback connections (wrk, pinned to
# CPU 1), against each server pinned to CPU 0, in the same run:
#   conveyor serve (release build) · Flask + gunicorn (pandas/scikit-learn + xgboost)
#   · MLServer's XGBoost runtime (if it installed).
#   · conveyor's own /ping against /invocations at 1 and 16 connections (overhead.sh), for the
#     default (Spark) and the scikit-learn Car pipelines.
# Writes benchmarks/server/results.md. DURATION (s) and CONNECTIONS tune the three servers' runs;
# OVERHEAD_ROUNDS (default 5) the interleaved rounds of overhead.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=benchmarks/server
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-4}
SERVER_CPU=0
LOAD_CPU=1
export OMP_NUM_THREADS=1   # the Python servers at their best: no OpenMP oversubscription
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

bash $here/setup.sh
bash .ci/build-release.sh --product conveyor >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

wait_for() {  # URL
    for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
    echo "run: $1 did not come up" >&2; return 1
}

# CPU seconds (user + system) used so far by a process tree.
cpu_seconds() {  # PID
    local total=0 pid
    for pid in $1 $(pgrep -P "$1" || true); do
        [[ -r /proc/$pid/stat ]] || continue
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "scale=6; $total / $(getconf CLK_TCK)" | bc
}

results=()
measure() {  # NAME URL LUA PID NOTE: a 1-connection (latency) and a $CONNECTIONS-connection (throughput) run
    local name=$1 url=$2 lua=$3 pid=$4 note=$5 connections
    taskset -c $LOAD_CPU wrk -t1 -c"$CONNECTIONS" -d2s -s "$lua" "$url" >/dev/null   # warm-up
    for connections in 1 "$CONNECTIONS"; do
        measure_one "$name" "$url" "$lua" "$pid" "$note" "$connections"
    done
}

measure_one() {
    local name=$1 url=$2 lua=$3 pid=$4 note=$5 connections=$6
    local before after
    before=$(cpu_seconds "$pid")
    taskset -c $LOAD_CPU wrk -t1 -c"$connections" -d"${DURATION}s" --latency -s "$lua" "$url" >"$work/$name.txt"
    after=$(cpu_seconds "$pid")
    cat "$work/$name.txt" >&2
    local rps p50 p99 requests errors cpu
    rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$name.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$work/$name.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
    requests=$(awk '/requests in/ {print $1}' "$work/$name.txt")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' "$work/$name.txt" | tr '\n' ' ')
    cpu=$(echo "scale=2; ($after - $before) * 1000000 / $requests" | bc)
    results+=("| $name | $connections | ${rps%.*} | $p50 | $p99 | $cpu | $requests | ${errors:-none} | $note |")
    echo "$name: $rps req/s, p50 $p50, p99 $p99, $cpu CPU-µs/request" >&2
}

row='low,low,5more,more,big,high'

# --- Conveyor -------------------------------------------------------------------
taskset -c $SERVER_CPU .build/release/conveyor serve --pipeline pipelines/car-evaluation-sklearn.json --port 8080 >/dev/null &
pids+=($!); conveyor_pid=$!
wait_for http://127.0.0.1:8080/ping
conveyor_answer=$(curl -s -H 'Content-Type: text/csv' --data-binary "$row" http://127.0.0.1:8080/invocations)
# MLServer's XGBoost runtime takes model features: the same row one-hot encoded, by Conveyor's features stage.
features=$(curl -s -H 'Content-Type: text/csv' -H 'X-Amzn-SageMaker-Target-Container-Hostname: features' \
    --data-binary "$row" http://127.0.0.1:8080/invocations | tr -d '\n')
measure conveyor http://127.0.0.1:8080/invocations $here/post-csv.lua $conveyor_pid \
    "release build; text/csv in and out; 3 stages (mleap → xgboost → mleap)"
kill $conveyor_pid; wait $conveyor_pid 2>/dev/null || true

# --- Flask + gunicorn -------------------------------------------------------------
workers=${GUNICORN_WORKERS:-1}
taskset -c $SERVER_CPU training/.venvs/bench-flask/bin/gunicorn --chdir $here -w "$workers" -k gthread --threads 4 \
    -b 127.0.0.1:8081 --log-level warning flask_app:app &
pids+=($!); flask_pid=$!
wait_for http://127.0.0.1:8081/ping
flask_answer=$(curl -s -H 'Content-Type: text/csv' --data-binary "$row" http://127.0.0.1:8081/invocations)
python3 - "$conveyor_answer" "$flask_answer" <<'PY'
import sys
sys.path.insert(0, "Tests/Support")
from numeric_compare import compare  # the shared NaN-safe comparison
a, b = (line.strip().split(",") for line in sys.argv[1:3])
result = compare(a[1:], b[1:], absolute=1e-6, label="probabilities")
assert a[0] == b[0] and result.matches, (a, b, str(result))
print(f"same answer: conveyor {a} · flask {b}", file=sys.stderr)
PY
measure flask-gunicorn http://127.0.0.1:8081/invocations $here/post-csv.lua $flask_pid \
    "gunicorn $workers gthread worker(s) × 4 threads; pandas read_csv + OneHotEncoder + xgboost 3.0.5"
kill $flask_pid; wait $flask_pid 2>/dev/null || true

# --- MLServer (optional) ------------------------------------------------------------
mlserver_note="not installed"
if [[ -x training/.venvs/bench-mlserver/bin/mlserver ]]; then
    (cd $here/mlserver && exec taskset -c $SERVER_CPU ../../../training/.venvs/bench-mlserver/bin/mlserver start . \
        >"$work/mlserver.log" 2>&1) &
    pids+=($!); mlserver_pid=$!
    if wait_for http://127.0.0.1:8082/v2/models/car/ready; then
        cat >"$work/post-v2.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"inputs": [{"name": "features", "shape": [1, 21], "datatype": "FP32", "data": [$features]}]}'
wrk.headers["Content-Type"] = "application/json"
LUA
        curl -s -H 'Content-Type: application/json' --data-binary @<(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$work/post-v2.lua") \
            http://127.0.0.1:8082/v2/models/car/infer >&2; echo >&2
        measure mlserver http://127.0.0.1:8082/v2/models/car/infer "$work/post-v2.lua" $mlserver_pid \
            "MLServer 1.7.1 XGBoost runtime, V2 JSON; one-hot features sent by the client (no preprocessing)"
        mlserver_note="measured"
    else
        mlserver_note="did not start (see its log)"; cat "$work/mlserver.log" >&2
    fi
    kill $mlserver_pid 2>/dev/null; wait $mlserver_pid 2>/dev/null || true
fi

# --- Conveyor: /ping against /invocations, the cost of everything but the pipeline ----
# Its own settings, not this script's CONNECTIONS and DURATION: a CONNECTIONS=16 run once measured
# it at 16 connections only, without the one-connection p50s issue 14 asks for.
# Both Car pipelines: the default (Spark, one stage) and the scikit-learn one (three stages).
overhead=""
for pipeline in pipelines/car-evaluation.json pipelines/car-evaluation-sklearn.json; do
    overhead+="$(PIPELINE=$pipeline CONNECTIONS="1 16" ROUNDS=${OVERHEAD_ROUNDS:-5} DURATION=5 \
        bash $here/overhead.sh current=.build/release/conveyor)"$'\n\n'
done

{
    echo "# Server benchmark results"
    echo
    echo "Run: \`bash benchmarks/server/run.sh\` on $(date -u +%Y-%m-%d), $(getconf _NPROCESSORS_ONLN) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
    echo "load average before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared with other builds)."
    echo "Each server pinned to CPU $SERVER_CPU, wrk (1 thread; 1 keep-alive connection for latency, then $CONNECTIONS for throughput; ${DURATION}s each after a 2s warm-up) to CPU $LOAD_CPU;"
    echo "one Car row per request; OMP_NUM_THREADS=1. CPU-µs/request is the server's user+system CPU time over the run divided by requests."
    echo
    echo "| server | connections | requests/s | p50 | p99 | CPU-µs/request | requests | errors | notes |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    printf '%s\n' "${results[@]}"
    echo
    echo "MLServer: $mlserver_note."
    echo
    echo "## /ping against /invocations on the same server (overhead.sh)"
    echo
    echo "$overhead"
} > $here/results.md.new
mv $here/results.md.new $here/results.md
cat $here/results.md
