#!/usr/bin/env bash
# Installs what the server benchmark needs: wrk and valgrind (Debian) and two git-ignored
# virtualenvs under training/.venvs. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
# wrk drives the load; valgrind counts instructions per request (instructions.sh).
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v valgrind >/dev/null || missing+=(valgrind)
if ((${#missing[@]} > 0)); then
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
venv() {  # venv NAME REQUIREMENTS
    local dir=training/.venvs/$1 requirements=$2
    if [[ -f $dir/.requirements ]] && cmp -s "$dir/.requirements" "$requirements"; then return 0; fi
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" && cp "$requirements" "$dir/.requirements"
}
venv bench-flask benchmarks/server/requirements-flask.txt
venv bench-mlserver benchmarks/server/requirements-mlserver.txt || echo "setup: MLServer did not install; the benchmark will skip it" >&2
