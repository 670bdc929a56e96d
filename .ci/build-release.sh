#!/usr/bin/env bash
# The one release build of this repository: every script, the README and the container image build
# release this way. The Swift runtime and Foundation are linked statically (the container image
# always did): one-row calls took 6–19 % less time in process, and the server answered 11–12 %
# more requests per second at 16 connections (benchmarks/server/README.md). Builds must agree on
# the flag: SwiftPM recompiles every module (about 7 minutes here) when it changes.
# Code layout: every function in a section of its own, and lld placing the functions a request
# runs (.ci/link-order.txt, written by benchmarks/server/link-order.sh) side by side: 231 code
# pages for the whole list instead of 712, 4-9 % less CPU per lone request
# (benchmarks/server/README.md, "Code layout"). lld ships with the Swift toolchain.
#   bash .ci/build-release.sh [--product NAME]     builds (every product when none is named)
#   bash .ci/build-release.sh --show-bin-path      prints the folder holding the binaries
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift build -c release --static-swift-stdlib \
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections \
    -Xswiftc -use-ld=lld -Xlinker "--symbol-ordering-file=$PWD/.ci/link-order.txt" -Xlinker --no-warn-symbol-ordering \
    "$@"
