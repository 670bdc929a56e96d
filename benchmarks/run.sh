#!/usr/bin/env bash
# Builds and runs the Car Evaluation benchmark; writes
# benchmarks/results/car-evaluation.{md,json}. Extra arguments go to the
# benchmark (e.g. --runs 15, --no-write, --only pipeline,raw); see
# benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/build-release.sh --product ConveyorBenchmark
bin="$(bash .ci/build-release.sh --show-bin-path)/ConveyorBenchmark"

# Facts only a shell knows; the benchmark reads /proc itself.
export BENCH_GIT_COMMIT="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
if [ -z "$(git status --porcelain 2>/dev/null)" ]; then
  export BENCH_GIT_STATE="clean"
elif [ -z "$(git status --porcelain -- . ':(exclude)benchmarks' 2>/dev/null)" ]; then
  export BENCH_GIT_STATE="uncommitted changes in benchmarks/ only"
else
  export BENCH_GIT_STATE="uncommitted changes outside benchmarks/"
fi
export BENCH_SWIFT_VERSION="$(swift --version 2>&1 | head -n 1)"
export BENCH_XGBOOST_VERSION="$(pkg-config --modversion xgboost 2>/dev/null || echo unknown)"
export BENCH_NPROC="$(nproc)"
export BENCH_BUILD="bash .ci/build-release.sh --product ConveyorBenchmark (swift build -c release --static-swift-stdlib)"

exec "$bin" --repo "$PWD" "$@"
