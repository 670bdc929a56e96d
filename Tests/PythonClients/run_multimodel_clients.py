"""SageMaker multi-model endpoints against `conveyor serve --model-root`.

1. Lays out a model root as SageMaker's multi-model containers see
   /opt/ml/models: car-spark/ and car-sklearn/ (a pipeline.json each, the
   repository's two Car pipelines), titanic/ (a pipeline.json: MLeap
   features, then XGBoost), huge/ (a Spark model folder padded past the
   budget), broken/ (a pipeline.json naming a missing model) and xgb-only/
   (the scikit-learn pipeline's XGBoost model alone: a one-stage pipeline).
2. Starts a server with a large budget to read each model's estimated
   footprint from POST /models, then one whose budget fits the two largest
   of the three but not all three.
3. boto3 invoke_endpoint(..., TargetModel=...) over the three: each answers
   as its pipeline does, the third unloads the least recently used one,
   which TargetModel loads again when asked; a model over the budget is 507.
4. Every status of the contract over HTTP: GET/POST /models 200, 409 when
   loaded, 507 when the budget is full, 404 for GET/DELETE/invoke of a model
   not loaded, 400 for a bad body or a broken model, 403 outside the root.
5. An s3:// model root (moto's S3 server from .ci/s3-tools.sh): a TargetModel
   and a POST /models load a self-contained pipeline folder from the bucket.

Usage: run_multimodel_clients.py --conveyor .build/debug/conveyor (with the
venv of .ci/clients-setup.sh). Ends with 'N passed, N failed'; exits 1 on failure.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import botocore

ROOT = Path(__file__).resolve().parents[2]
ROW = "low,low,5more,more,big,high\n"
SPARK = "vgood,0.0015658152988180518,0.018557297065854073,0.06201612204313278,0.9178608059883118"
SKLEARN = "vgood,0.001994362,0.012184694,0.00026305587,0.985558"
TITANIC_ROW = "1.0,C,38.0,71.5,1.0,female\n"
passed, failed = 0, 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}\n{detail}")


def relocated(path, name):
    """A repository pipeline with another name and absolute model paths."""
    source = ROOT / path
    pipeline = json.loads(source.read_text())
    pipeline["name"] = name
    for stage in pipeline["stages"]:
        if not stage["model"].startswith("/"):
            stage["model"] = str((source.parent / stage["model"]).resolve())
    return json.dumps(pipeline)


def lay_out(root):
    for name, path in [("car-spark", "pipelines/car-evaluation.json"), ("car-sklearn", "pipelines/car-evaluation-sklearn.json"),
                       ("titanic", "pipelines/titanic.json")]:
        (root / name).mkdir()
        (root / name / "pipeline.json").write_text(relocated(path, name))
    shutil.copytree(ROOT / "models/car-evaluation-spark/pipeline", root / "huge")
    (root / "huge" / "padding.bin").write_bytes(b"\0" * (8 << 20))
    (root / "xgb-only").mkdir()
    shutil.copy(ROOT / "models/car-evaluation/xgboost.json", root / "xgb-only")
    (root / "broken").mkdir()
    (root / "broken" / "pipeline.json").write_text(
        json.dumps({"name": "broken", "stages": [{"name": "x", "kind": "xgboost", "model": "missing.json"}]}))


class Server:
    def __init__(self, conveyor, root, budget_mb, environment=None):
        self.process = subprocess.Popen(
            [conveyor, "serve", "--port", "0", "--pipeline", str(ROOT / "pipelines/car-evaluation-sklearn.json"),
             "--model-root", str(root), "--model-memory-mb", f"{budget_mb:.6f}", "--model-memory-factor", "4"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
            env=dict(os.environ, **(environment or {})))
        line = self.process.stdout.readline()
        self.url = "http://127.0.0.1:" + line.strip().rsplit(":", 1)[1]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def http(url, method="GET", body=None, headers=None):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def load(server, name, url):
    return http(server.url + "/models", "POST", json.dumps({"model_name": name, "url": str(url)}),
                {"Content-Type": "application/json"})


def loaded_names(server):
    status, body = http(server.url + "/models")
    return [model["modelName"] for model in json.loads(body)["models"] if not model.get("pinned")]


def runtime(server):
    return boto3.client("sagemaker-runtime", endpoint_url=server.url, region_name="us-east-1",
                        aws_access_key_id="local", aws_secret_access_key="local",
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def invoke(client, target, body=ROW):
    response = client.invoke_endpoint(EndpointName="multi-model", TargetModel=target, ContentType="text/csv", Body=body)
    return response["Body"].read().decode().strip()


def error_status(call):
    try:
        call()
    except botocore.exceptions.ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"]
    return 200, None


MOTO = ROOT / "training/.venvs/s3/bin/moto_server"
AWS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1",
       "AWS_EC2_METADATA_DISABLED": "true"}


def s3_root(conveyor):
    """The scikit-learn Car pipeline as a self-contained folder in a bucket, served from an s3:// root."""
    if not MOTO.exists():
        check("moto_server is installed (bash .ci/s3-tools.sh)", False, str(MOTO))
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    moto = subprocess.Popen([str(MOTO), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="local", aws_secret_access_key="local")
        for _ in range(100):
            try:
                s3.create_bucket(Bucket="models")
                break
            except botocore.exceptions.EndpointConnectionError:
                time.sleep(0.1)
        source = ROOT / "pipelines/car-evaluation-sklearn.json"
        pipeline = json.loads(source.read_text())
        pipeline["name"] = "car-s3"
        for stage in pipeline["stages"]:
            artifact = (source.parent / stage["model"]).resolve()
            stage["model"] = artifact.name
            s3.upload_file(str(artifact), "models", f"prefix/car/{artifact.name}")
        s3.put_object(Bucket="models", Key="prefix/car/pipeline.json", Body=json.dumps(pipeline).encode())
        server = Server(conveyor, "s3://models/prefix", 64, dict(AWS, AWS_ENDPOINT_URL=endpoint))
        try:
            check("s3:// root: TargetModel car loads from the bucket", invoke(runtime(server), "car") == SKLEARN)
            status, body = load(server, "car-again", "s3://models/prefix/car")
            check("s3:// root: POST /models of an s3:// URL: 200", status == 200, body)
            check("s3:// root: POST /models outside the root prefix: 403",
                  load(server, "other", "s3://models/elsewhere/car")[0] == 403)
            check("s3:// root: POST /models of an empty prefix: 404",
                  load(server, "none", "s3://models/prefix/none")[0] == 404)
        finally:
            server.stop()
    finally:
        moto.kill()
        moto.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conveyor", required=True)
    conveyor = parser.parse_args().conveyor
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        lay_out(root)
        three = ["car-spark", "car-sklearn", "titanic"]

        server = Server(conveyor, root, 4096)
        try:
            sizes = {}
            for name in three:
                status, body = load(server, name, root / name)
                sizes[name] = json.loads(body).get("estimatedBytes", 0) if status == 200 else 0
                check(f"footprint of {name}: {sizes[name]} bytes", status == 200 and sizes[name] > 0, body)
        finally:
            server.stop()
        largest = sorted(sizes.values())
        budget = largest[1] + largest[2] + largest[0] // 2  # any two fit, all three do not
        print(f"budget {budget} bytes: fits two of {sizes}")

        server = Server(conveyor, root, budget / 2**20)
        try:
            client = runtime(server)
            check("TargetModel car-spark answers as the Spark pipeline", invoke(client, "car-spark") == SPARK)
            check("TargetModel car-sklearn answers as the scikit-learn pipeline", invoke(client, "car-sklearn") == SKLEARN)
            answer = invoke(client, "titanic", TITANIC_ROW)
            check("TargetModel titanic answers a probability", 0 < float(answer) < 1, answer)
            check("the third load unloaded the least recently used (car-spark)",
                  loaded_names(server) == ["car-sklearn", "titanic"], str(loaded_names(server)))
            check("car-spark loads again on demand", invoke(client, "car-spark") == SPARK)
            check("... unloading car-sklearn, now the least recently used",
                  loaded_names(server) == ["car-spark", "titanic"], str(loaded_names(server)))
            status, code = error_status(lambda: invoke(client, "huge"))
            check("TargetModel over the budget: 507", status == 507, f"{status} {code}")
            status, code = error_status(lambda: invoke(client, "nothing-here"))
            check("TargetModel not under the root: 404 ValidationError", (status, code) == (404, "ValidationError"), f"{status} {code}")
            status, code = error_status(lambda: invoke(client, "broken"))
            check("TargetModel that does not load: 400 as a ModelError (424)", (status, code) == (424, "ModelError"), f"{status} {code}")
            _, metrics = http(server.url + "/metrics")
            check("two models were unloaded to make room", 'conveyor_model_events_total{event="evicted"} 2' in metrics,
                  "\n".join(line for line in metrics.splitlines() if "model" in line))

            # The container contract, status by status.
            status, body = http(server.url + "/models")
            check("GET /models: 200 with modelName and modelUrl",
                  status == 200 and {"modelName": "titanic", "modelUrl": str(root / "titanic")}.items()
                  <= next(m for m in json.loads(body)["models"] if m["modelName"] == "titanic").items(), body)
            check("POST /models of a loaded model: 409", load(server, "titanic", root / "titanic")[0] == 409)
            check("POST /models when the budget is full: 507", load(server, "car-sklearn", root / "car-sklearn")[0] == 507)
            check("GET /models/{name} not loaded: 404", http(server.url + "/models/car-sklearn")[0] == 404)
            check("DELETE /models/{name}: 200", http(server.url + "/models/titanic", "DELETE")[0] == 200)
            check("DELETE /models/{name} not loaded: 404", http(server.url + "/models/titanic", "DELETE")[0] == 404)
            status, body = load(server, "car-sklearn", root / "car-sklearn")
            check("POST /models once there is room: 200", status == 200, body)
            check("GET /models/{name}: 200", http(server.url + "/models/car-sklearn")[0] == 200)
            status, body = http(server.url + "/models/car-sklearn/invoke", "POST", ROW,
                                {"Content-Type": "text/csv", "X-Amzn-SageMaker-Target-Model": "car-sklearn.tar.gz"})
            check("POST /models/{name}/invoke: 200", status == 200 and body.strip() == SKLEARN, body)
            check("POST /models/{name}/invoke not loaded: 404",
                  http(server.url + "/models/titanic/invoke", "POST", ROW, {"Content-Type": "text/csv"})[0] == 404)
            check("POST /models with a bad body: 400",
                  http(server.url + "/models", "POST", '{"name": 1}', {"Content-Type": "application/json"})[0] == 400)
            http(server.url + "/models/car-spark", "DELETE")
            status, body = load(server, "broken", root / "broken")
            check("POST /models of a broken model: 400 naming the model", status == 400 and "broken" in body, body)
            check("POST /models outside the root: 403", load(server, "etc", "/etc")[0] == 403)
            # A folder holding one XGBoost model: its features in, XGBoost's probabilities out.
            features = (ROOT / "models/car-evaluation/features_expected.csv").read_text().splitlines()[1].split(",")[6:]
            expected = (ROOT / "models/car-evaluation/expected.csv").read_text().splitlines()[1].split(",")[9:]
            answer = invoke(client, "xgb-only", ",".join(features) + "\n").split(",")
            check("TargetModel xgb-only (one artifact in a folder) answers XGBoost's probabilities",
                  len(answer) == 4 and all(abs(float(a) - float(e)) <= 1e-6 for a, e in zip(answer, expected)),
                  f"{answer} vs {expected}")
        finally:
            server.stop()
    s3_root(conveyor)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
