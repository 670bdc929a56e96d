#!/usr/bin/env bash
# libFuzzer runs of Conveyor's parsers (see README.md).
#   run.sh <target> [seconds]     fuzz one target (default 60 s): committed corpus + scratch corpus
#   run.sh smoke [seconds]        every target briefly (default 30 s) on the committed corpus; fails on any finding
#   run.sh seed                   rebuild the committed corpus from the repo's fixtures (seeds.py), minimised
#   run.sh minimize <target>      fold the scratch corpus into the committed one, minimised (-merge=1)
#   run.sh long [seconds] [runs] [target...]
#                                 the long run: each target in turn until it has run `seconds` (default 1800)
#                                 or `runs` executions (default 10000000), whichever comes first; appends
#                                 each summary line to scratch/long-runs.txt
#   run.sh targets                list the targets
# A crash, hang (> TIMEOUT s per input, default 10) or OOM (> RSS_MB, default 2048) stops the run and
# leaves the input in fuzzing/scratch/artifacts/<target>/. KEEP_GOING=1 (fork mode) records findings
# there and goes on, for targets whose known findings are being fixed elsewhere.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
TARGETS=(csv json jsonlines jsonpath mleap-bundle spark-metadata parquet xgboost-json xgboost-ubjson
         xgboost-binary zip gzip tar pickle s3-xml lightgbm mlflow spark-sql arrow oip-grpc)
TIMEOUT="${TIMEOUT:-10}"
RSS_MB="${RSS_MB:-2048}"
# address is on unless FUZZ_SANITIZE says otherwise (e.g. FUZZ_SANITIZE=fuzzer for a faster CI build).
SANITIZE="${FUZZ_SANITIZE:-fuzzer,address}"

