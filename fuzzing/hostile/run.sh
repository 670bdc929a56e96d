#!/usr/bin/env bash
# Runs `conveyor validate` on every hostile model file that make_artifacts.py built and prints one
# markdown table row per artifact: exit code, wall seconds, peak RSS (from /usr/bin/time -v) and the
# first line of the message. Expected: exit 3 (invalid pipeline or model) everywhere, RSS <= 256 MB.
#
# Usage: fuzzing/hostile/run.sh OUT_DIR [CONVEYOR_BINARY]
#   OUT_DIR         where make_artifacts.py wrote the artifacts (artifacts.tsv lists them)
#   CONVEYOR_BINARY default: .build/release/conveyor of this checkout
set -euo pipefail
out=${1:?usage: run.sh OUT_DIR [CONVEYOR_BINARY]}
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${2:-$repo/.build/release/conveyor}
[ -x "$bin" ] || { echo "no conveyor binary at $bin (bash .ci/build-release.sh --product conveyor)" >&2; exit 2; }
[ -f "$out/artifacts.tsv" ] || { echo "no $out/artifacts.tsv: run make_artifacts.py $out first" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "| artifact | how it is made | size | exit | seconds | peak RSS (MB) | message |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
while IFS=$'\t' read -r name kind how; do
    path="$out/$name"
    size=$(du -sb "$path" | cut -f1)
    set +e
    timeout 300 /usr/bin/time -v -o "$scratch/time" "$bin" validate "$out/$name.pipeline.json" \
        >"$scratch/stdout" 2>"$scratch/stderr"
    code=$?
    set -e
    # /usr/bin/time reports the child's status; timeout's 124 means it hung.
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$scratch/time")
    seconds=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$scratch/time")
    rss_mb=$(awk -v k="${rss_kb:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
    message=$(cat "$scratch/stderr" "$scratch/stdout" | grep -v '^\s*$' | grep -v 'Command exited with' | head -1 \
        | cut -c1-220 | sed 's/|/\\|/g')
    echo "| \`$name\` ($kind) | $how | $size B | $code | $seconds | $rss_mb | $message |"
done <"$out/artifacts.tsv"
