#!/usr/bin/env bash
# Runs `conveyor validate` on every pipeline make_hostile.py wrote and prints
# a Markdown table: exit code, wall seconds, peak RSS, first line of output.
#   fuzzing/hostile-xgboost/measure.sh .build/release/conveyor /tmp/hostile
set -u
conveyor=${1:?path to the conveyor binary}
folder=${2:?folder written by make_hostile.py}
echo "| model | exit | seconds | peak RSS (MB) | message |"
echo "| --- | --- | --- | --- | --- |"
for pipeline in "$folder"/*.pipeline.json; do
    name=$(basename "$pipeline" .pipeline.json)
    timing=$(mktemp)
    output=$(timeout 120 /usr/bin/time -v -o "$timing" "$conveyor" validate "$pipeline" 2>&1)
    status=$?
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$timing" | awk -F: '{ print ($1 * 60) + $2 }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$timing" | awk '{ printf "%.1f", $1 / 1024 }')
    message=$(printf '%s' "$output" | head -n 1 | sed "s|$folder/||g" | cut -c 1-150 | tr '|' '/')
    rm -f "$timing"
    echo "| $name | $status | $wall | $rss | $message |"
done
