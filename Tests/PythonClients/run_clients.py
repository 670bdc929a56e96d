"""Drives a running Conveyor server with real SageMaker clients.

1. Runs every example in docs/serving.md marked ```sh example or
   ```python example (with 127.0.0.1:8080 replaced by the server under test)
   and compares its standard output with the ```text output block after it.
2. boto3 invoke_endpoint over all 1,728 Car rows against
   models/car-evaluation/expected.csv (the training frameworks' answers).
3. boto3 and awscli error cases: ModelError with OriginalStatusCode 400,
   ValidationError for an unknown endpoint.
4. boto3 invoke_endpoint(EnableExplanations='`true`'): Clarify's response
   layout, attributions equal XGBoost's pred_contribs summed per column
   (Tests/Fixtures/explanations/car-sklearn.json).

Usage: run_clients.py --url http://127.0.0.1:PORT (run with the venv of
.ci/clients-setup.sh). Ends with 'N passed, N failed'; exits 1 on failure.
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import boto3
import botocore

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Support"))
from numeric_compare import compare  # noqa: E402  (the shared NaN-safe comparison)

ENV = dict(os.environ, AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local", AWS_DEFAULT_REGION="us-east-1",
           AWS_EC2_METADATA_DISABLED="true", PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
passed, failed = 0, 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}\n{detail}")


def run_steps(steps):
    """Runs each step (a crash is a failure, not a skip), prints 'N passed, N failed' and exits 1 on failure."""
    for step in steps:
        try:
            step()
        except Exception as error:
            check("step", False, repr(error))
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def normalise(text):
    text = re.sub(r'"request_id":\s*"[^"]*"', '"request_id":"..."', text)
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def examples(markdown, marker="example"):
    """(language, code, expected output) for each block marked `marker` (```python example)."""
    pattern = re.compile(r"```(sh|python) " + re.escape(marker) + r"\n(.*?)```\s*```text output\n(.*?)```", re.S)
    return pattern.findall(markdown)


def run_examples(url, document="docs/serving.md", needs=("curl", "aws ", "boto3"), marker="example", grpc=None):
    """Runs the examples of `document` marked `marker`, which must include each of `needs`;
    `grpc` (HOST:PORT) replaces the documented gRPC address 127.0.0.1:8081."""
    markdown = (ROOT / document).read_text()
    found = examples(markdown, marker)
    check(f"{document} has {', '.join(need.strip() for need in needs)} {marker}s",
          all(any(need in code for _, code, _ in found) for need in needs), f"found {len(found)} examples")
    host_port = url.split("://", 1)[1]
    for index, (language, code, expected) in enumerate(found, 1):
        code = code.replace("127.0.0.1:8080", host_port).replace("localhost:8080", host_port)
        if grpc:
            code = code.replace("127.0.0.1:8081", grpc)
        command = ["bash", "-euo", "pipefail", "-c", code] if language == "sh" else [sys.executable, "-c", code]
        with tempfile.TemporaryDirectory() as folder:
            result = subprocess.run(command, cwd=folder, env=ENV, capture_output=True, text=True, timeout=120)
        first = code.strip().splitlines()[0]
        check(f"{marker} {index} ({language}): {first[:70]}",
              result.returncode == 0 and normalise(result.stdout) == normalise(expected),
              f"exit {result.returncode}\n--- got\n{result.stdout}\n--- expected\n{expected}\n--- stderr\n{result.stderr}")


def client(url):
    return boto3.client("sagemaker-runtime", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="local", aws_secret_access_key="local")


def run_boto3(url):
    runtime = client(url)
    with open(ROOT / "models/car-evaluation/expected.csv") as handle:
        rows = list(csv.reader(handle))[1:]
    body = "".join(",".join(row[:6]) + "\n" for row in rows)
    response = runtime.invoke_endpoint(EndpointName="car-evaluation-sklearn", ContentType="text/csv", Accept="text/csv",
                                       Body=body.encode())
    lines = response["Body"].read().decode().splitlines()
    answers = [line.split(",") for line in lines]
    labels = sum(fields[0] == row[7] and len(fields) == 5 for fields, row in zip(answers, rows))
    # Flattened: a line with a value too many or too few fails the count.
    probabilities = compare([value for fields in answers for value in fields[1:]],
                            [value for row in rows for value in row[9:13]], absolute=1e-6, columns=4,
                            label="probabilities")
    check("boto3 invoke_endpoint: 1,728 rows equal expected.csv",
          len(lines) == len(rows) == 1728 and labels == 1728 and probabilities.matches,
          f"{len(lines)} lines, {labels} labels equal, {probabilities}")
    check("boto3 sees the request id", bool(response["ResponseMetadata"].get("RequestId")), str(response["ResponseMetadata"]))

    try:
        runtime.invoke_endpoint(EndpointName="car-evaluation-sklearn", ContentType="text/csv", Body=b"low,low,5more,more,huge,high\n")
        check("boto3 raises ModelError for bad input", False, "no exception")
    except runtime.exceptions.ModelError as error:
        message = error.response["Error"]["Message"]
        check("boto3 raises ModelError for bad input, with the original status and the stage",
              error.response["ResponseMetadata"]["HTTPStatusCode"] == 424 and error.response.get("OriginalStatusCode") == 400
              and "features" in message and "lug_boots" in error.response.get("OriginalMessage", ""),
              str(error.response))
    try:
        runtime.invoke_endpoint(EndpointName="no-such-endpoint", ContentType="text/csv", Body=b"low,low,5more,more,big,high\n")
        check("boto3 raises ValidationError for an unknown endpoint", False, "no exception")
    except botocore.exceptions.ClientError as error:
        check("boto3 raises ValidationError for an unknown endpoint",
              error.response["Error"]["Code"] == "ValidationError"
              and error.response["ResponseMetadata"]["HTTPStatusCode"] == 404, str(error.response))

    direct = runtime.invoke_endpoint(EndpointName="car-evaluation-sklearn", ContentType="text/csv", TargetContainerHostname="features",
                                     Body=b"vhigh,vhigh,2,2,small,low\n")
    with open(ROOT / "models/car-evaluation/features_expected.csv") as handle:
        first = list(csv.reader(handle))[1]
    got = [float(value) for value in direct["Body"].read().decode().strip().split(",")]
    check("boto3 TargetContainerHostname runs one stage", got == [float(v) for v in first[6:]], str(got))


def run_explanations(url):
    import json
    runtime = client(url)
    fixture = json.loads((ROOT / "Tests/Fixtures/explanations/car-sklearn.json").read_text())
    rows = fixture["rows"][:6]
    body = "".join(",".join(row["input"]) + "\n" for row in rows)
    response = runtime.invoke_endpoint(EndpointName="car-evaluation-sklearn", ContentType="text/csv", Accept="text/csv",
                                       Body=body.encode(), EnableExplanations="`true`")
    document = json.loads(response["Body"].read())
    records = document.get("explanations", {}).get("tree_shap", [])
    actual = [value for record in records for entry in record for value in entry["attributions"][0]["attribution"]]
    expected = [value for row in rows for column in fixture["columns"] for value in row["columns"][column]]
    headers = [[entry["feature_header"] for entry in record] for record in records]
    result = compare(actual, expected, absolute=1e-6, relative=1e-6, label="attributions")
    check("boto3 EnableExplanations: Clarify's layout, attributions equal XGBoost's summed per column",
          response["ContentType"] == "application/json" and document.get("version") == "1.0"
          and document["predictions"]["content_type"] == "text/csv"
          and len(document["predictions"]["data"].splitlines()) == len(rows)
          and headers == [fixture["columns"]] * len(rows) and result.matches,
          f"{result}\n{json.dumps(document)[:600]}")


def run_awscli(url):
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            ["aws", "sagemaker-runtime", "invoke-endpoint", "--endpoint-url", url, "--endpoint-name", "car-evaluation-sklearn",
             "--content-type", "application/json", "--accept", "application/jsonlines",
             "--body", '{"data": ["vhigh","vhigh","2","2","small","low"]}', "out.jsonl"],
            cwd=folder, env=ENV, capture_output=True, text=True, timeout=120)
        out = Path(folder, "out.jsonl").read_text() if Path(folder, "out.jsonl").exists() else ""
    check("aws sagemaker-runtime invoke-endpoint with JSON in, JSON Lines out",
          result.returncode == 0 and out.startswith('{"predicted_class":"unacc","probabilities":[3.122366e-07,'),
          f"exit {result.returncode}\n{result.stdout}\n{result.stderr}\n{out}")
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            ["aws", "sagemaker-runtime", "invoke-endpoint", "--endpoint-url", url, "--endpoint-name", "car-evaluation-sklearn",
             "--content-type", "text/csv", "--body", "low,low", "out.csv"],
            cwd=folder, env=ENV, capture_output=True, text=True, timeout=120)
    check("awscli reports ModelError for bad input",
          result.returncode != 0 and "ModelError" in result.stderr and "(424)" not in result.stdout,
          f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    url = parser.parse_args().url
    for step in (run_examples, run_boto3, run_explanations, run_awscli):
        try:
            step(url)
        except Exception as error:  # a crash is a failure, not a skip
            check(step.__name__, False, repr(error))
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
