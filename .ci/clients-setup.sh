#!/usr/bin/env bash
# Creates training/.venvs/clients with boto3 and awscli (the SageMaker
# clients the server tests drive). Safe to run again: does nothing when the
# pinned versions are already there.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=training/.venvs/clients
requirements=Tests/PythonClients/requirements.txt
stamp=$venv/.requirements
if [[ -f $stamp ]] && cmp -s "$stamp" "$requirements"; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"
