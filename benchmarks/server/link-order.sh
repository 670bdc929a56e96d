#!/usr/bin/env bash
# Writes .ci/link-order.txt: the functions a served request runs, hottest first, which
# .ci/build-release.sh asks the linker to place together (lld --symbol-ordering-file).
#   bash benchmarks/server/link-order.sh [BINARY]     (default: .build/release/conveyor)
#   bash benchmarks/server/link-order.sh --pages [BINARY ...]   how many 4 KB pages the listed
#                                                    functions span in each binary (nothing written)
# Why: a release build scatters the functions a request runs over hundreds of the binary's 4 KB
# code pages; placed together they fill a few hundred KB (--pages counts both). A lone request on a core that halted between
# requests starts with cold TLBs, and each page costs it a page walk (benchmarks/server/README.md,
# "Code layout"). The functions come from callgrind profiles of GET /ping and POST /invocations
# (instructions.sh) for the Spark and the scikit-learn Car pipelines; those run at least once per
# request are listed, by instructions spent in them over both. Run it again after a change that
# moves a request's path to new functions: a name the build no longer has is skipped, and a new
# function missing from the list is merely placed elsewhere, so a stale list costs speed, never
# correctness. The script removes the release conveyor binary, so that the next build links it with
# the new list (SwiftPM does not track the file).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ${1:-} == --pages ]]; then
    shift
    (($# > 0)) || set -- .build/release/conveyor
    for binary in "$@"; do
        # Symbol addresses and sizes: every page from a listed function's first byte to its last.
        nm --defined-only --print-size "$binary" | python3 -c '
import sys
listed = set(open(".ci/link-order.txt").read().split())
pages, found = set(), set()
for line in sys.stdin:
    parts = line.split()
    if len(parts) == 4 and parts[3] in listed:
        start, size = int(parts[0], 16), max(int(parts[1], 16), 1)
        found.add(parts[3])
        pages.update(range(start >> 12, ((start + size - 1) >> 12) + 1))
print(f"{sys.argv[1]}: {len(found)} of {len(listed)} listed functions on {len(pages)} 4 KB pages")
' "$binary"
    done
    exit 0
fi
binary=${1:-.build/release/conveyor}
[[ -x $binary ]] || { echo "link-order.sh: no binary at $binary (bash .ci/build-release.sh --product conveyor)" >&2; exit 2; }
profiles=$(mktemp -d)
trap 'rm -rf "$profiles"' EXIT
for pipeline in pipelines/car-evaluation.json pipelines/car-evaluation-sklearn.json; do
    label=$(basename "$pipeline" .json)
    PIPELINE=$pipeline REQUESTS=${REQUESTS:-500} KEEP_PROFILES=$profiles \
        bash benchmarks/server/instructions.sh "$label=$binary" >&2
done
# The symbol table maps the runtime's C++ functions, which callgrind names demangled, back to
# the symbols the linker orders.
nm --defined-only "$binary" >"$profiles/symbols"
nm --defined-only --demangle "$binary" >"$profiles/demangled"
python3 - "$profiles" "${REQUESTS:-500}" >.ci/link-order.txt <<'PY'
import collections, glob, re, subprocess, sys
folder, requests = sys.argv[1], int(sys.argv[2])
def names(path):
    return [parts[2] for parts in (line.rstrip("\n").split(None, 2) for line in open(path)) if len(parts) == 3]
mangled, demangled = names(f"{folder}/symbols"), names(f"{folder}/demangled")
by_name = dict(zip(demangled, mangled)) if len(mangled) == len(demangled) else {}
known = set(mangled)
spent = collections.Counter()
for profile in sorted(glob.glob(f"{folder}/*.callgrind")):
    report = subprocess.run(["callgrind_annotate", "--threshold=100", "--show=Ir", profile],
                            capture_output=True, text=True, check=True).stdout
    for line in report.splitlines():
        # "  1,234 ( 0.01%)  ???:name [binary]": functions of the binary itself (a shared
        # library's carry its file name instead of ???). A trailing 'N marks a recursion level.
        match = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+\?\?\?:(.*?)(?:'\d+)?\s+\[[^\]]*\]$", line)
        if match:
            name = match.group(2)
            symbol = name if name in known else by_name.get(name)
            if symbol:
                spent[symbol] += int(match.group(1).replace(",", ""))
# Four profiles of `requests` requests each: at least one instruction per request.
hot = [symbol for symbol, count in spent.most_common() if count >= requests]
if len(hot) < 500:
    sys.exit(f"link-order.sh: only {len(hot)} functions found in the profiles; is the binary built with symbols?")
print("\n".join(hot))
PY
# SwiftPM does not know the linker reads the list: without the binary it links again.
rm -f "$(bash .ci/build-release.sh --show-bin-path)/conveyor"
echo "link-order.sh: $(wc -l <.ci/link-order.txt) functions in .ci/link-order.txt;" \
    "bash .ci/build-release.sh links the binaries with it" >&2
