#!/usr/bin/env bash
# LightGBM's own predict vs Conveyor's tree engine (see run.py); writes benchmarks/lightgbm/results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ -x training/.venvs/lightgbm/bin/python ]] || bash training/setup.sh
bash .ci/build-release.sh --product LightGBMBenchmark
bin="$(bash .ci/build-release.sh --show-bin-path)/LightGBMBenchmark"
training/.venvs/lightgbm/bin/python benchmarks/lightgbm/run.py "$bin"
