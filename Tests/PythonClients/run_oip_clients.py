"""Drives a running Conveyor server with tritonclient, the Open Inference Protocol's HTTP client.

1. Runs every example in docs/open-inference-protocol.md marked ```sh example or ```python
   example and compares its standard output with the ```text output block after it.
2. tritonclient, then KServe's own client (kserve.InferenceRESTClient): server and model health;
   all 1,728 Car rows as tensors, predictions equal to models/car-evaluation/expected.csv and
   exactly equal to /invocations' answers for the same rows. tritonclient also: metadata and the
   errors a client sees.
3. schemathesis against the served /openapi.yaml (docs/openapi.yaml): generated requests to
   every route get no 5xx, and every response's status, content type, headers and body
   conform to the document. Then /openapi.json: the same paths plus the pipeline's own, its
   columns as schemas, and schemathesis on the routes those schemas make concrete.

Usage: run_oip_clients.py --url http://127.0.0.1:PORT (with the venv of .ci/clients-setup.sh).
Ends with 'N passed, N failed'; exits 1 on failure.
"""
import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

import run_clients  # the example runner and check() of the SageMaker clients' driver
from run_clients import ROOT, check

MODEL = "car-evaluation-sklearn"
COLUMNS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]


def car_rows():
    with open(ROOT / "models/car-evaluation/expected.csv") as handle:
        return list(csv.reader(handle))[1:]


def tensors(rows, binary=False):
    inputs = []
    for index, name in enumerate(COLUMNS):
        tensor = httpclient.InferInput(name, [len(rows)], "BYTES")
        tensor.set_data_from_numpy(np.array([row[index] for row in rows], dtype=object), binary_data=binary)
        inputs.append(tensor)
    return inputs


