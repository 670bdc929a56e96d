#!/usr/bin/env bash
# Idempotent: a venv with moto's S3 server and boto3 for the batch transform
# tests (Tests/BatchTransformTests/S3*). .ci/test.sh calls it; the tests find
# the venv at training/.venvs/s3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/training/.venvs/s3"
REQ="$ROOT/training/requirements-s3.txt"
PY="${PY311:-/root/.pyenv/versions/3.11.7/bin/python}"
command -v "$PY" >/dev/null 2>&1 || PY="$(command -v python3)"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ -x "$DIR/bin/python" && -f "$DIR/.requirements.sha256" && "$(cat "$DIR/.requirements.sha256")" == "$want" ]]; then
  echo "venv s3: up to date"; exit 0
fi
echo "venv s3: creating with $PY"
mkdir -p "$(dirname "$DIR")"
[[ -x "$DIR/bin/python" ]] || "$PY" -m venv "$DIR"
"$DIR/bin/python" -m pip install -q --upgrade pip
"$DIR/bin/python" -m pip install -q -r "$REQ"
echo "$want" > "$DIR/.requirements.sha256"
