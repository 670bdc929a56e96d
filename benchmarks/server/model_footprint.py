"""Measures what a loaded model costs in resident memory against its artifact
bytes, the basis of `serve --model-memory-factor` (docs/serving.md,
"Multi-model endpoints").

For each model, a fresh `conveyor serve --model-root` loads it once with
POST /models (the first load also pays one-time costs: library pages, the
loader's code, malloc arenas), then loads it COPIES more times under other
names and scores one request on each; the server's RSS (/proc/PID/status
VmRSS) is read around those loads. Prints artifact bytes, the first load's
RSS delta, the mean RSS delta of the further loads (what one more model
costs) and their ratios to the artifact bytes.

Usage: python3 benchmarks/server/model_footprint.py [--conveyor .build/release/conveyor]
"""
import argparse
import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = [("car-spark", "pipelines/car-evaluation.json", "low,low,5more,more,big,high\n"),
          ("car-sklearn", "pipelines/car-evaluation-sklearn.json", "low,low,5more,more,big,high\n"),
          ("titanic", "pipelines/titanic.json", "1.0,C,38.0,71.5,1.0,female\n")]


def relocated(path, name):
    source = ROOT / path
    pipeline = json.loads(source.read_text())
    pipeline["name"] = name
    for stage in pipeline["stages"]:
        if not stage["model"].startswith("/"):
            stage["model"] = str((source.parent / stage["model"]).resolve())
    return json.dumps(pipeline)


def rss(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def post(url, body, content_type):
    request = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read().decode()


COPIES = 8


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conveyor", default=str(ROOT / ".build/release/conveyor"))
    conveyor = parser.parse_args().conveyor
    print("model        artifact_bytes  first_load_rss  ratio  each_further_load_rss  ratio")
    with tempfile.TemporaryDirectory() as folder:
        for name, path, row in MODELS:
            (Path(folder) / name).mkdir()
            (Path(folder) / name / "pipeline.json").write_text(relocated(path, name))
            server = subprocess.Popen([conveyor, "serve", "--port", "0", "--model-root", folder, "--model-memory-factor", "1"],
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            try:
                url = "http://127.0.0.1:" + server.stdout.readline().strip().rsplit(":", 1)[1]
                time.sleep(0.5)
                before = rss(server.pid)
                answer = json.loads(post(url + "/models", json.dumps({"model_name": name, "url": f"{folder}/{name}"}),
                                         "application/json"))
                post(url + f"/models/{name}/invoke", row, "text/csv")
                first = rss(server.pid) - before
                before = rss(server.pid)
                for copy in range(COPIES):
                    post(url + "/models", json.dumps({"model_name": f"{name}-{copy}", "url": f"{folder}/{name}"}),
                         "application/json")
                    post(url + f"/models/{name}-{copy}/invoke", row, "text/csv")
                each = (rss(server.pid) - before) / COPIES
                artifact = answer["estimatedBytes"]  # factor 1: the artifact bytes
                print(f"{name:12} {artifact:14} {first:15} {first / artifact:6.1f} {each:22.0f} {each / artifact:6.1f}")
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
