"""Drives Conveyor's Open Inference Protocol gRPC service with the protocol's real gRPC clients.

1. tritonclient.grpc (which sends every tensor in raw_input_contents and reads
   raw_output_contents): health and metadata; all 1,728 Car rows, predictions equal to
   models/car-evaluation/expected.csv and exactly equal to /invocations' answers for the same
   rows; the errors a client sees (gRPC status and message).
2. KServe's own gRPC client (kserve.InferenceGRPCClient, which sends typed `contents`): the same
   rows, the same answers.
3. The titanic pipeline's numeric inputs (FP32, and INT64 for its whole-number columns) through
   both encodings.

Usage: run_oip_grpc_clients.py --url http://127.0.0.1:PORT --grpc 127.0.0.1:GRPC_PORT
(with the venv of .ci/clients-setup.sh). Ends with 'N passed, N failed'; exits 1 on failure.
"""
import argparse
import asyncio
import json
import re
import subprocess
import sys
import urllib.request

import numpy as np

import run_clients
from run_clients import check
from run_oip_clients import COLUMNS, MODEL, car_rows


def invocations(url, rows, model=MODEL):
    """/invocations' JSON answers for CSV rows (the reference every gRPC answer must equal)."""
    body = "".join(",".join(row) + "\n" for row in rows).encode()
    request = urllib.request.Request(f"{url}/endpoints/{model}/invocations", data=body, method="POST",
                                     headers={"Content-Type": "text/csv", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["predictions"]


def triton_inputs(rows):
    import tritonclient.grpc as grpcclient

    inputs = []
    for index, name in enumerate(COLUMNS):
        tensor = grpcclient.InferInput(name, [len(rows)], "BYTES")
        tensor.set_data_from_numpy(np.array([row[index] for row in rows], dtype=object))
        inputs.append(tensor)
    return inputs


def run_tritonclient(url, target):
    import tritonclient.grpc as grpcclient
    from tritonclient.utils import InferenceServerException

    client = grpcclient.InferenceServerClient(url=target)
    check("tritonclient grpc: server live and ready, model ready, an unknown model not ready",
          client.is_server_live() and client.is_server_ready() and client.is_model_ready(MODEL)
          and client.is_model_ready(MODEL, model_version="1") and not client.is_model_ready("no-such-model"))
    server = client.get_server_metadata(as_json=True)
    check("tritonclient grpc: server metadata", server.get("name") == "conveyor" and "version" in server, str(server))
    metadata = client.get_model_metadata(MODEL, as_json=True)
    check("tritonclient grpc: model metadata lists the pipeline's columns as tensors",
          [(t["name"], t["datatype"], t["shape"]) for t in metadata["inputs"]] == [(c, "BYTES", ["-1"]) for c in COLUMNS]
          and [(t["name"], t["datatype"], t["shape"]) for t in metadata["outputs"]]
          == [("predicted_class", "BYTES", ["-1"]), ("probabilities", "FP32", ["-1", "4"])]
          and metadata["versions"] == ["1"], json.dumps(metadata))

    rows = car_rows()
    outputs = [grpcclient.InferRequestedOutput(name) for name in ("predicted_class", "probabilities")]
    result = client.infer(MODEL, triton_inputs(rows), outputs=outputs, request_id="car-1728")
    labels = [value.decode() for value in result.as_numpy("predicted_class")]
    probabilities = result.as_numpy("probabilities")
    expected = np.array([[float(value) for value in row[9:13]] for row in rows])
    response = result.get_response()
    check("tritonclient grpc infer: 1,728 rows equal expected.csv",
          response.id == "car-1728" and response.model_name == MODEL and response.model_version == "1"
          and labels == [row[7] for row in rows] and probabilities.shape == (1728, 4)
          and probabilities.dtype == np.float32 and np.abs(probabilities - expected).max() < 1e-6,
          f"{labels[:3]} {probabilities[:2]}")
    predictions = invocations(url, [row[:6] for row in rows])
    check("tritonclient grpc infer: exactly /invocations' answers",
          labels == [p["predicted_class"] for p in predictions]
          and probabilities.tolist() == np.array([p["probabilities"] for p in predictions], dtype=np.float32).tolist())

    only = client.infer(MODEL, triton_inputs(rows[:3]), outputs=[grpcclient.InferRequestedOutput("probabilities")])
    check("tritonclient grpc: only the requested output comes back",
          [o.name for o in only.get_response().outputs] == ["probabilities"] and only.as_numpy("predicted_class") is None)

    def refusal(name, call, status, words):
        try:
            call()
            check(name, False, "no exception")
        except InferenceServerException as error:
            check(name, error.status() == status and words in error.message(), f"{error.status()} {error.message()}")

    refusal("tritonclient grpc: an unknown model is NOT_FOUND naming it",
            lambda: client.infer("no-such-model", triton_inputs(rows[:1])), "StatusCode.NOT_FOUND",
            "no model named 'no-such-model'")
    bad = triton_inputs([["vhigh", "vhigh", "2", "2", "huge", "low"]])
    refusal("tritonclient grpc: an unseen label is INVALID_ARGUMENT naming the stage, row and column",
            lambda: client.infer(MODEL, bad), "StatusCode.INVALID_ARGUMENT",
            "stage 'features', row 1, column 'lug_boots': unseen label 'huge'")
    refusal("tritonclient grpc: a missing input tensor is named",
            lambda: client.infer(MODEL, triton_inputs(rows[:2])[:5]), "StatusCode.INVALID_ARGUMENT",
            "missing input tensor 'safety'")
    wrong = triton_inputs(rows[:2])
    wrong[0] = grpcclient.InferInput("buying", [2], "FP32")
    wrong[0].set_data_from_numpy(np.array([1.0, 2.0], dtype=np.float32))
    refusal("tritonclient grpc: a tensor of the wrong datatype says what to send",
            lambda: client.infer(MODEL, wrong), "StatusCode.INVALID_ARGUMENT",
            "input tensor 'buying' is FP32, but column 'buying' is string: send BYTES")
    refusal("tritonclient grpc: an unknown output is named",
            lambda: client.infer(MODEL, triton_inputs(rows[:1]), outputs=[grpcclient.InferRequestedOutput("nope")]),
            "StatusCode.INVALID_ARGUMENT", "unknown output tensor 'nope'")
    huge = triton_inputs(rows[:1])
    huge[0].set_data_from_numpy(np.array(["x" * (7 << 20)], dtype=object))
    refusal("tritonclient grpc: tensors over --max-payload-mb (6 MB) are RESOURCE_EXHAUSTED, saying so",
            lambda: client.infer(MODEL, huge), "StatusCode.RESOURCE_EXHAUSTED",
            f"the request's tensors hold {(7 << 20) + 4 + sum(4 + len(value) for value in rows[0][1:6])} bytes; "
            "the limit is 6291456 (--max-payload-mb)")
    beyond = triton_inputs(rows[:1])
    beyond[0].set_data_from_numpy(np.array(["x" * (25 << 20)], dtype=object))
    try:
        client.infer(MODEL, beyond)
        check("tritonclient grpc: a message over 4× the limit is cut off", False, "answered")
    except InferenceServerException as error:
        check("tritonclient grpc: a message over 4× the limit is cut off", error.status() == "StatusCode.CANCELLED",
              f"{error.status()} {error.message()}")
    check("tritonclient grpc: the server still answers after the refusals", client.is_server_live())
    with urllib.request.urlopen(f"{url}/metrics", timeout=60) as response:
        metrics = response.read().decode()
    series = [line for line in metrics.splitlines()
              if line.startswith("conveyor_requests_total{") and "GRPCInferenceService/ModelInfer" in line]
    check("tritonclient grpc: ModelInfer is counted by status; an unknown model makes no series of its own",
          any(f'pipeline="{MODEL}"' in line and 'status="200"' in line for line in series)
          and any(f'pipeline="{MODEL}"' in line and 'status="400"' in line for line in series)
          and not any("no-such-model" in line for line in metrics.splitlines()), "\n".join(series))
    client.close()


def run_kserve_client(url, target):
    """KServe's InferenceGRPCClient sends lists as typed `contents` (bytes_contents here)."""
    from kserve import InferenceGRPCClient, InferInput, InferRequest

    rows = car_rows()

    async def session():
        client = InferenceGRPCClient(url=target, retries=0, timeout=60)
        try:
            health = (await client.is_server_live(), await client.is_server_ready(), await client.is_model_ready(MODEL))
            inputs = [InferInput(name=name, shape=[len(rows)], datatype="BYTES", data=[row[i] for row in rows])
                      for i, name in enumerate(COLUMNS)]
            answer = await client.infer(InferRequest(model_name=MODEL, infer_inputs=inputs, request_id="k-1"))
            return health, answer
        finally:
            await client.close()

    health, answer = asyncio.run(session())
    check("kserve grpc client: server live and ready, model ready", health == (True, True, True), str(health))
    outputs = {output.name: output for output in answer.outputs}
    # Raw outputs: kserve decodes them with as_numpy() (`data` holds typed contents only).
    labels = [value.decode() if isinstance(value, bytes) else value for value in outputs["predicted_class"].as_numpy()]
    probabilities = outputs["probabilities"].as_numpy()
    expected = np.array([[float(value) for value in row[9:13]] for row in rows])
    check("kserve grpc client infer: 1,728 rows equal expected.csv",
          answer.id == "k-1" and labels == [row[7] for row in rows] and probabilities.shape == (1728, 4)
          and probabilities.dtype == np.float32 and np.abs(probabilities - expected).max() < 1e-6, f"{labels[:3]} {probabilities[:2]}")
    predictions = invocations(url, [row[:6] for row in rows])
    check("kserve grpc client infer: exactly /invocations' answers",
          labels == [p["predicted_class"] for p in predictions]
          and probabilities.tolist() == np.array([p["probabilities"] for p in predictions], dtype=np.float32).tolist())


TITANIC_ROWS = [["3", "S", "22", "7.25", "1", "male"], ["1", "C", "38", "71.2833", "1", "female"],
                ["3", "S", "26", "7.925", "0", "female"], ["2", "Q", "54.5", "13", "0", "male"]]
TITANIC_SPECS = [("Pclass", "FP32"), ("Embarked", "BYTES"), ("Age", "FP32"), ("Fare", "FP32"), ("SibSp", "FP32"),
                 ("Sex", "BYTES")]
# Integer tensors fill float columns: the whole-number columns go as INT64.
TITANIC_SENT = ["INT64", "BYTES", "FP32", "FP32", "INT64", "BYTES"]


def titanic_column(index):
    values = [row[index] for row in TITANIC_ROWS]
    datatype = TITANIC_SENT[index]
    if datatype == "BYTES":
        return np.array(values, dtype=object)
    if datatype == "FP32":
        return np.array([float(v) for v in values], dtype=np.float32)
    return np.array([int(v) for v in values], dtype=np.int64)


def run_tritonclient_numeric(url, target):
    """The titanic pipeline (float and string columns) with FP32 and INT64 tensors, sent raw."""
    import tritonclient.grpc as grpcclient

    client = grpcclient.InferenceServerClient(url=target)
    metadata = client.get_model_metadata("titanic", as_json=True)
    specs = [(t["name"], t["datatype"]) for t in metadata["inputs"]]
    check("tritonclient grpc: titanic's metadata types its columns", specs == TITANIC_SPECS, str(specs))
    inputs = []
    for index, (name, _) in enumerate(TITANIC_SPECS):
        tensor = grpcclient.InferInput(name, [len(TITANIC_ROWS)], TITANIC_SENT[index])
        tensor.set_data_from_numpy(titanic_column(index))
        inputs.append(tensor)
    result = client.infer("titanic", inputs)
    answers = {o.name: result.as_numpy(o.name) for o in result.get_response().outputs}
    reference = invocations(url, TITANIC_ROWS, model="titanic")
    check("tritonclient grpc: titanic's FP32 and INT64 tensors (raw) give /invocations' answers",
          answers_equal(answers, reference), f"{answers} {reference}")
    client.close()


def run_kserve_numeric(url, target):
    """The same titanic rows through KServe's client, which sends typed contents."""
    from kserve import InferenceGRPCClient, InferInput, InferRequest

    async def typed():
        client = InferenceGRPCClient(url=target, retries=0, timeout=60)
        try:
            inputs = [InferInput(name=name, shape=[len(TITANIC_ROWS)], datatype=TITANIC_SENT[index],
                                 data=titanic_column(index).tolist())
                      for index, (name, _) in enumerate(TITANIC_SPECS)]
            return await client.infer(InferRequest(model_name="titanic", infer_inputs=inputs))
        finally:
            await client.close()

    answer = asyncio.run(typed())
    answers = {o.name: o.as_numpy() for o in answer.outputs}
    reference = invocations(url, TITANIC_ROWS, model="titanic")
    check("kserve grpc client: titanic's FP32 and INT64 tensors (typed contents) give /invocations' answers",
          answers_equal(answers, reference), f"{answers} {reference}")


def answers_equal(answers, reference):
    """Each output column equals /invocations' JSON values: strings exactly, numbers as float32 or float64 bits."""
    for name, values in answers.items():
        expected = [p[name] for p in reference]
        got = [v.decode() if isinstance(v, bytes) else v for v in values.tolist()]
        if isinstance(expected[0], list) or isinstance(expected[0], float):
            if np.array(got, dtype=values.dtype).tolist() != np.array(expected, dtype=values.dtype).tolist():
                return False
        elif got != expected:
            return False
    return len(answers) == len(reference[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--grpc", required=True)
    parser.add_argument("--client", choices=["tritonclient", "kserve"])
    arguments = parser.parse_args()
    url, target = arguments.url, arguments.grpc
    sys.argv = sys.argv[:1]  # kserve parses the command line when imported
    if arguments.client is None:
        run_clients.run_examples(url, document="docs/open-inference-protocol.md", needs=("tritonclient.grpc",),
                                 marker="grpc-example", grpc=target)
        # tritonclient and kserve each register the protocol's messages (package `inference`) in
        # protobuf's one descriptor pool, which refuses a second copy: one process per client.
        for client in ("tritonclient", "kserve"):
            result = subprocess.run([sys.executable, __file__, "--url", url, "--grpc", target, "--client", client],
                                    capture_output=True, text=True, timeout=600)
            print(result.stdout + result.stderr, end="")
            counts = re.search(r"(\d+) passed, (\d+) failed", result.stdout)
            check(f"{client} driver ran", counts is not None and result.returncode in (0, 1), f"exit {result.returncode}")
            if counts:
                run_clients.passed += int(counts[1])
                run_clients.failed += int(counts[2])
        print(f"{run_clients.passed} passed, {run_clients.failed} failed")
        sys.exit(1 if run_clients.failed else 0)
    steps = ([lambda: run_tritonclient(url, target), lambda: run_tritonclient_numeric(url, target)]
             if arguments.client == "tritonclient"
             else [lambda: run_kserve_client(url, target), lambda: run_kserve_numeric(url, target)])
    run_clients.run_steps(steps)


if __name__ == "__main__":
    main()