def run_tritonclient(url):
    client = httpclient.InferenceServerClient(url=url.split("://", 1)[1])
    check("tritonclient: server live and ready, model ready",
          client.is_server_live() and client.is_server_ready() and client.is_model_ready(MODEL)
          and client.is_model_ready(MODEL, model_version="1") and not client.is_model_ready("no-such-model"))
    server = client.get_server_metadata()
    check("tritonclient: server metadata", server.get("name") == "conveyor" and "version" in server, str(server))
    metadata = client.get_model_metadata(MODEL)
    check("tritonclient: model metadata lists the pipeline's columns as tensors",
          [(t["name"], t["datatype"], t["shape"]) for t in metadata["inputs"]] == [(c, "BYTES", [-1]) for c in COLUMNS]
          and [(t["name"], t["datatype"], t["shape"]) for t in metadata["outputs"]]
          == [("predicted_class", "BYTES", [-1]), ("probabilities", "FP32", [-1, 4])], json.dumps(metadata))

    rows = car_rows()
    outputs = [httpclient.InferRequestedOutput(name, binary_data=False) for name in ("predicted_class", "probabilities")]
    result = client.infer(MODEL, tensors(rows), outputs=outputs, request_id="car-1728")
    labels = result.as_numpy("predicted_class")
    probabilities = result.as_numpy("probabilities")
    expected = np.array([[float(value) for value in row[9:13]] for row in rows])
    check("tritonclient infer: 1,728 rows equal expected.csv",
          result.get_response()["id"] == "car-1728" and labels.tolist() == [row[7] for row in rows]
          and probabilities.shape == (1728, 4) and probabilities.dtype == np.float32
          and np.abs(probabilities - expected).max() < 1e-6,
          f"{labels[:3]} {probabilities[:2]}")

    body = "".join(",".join(row[:6]) + "\n" for row in rows).encode()
    request = urllib.request.Request(f"{url}/invocations", data=body, method="POST",
                                     headers={"Content-Type": "text/csv", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        predictions = json.load(response)["predictions"]
    check("tritonclient infer: exactly /invocations' answers",
          labels.tolist() == [p["predicted_class"] for p in predictions]
          and probabilities.tolist() == np.array([p["probabilities"] for p in predictions], dtype=np.float32).tolist())

    # No outputs named: tritonclient asks for binary outputs, which come back as JSON (the extension is not offered).
    default = client.infer(MODEL, tensors(rows[:2]))
    check("tritonclient infer without outputs gets every output", default.as_numpy("predicted_class").tolist() == [r[7] for r in rows[:2]])

    def refusal(name, call, status, words):
        try:
            call()
            check(name, False, "no exception")
        except InferenceServerException as error:
            check(name, error.status() == str(status) and words in error.message(), f"{error.status()} {error.message()}")

    refusal("tritonclient: an unknown model is a 404 naming it", lambda: client.infer("no-such-model", tensors(rows[:1])), 404,
            "no model named 'no-such-model'")
    refusal("tritonclient: binary tensors are refused, saying what to send",
            lambda: client.infer(MODEL, tensors(rows[:1], binary=True)), 415, "binary_data=False")
    bad = tensors([["vhigh", "vhigh", "2", "2", "huge", "low"]])
    refusal("tritonclient: an unseen label is a 400 naming the stage, row and column", lambda: client.infer(MODEL, bad), 400,
            "stage 'features', row 1, column 'lug_boots': unseen label 'huge'")
    short = tensors(rows[:2])[:5]
    refusal("tritonclient: a missing input tensor is named", lambda: client.infer(MODEL, short), 400, "missing input tensor 'safety'")


def run_kserve_client(url):
    """KServe's own V2 client (kserve.InferenceRESTClient): health, readiness and all 1,728 Car rows,
    answers equal to expected.csv and exactly to /invocations'."""
    import asyncio

    from kserve import InferenceRESTClient, InferInput, InferRequest, RESTConfig

    rows = car_rows()
    body = "".join(",".join(row[:6]) + "\n" for row in rows).encode()
    request = urllib.request.Request(f"{url}/invocations", data=body, method="POST",
                                     headers={"Content-Type": "text/csv", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        predictions = json.load(response)["predictions"]

    async def session():
        client = InferenceRESTClient(RESTConfig(protocol="v2", retries=0, timeout=60))
        try:
            health = (await client.is_server_live(url), await client.is_server_ready(url),
                      await client.is_model_ready(url, MODEL))
            inputs = [InferInput(name=name, shape=[len(rows)], datatype="BYTES", data=[row[i] for row in rows])
                      for i, name in enumerate(COLUMNS)]
            answer = await client.infer(url, InferRequest(model_name=MODEL, infer_inputs=inputs), model_name=MODEL)
            return health, {output.name: output for output in answer.outputs}
        finally:
            await client.close()

    health, outputs = asyncio.run(session())
    check("kserve client: server live and ready, model ready", health == (True, True, True), str(health))
    labels = outputs["predicted_class"].data
    probabilities = np.array(outputs["probabilities"].data, dtype=np.float32).reshape(-1, 4)
    expected = np.array([[float(value) for value in row[9:13]] for row in rows])
    check("kserve client infer: 1,728 rows equal expected.csv",
          list(labels) == [row[7] for row in rows] and probabilities.shape == (1728, 4)
          and np.abs(probabilities - expected).max() < 1e-6, f"{labels[:3]} {probabilities[:2]}")
    check("kserve client infer: exactly /invocations' answers",
          list(labels) == [p["predicted_class"] for p in predictions]
          and probabilities.tolist() == np.array([p["probabilities"] for p in predictions], dtype=np.float32).tolist())


# Every check runs except two that do not fit the API: unsupported_method (an unknown method gets
# the JSON 404 an unknown path gets, not 405) and positive_data_acceptance (a body of rows is free
# text to the schema: most strings are not valid rows). The Runtime API answers a request it refuses
# with 424 ModelError as SageMaker does, which negative_data_rejection does not count as a refusal.
# Path parameters are the Car pipeline's names, so generated requests reach a real model.
SCHEMATHESIS_CONFIG = """[parameters]
"path.model" = "car-evaluation-sklearn"
"path.version" = "1"
"path.endpoint" = "car-evaluation-sklearn"

[checks]
unsupported_method.enabled = false
positive_data_acceptance.enabled = false

[[operations]]
include-path-regex = "^/endpoints/"
checks.negative_data_rejection.enabled = false
"""


def run_schemathesis(url, document="openapi.yaml", only=None):
    """schemathesis against the served `document`; `only` limits it to the paths a regex matches."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "schemathesis.toml").write_text(SCHEMATHESIS_CONFIG)
        result = subprocess.run(
            [str(Path(sys.executable).parent / "st"), "--config-file", "schemathesis.toml", "--no-color", "run",
             f"{url}/{document}", "--phases", "examples,coverage,fuzzing", "--max-examples", "15", "--workers", "1",
             "--seed", "1"] + (["--include-path-regex", only] if only else []),
            cwd=folder, capture_output=True, text=True, timeout=600)
    counts = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    check(f"schemathesis: every route of /{document}{' matching ' + only if only else ''} conforms, no 5xx",
          result.returncode == 0 and counts is not None and counts[1] == counts[2] and int(counts[1]) > 100,
          f"exit {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    print(f"     schemathesis: {counts[0] if counts else 'no count'}")


def check_openapi_json(url):
    """/openapi.json: the YAML's routes, plus the served pipeline's columns and its own routes."""
    with urllib.request.urlopen(f"{url}/openapi.json") as response:
        document = json.load(response)
    yaml_paths = set(re.findall(r"^  (/\S*):$", (ROOT / "docs/openapi.yaml").read_text(), re.M))
    concrete = {f"/endpoints/{MODEL}/invocations", f"/models/{MODEL}/invoke", f"/v2/models/{MODEL}/infer"}
    check("/openapi.json: the YAML's paths and the pipeline's own", set(document["paths"]) == yaml_paths | concrete,
          str(sorted(set(document["paths"]) ^ (yaml_paths | concrete))))
    schemas = document["components"]["schemas"]
    row = schemas[f"{MODEL}.Row"]
    check("/openapi.json: the pipeline's input columns, typed",
          row["required"] == COLUMNS and all(row["properties"][c]["type"] == ["string", "null"] for c in COLUMNS),
          json.dumps(row))
    prediction = schemas[f"{MODEL}.Prediction"]["properties"]
    check("/openapi.json: the pipeline's output columns, typed",
          list(prediction) == ["predicted_class", "probabilities"]
          and prediction["probabilities"]["minItems"] == prediction["probabilities"]["maxItems"] == 4,
          json.dumps(prediction))
    tensors = schemas[f"{MODEL}.InferenceRequest"]["properties"]["inputs"]["items"]["oneOf"]
    check("/openapi.json: one OIP input tensor per column, BYTES",
          [(t["properties"]["name"]["const"], t["properties"]["datatype"]["enum"]) for t in tensors]
          == [(c, ["BYTES"]) for c in COLUMNS], json.dumps(tensors)[:500])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    url = parser.parse_args().url
    steps = [lambda: run_clients.run_examples(url, document="docs/open-inference-protocol.md", needs=("curl", "tritonclient")),
             lambda: run_tritonclient(url), lambda: run_kserve_client(url), lambda: run_schemathesis(url),
             lambda: check_openapi_json(url),
             lambda: run_schemathesis(url, "openapi.json", only=f"{MODEL}|^/invocations$")]
    run_clients.run_steps(steps)


if __name__ == "__main__":
    main()