build() {
    # FUZZ_SKIP_BUILD=1: reuse the last build (for several runs at once).
    if [[ "${FUZZ_SKIP_BUILD:-0}" == 1 ]]; then BIN="$HERE/.build/release/ConveyorFuzz"; return; fi
    # SwiftPM keeps this package's build plan while its own manifest is unchanged, so a source file
    # added to (or removed from) Conveyor went unseen ("no member" errors, 2026-12-05 and -06).
    # When the list of Conveyor's source files changes, the plan is dropped and made again.
    local stamp="$HERE/.build/conveyor-sources.list" sources
    sources="$(cd "$HERE/.." && find Sources -type f | LC_ALL=C sort)"
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$sources" ]]; then
        rm -f "$HERE/.build/release.yaml" "$HERE"/.build/*/release/description.json
    fi
    swift build --package-path "$HERE" --scratch-path "$HERE/.build" -c release --product ConveyorFuzz \
        -Xswiftc "-sanitize=$SANITIZE" -Xswiftc -enable-testing -Xswiftc -parse-as-library -Xswiftc -use-ld=lld >&2
    BIN="$(swift build --package-path "$HERE" --scratch-path "$HERE/.build" -c release --show-bin-path)/ConveyorFuzz"
    printf '%s\n' "$sources" >"$stamp"
}

known() {
    local t
    for t in "${TARGETS[@]}"; do [[ "$t" == "$1" ]] && return 0; done
    echo "unknown target '$1'; targets: ${TARGETS[*]}" >&2
    exit 2
}

dict_for() {
    case "$1" in
        csv) echo dicts/csv.dict ;;
        json | jsonlines | jsonpath | mleap-bundle | spark-metadata | xgboost-json) echo dicts/json.dict ;;
        s3-xml) echo dicts/xml.dict ;;
        mlflow) echo dicts/yaml.dict ;;
        *) echo "" ;;
    esac
}

# fuzz <target> <seconds> <writable corpus dir> <log>: runs libFuzzer; returns its status.
fuzz() {
    local target="$1" seconds="$2" work="$3" log="$4" dict
    dict="$(dict_for "$target")"
    mkdir -p "$work" "corpus/$target" "scratch/artifacts/$target"
    # Swift's own backtracer symbolicates for minutes on a loaded machine; libFuzzer prints the stack.
    SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:quarantine_size_mb=64}" CONVEYOR_FUZZ_TARGET="$target" \
        "$BIN" "$work" "corpus/$target" ${dict:+-dict=$dict} \
        -max_total_time="$seconds" ${RUNS:+-runs=$RUNS} -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" -detect_leaks=0 \
        ${KEEP_GOING:+-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1} \
        -print_final_stats=1 -artifact_prefix="scratch/artifacts/$target/" >"$log" 2>&1
}

# summary <target> <seconds> <log> <status>
summary() {
    local execs rate corpus
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$3" | grep -o '[0-9]*$' || echo '?')"
    rate="$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$3" | grep -o '[0-9]*$' || echo '?')"
    corpus="$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$3" | tail -1 | cut -d' ' -f2 || echo '?')"
    local finding="none"
    if [[ "$4" != 0 ]]; then
        finding="$(grep -m1 -o 'ERROR: libFuzzer: [a-z-]*\|ERROR: AddressSanitizer: [a-z-]*\|Fatal error: .*\|Test unit written to .*' "$3" | head -1)"
        finding="${finding:-exit $4} ($(grep -o 'Test unit written to .*' "$3" | head -1 | sed 's/Test unit written to //'))"
    fi
    printf '%-15s %6ss %12s execs %8s exec/s  corpus %-12s findings: %s\n' "$1" "$2" "$execs" "$rate" "$corpus" "$finding"
}

case "${1:-}" in
    targets) printf '%s\n' "${TARGETS[@]}" ;;
    smoke)
        seconds="${2:-30}"
        build
        failed=0
        for target in "${TARGETS[@]}"; do
            work="$(mktemp -d)"
            status=0
            fuzz "$target" "$seconds" "$work" "scratch/smoke-$target.log" || status=$?
            summary "$target" "$seconds" "scratch/smoke-$target.log" "$status"
            [[ "$status" == 0 ]] || { failed=1; tail -40 "scratch/smoke-$target.log" >&2; }
            rm -rf "$work"
        done
        exit "$failed"
        ;;
    long)
        seconds="${2:-1800}" runs="${3:-10000000}"
        shift $(( $# < 3 ? $# : 3 ))
        chosen=("$@")
        [[ ${#chosen[@]} -gt 0 ]] || chosen=("${TARGETS[@]}")
        for target in "${chosen[@]}"; do known "$target"; done
        build
        failed=0
        for target in "${chosen[@]}"; do
            log="scratch/long-$target.log" status=0 started="$(date -u +%FT%TZ)"
            RUNS="$runs" fuzz "$target" "$seconds" "scratch/corpus/$target" "$log" || status=$?
            line="$(summary "$target" "$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o '[0-9]* second' | grep -o '[0-9]*' || echo "$seconds")" "$log" "$status")"
            echo "$started load $(cut -d' ' -f1-3 /proc/loadavg)  $line" | tee -a scratch/long-runs.txt
            [[ "$status" == 0 ]] || { failed=1; tail -40 "$log" >&2; }
        done
        exit "$failed"
        ;;
    seed)
        build
        python3 seeds.py
        for target in "${TARGETS[@]}"; do
            fresh="scratch/merged/$target"
            rm -rf "$fresh" && mkdir -p "$fresh" "corpus/$target" "scratch/seeds/$target"
            CONVEYOR_FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=0 "$BIN" -merge=1 -timeout="$TIMEOUT" \
                -rss_limit_mb="$RSS_MB" -detect_leaks=0 "$fresh" "corpus/$target" "scratch/seeds/$target" \
                >"scratch/seed-$target.log" 2>&1
            rm -rf "corpus/$target" && mv "$fresh" "corpus/$target"
            echo "$target: $(ls "corpus/$target" | wc -l) files, $(du -sh "corpus/$target" | cut -f1)"
        done
        ;;
    minimize)
        known "${2:-}"
        build
        target="$2" fresh="scratch/merged/$2"
        rm -rf "$fresh" && mkdir -p "$fresh" "corpus/$target" "scratch/corpus/$target"
        CONVEYOR_FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=0 "$BIN" -merge=1 -timeout="$TIMEOUT" \
            -rss_limit_mb="$RSS_MB" -detect_leaks=0 "$fresh" "corpus/$target" "scratch/corpus/$target"
        rm -rf "corpus/$target" && mv "$fresh" "corpus/$target"
        echo "$target: $(ls "corpus/$target" | wc -l) files, $(du -sh "corpus/$target" | cut -f1)"
        ;;
    "" | -h | --help) sed -n 2,9p "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    *)
        known "$1"
        build
        target="$1" seconds="${2:-60}" status=0
        log="scratch/run-$target.log"
        fuzz "$target" "$seconds" "scratch/corpus/$target" "$log" || status=$?
        summary "$target" "$seconds" "$log" "$status"
        [[ "$status" == 0 ]] || { tail -40 "$log" >&2; exit 1; }
        ;;
esac
