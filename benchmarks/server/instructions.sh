#!/usr/bin/env bash
# Instructions per request, exactly, for GET /ping and POST /invocations (one Car row) on the
# same server, counted by valgrind's callgrind: a measure this shared, noisy machine cannot sway.
#   bash benchmarks/server/instructions.sh [LABEL=BINARY ...]
# (default: current=.build/release/conveyor, built by .ci/build-release.sh). Each binary is served
# under callgrind, warmed with WARMUP requests of each kind over one keep-alive connection, then
# counted over REQUESTS /ping requests and REQUESTS /invocations. Every /invocations answer is
# checked: the first against the training framework's probabilities (NaN-safe,
# Tests/Support/numeric_compare.py), the others against the first.
# Counts are user-space instructions of the whole process (all threads), not time: the kernel's
# share and cache misses are not in them. They tell what a change removed from a request's path,
# to the instruction; time it with overhead.sh.
# Lines: callgrind also simulates a small cache (32 KB instruction and data caches, 64 KB behind
# them) and counts the 64-byte lines of code and data fetched from beyond it per request. A
# request's working set is larger than that cache, so the count is close to the number of
# distinct lines the request touches: what it pays when it starts on a cold core, as a lone
# request does on a host whose idle cores halt (benchmarks/server/README.md, "Cold lines").
# KEEP_PROFILES=DIR keeps each build's two
# profiles there (LABEL.ping.callgrind, LABEL.invocations.callgrind) for callgrind_annotate.
# PIPELINE: pipelines/car-evaluation.json (default, Spark) or car-evaluation-sklearn.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS=${REQUESTS:-1000}
WARMUP=${WARMUP:-200}
PIPELINE=${PIPELINE:-pipelines/car-evaluation.json}
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is missing (bash benchmarks/server/setup.sh)" >&2; exit 2; }
(($# > 0)) || set -- current=.build/release/conveyor
work=$(mktemp -d)
server=""
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=8095

echo "| build | \`/ping\` instructions/request | \`/invocations\` instructions/request | difference | \`/ping\` lines (code + data) | \`/invocations\` lines | difference |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for spec in "$@"; do
    label=${spec%%=*}; read -r -a command <<<"${spec#*=}"
    # valgrind 3.19 cannot read the DWARF 5 that Swift 6 writes: count a copy without it
    # (symbols stay, so callgrind_annotate can still name functions).
    objcopy --strip-debug "${command[0]}" "$work/$label"
    SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind \
        --cache-sim=yes --I1=32768,8,64 --D1=32768,8,64 --LL=65536,16,64 --callgrind-out-file="$work/$label.out" "$work/$label" \
        serve --pipeline "$PIPELINE" --port $port "${command[@]:1}" >/dev/null 2>"$work/$label.log" &
    server=$!
    for _ in $(seq 1 600); do curl -sf -o /dev/null http://127.0.0.1:$port/ping && break; sleep 0.2; done
    python3 - "$PIPELINE" $port "$REQUESTS" "$WARMUP" <<'PY'
import csv, json, socket, subprocess, sys
sys.path.insert(0, "Tests/Support")
from numeric_compare import compare  # the shared NaN-safe comparison
pipeline, port, requests, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
if pipeline.endswith("car-evaluation-sklearn.json"):
    for line in csv.DictReader(open("models/car-evaluation/expected.csv")):
        row = [line[k] for k in ("buying", "maint", "doors", "persons", "lug_boots", "safety")]
        if row == ["low", "low", "5more", "more", "big", "high"]:
            label, expected = line["predicted_label"], [line[f"prob_{i}"] for i in range(4)]
            break
else:
    spark = json.load(open("models/car-evaluation-spark/expected.json"))
    row, values = spark["rows"][0], spark["expected"][0]["values"]
    label, expected = values["predicted_class"], [repr(p) for p in values["probability"]]
body = ",".join(row) + "\n"
# Each request in one send, as wrk and most clients write it: http.client sends the head and
# the body separately, and whether the server then reads them at once depends on timing.
connection = socket.create_connection(("127.0.0.1", port))
connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
buffered = b""

def exchange(request):
    global buffered
    connection.sendall(request)
    while b"\r\n\r\n" not in buffered:
        buffered += connection.recv(65536)
    head, buffered = buffered.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    while len(buffered) < length:
        buffered += connection.recv(65536)
    answer, buffered = buffered[:length], buffered[length:]
    assert lines[0].split()[1] == "200", (lines[0], answer)
    return answer

ping_request = b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
invoke_request = (f"POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                  f"Content-Length: {len(body.encode())}\r\n\r\n{body}").encode()
ping = lambda: exchange(ping_request)
invoke = lambda: exchange(invoke_request)

first = invoke()
fields = first.decode().strip().split(",")
result = compare(fields[1:], expected, absolute=1e-6, label="probabilities")
assert fields[0] == label and result.matches, (fields, label, expected, str(result))
for _ in range(warmup):
    ping()
    assert invoke() == first
control = lambda *args: subprocess.run(["callgrind_control", *args], check=True, capture_output=True)
control("--zero")
for _ in range(requests):
    ping()
control("--dump=ping")
for _ in range(requests):
    assert invoke() == first
control("--dump=invocations")
PY
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    if [[ -n ${KEEP_PROFILES:-} ]]; then
        mkdir -p "$KEEP_PROFILES"
        cp "$work/$label.out.1" "$KEEP_PROFILES/$label.ping.callgrind"
        cp "$work/$label.out.2" "$KEEP_PROFILES/$label.invocations.callgrind"
    fi
    # Dumps are numbered in order: 1 the pings, 2 the invocations.
    python3 - "$label" "$work/$label.out.1" "$work/$label.out.2" "$REQUESTS" <<'PY'
import sys
label, requests = sys.argv[1], int(sys.argv[4])
def counts(path):
    lines = open(path).read().splitlines()
    events = next(line for line in lines if line.startswith("events:")).split()[1:]
    totals = next(line for line in lines if line.startswith("summary:")).split()[1:]
    total = dict(zip(events, map(int, totals)))
    # Lines fetched from beyond the simulated 64 KB cache: code read, data read, data written.
    return round(total["Ir"] / requests), round((total["ILmr"] + total["DLmr"] + total["DLmw"]) / requests)
(ping, ping_lines), (invocations, invocation_lines) = counts(sys.argv[2]), counts(sys.argv[3])
print(f"| {label} | {ping:,} | {invocations:,} | {invocations - ping:+,} "
      f"| {ping_lines:,} | {invocation_lines:,} | {invocation_lines - ping_lines:+,} |")
PY
done
echo
echo "$REQUESTS requests of each kind after $WARMUP of each, one keep-alive connection, \`$PIPELINE\`."
