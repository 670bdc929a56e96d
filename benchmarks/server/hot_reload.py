"""Hot reload under load: `conveyor serve --pipeline FOLDER --watch` while wrk
keeps 16 connections busy and the pipeline is replaced 20 times.

The folder holds one pipeline file, `car.json`, alternately the scikit-learn
Car pipeline (odd versions) and the Spark one (even versions), which answer
the same rows with different digits. wrk (hot_reload.lua) checks every
answer is wholly one version's: the body equals the answer of the version
its X-Conveyor-Pipeline-Version header names. Halfway, a broken replacement
(a model that does not exist) must leave the old version serving, counted in
conveyor_pipeline_reloads_total{result="failed"}; the good one after it goes on.

Passes when: 0 non-200 answers, 0 socket errors, 0 mixed answers, answers
from both pipelines, version 21 reached, exactly one failed reload.

Usage: python3 benchmarks/server/hot_reload.py [--conveyor .build/release/conveyor]
       [--replacements 20] [--connections 16] [--interval 0.2]
Prints one summary line and PASS or FAIL; exits 1 on FAIL.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS = "low,low,5more,more,big,high\nvhigh,vhigh,2,2,small,low\n"
# The training frameworks' answers for ROWS (README.md).
SKLEARN = ("vgood,0.001994362,0.012184694,0.00026305587,0.985558\n"
           "unacc,3.122366e-07,3.1736963e-07,0.99999905,3.1358903e-07\n")
SPARK = ("vgood,0.0015658152988180518,0.018557297065854073,0.06201612204313278,0.9178608059883118\n"
         "unacc,0.9998751878738403,4.689395791501738e-05,3.929734157281928e-05,3.856402327073738e-05\n")


def relocated(path):
    source = ROOT / path
    pipeline = json.loads(source.read_text())
    pipeline["name"] = "car"
    for stage in pipeline["stages"]:
        if not stage["model"].startswith("/"):
            stage["model"] = str((source.parent / stage["model"]).resolve())
    return json.dumps(pipeline)


def replace(file, text):
    """Written beside, then renamed over: the watcher never sees half a file."""
    temporary = file.with_suffix(".tmp")
    temporary.write_text(text)
    os.replace(temporary, file)


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def version(url):
    return json.loads(get(url + "/models/car"))["version"]


def failed_reloads(url):
    match = re.search(r'conveyor_pipeline_reloads_total\{result="failed"\} (\d+)', get(url + "/metrics"))
    return int(match.group(1)) if match else 0


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conveyor", default=str(ROOT / ".build/release/conveyor"))
    parser.add_argument("--replacements", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--interval", type=float, default=0.2)
    arguments = parser.parse_args()
    variants = [relocated("pipelines/car-evaluation-sklearn.json"), relocated("pipelines/car-evaluation.json")]
    broken = json.dumps({"name": "car", "stages": [{"name": "x", "kind": "xgboost", "model": "/nonexistent/model.json"}]})
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "car.json"
        replace(file, variants[0])
        server = subprocess.Popen(
            [arguments.conveyor, "serve", "--port", "0", "--pipeline", folder, "--watch",
             "--watch-interval", str(arguments.interval)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            url = "http://127.0.0.1:" + server.stdout.readline().strip().rsplit(":", 1)[1]
            request = urllib.request.Request(url + "/invocations", data=ROWS.encode(), headers={"Content-Type": "text/csv"})
            first = urllib.request.urlopen(request, timeout=30).read().decode()
            if first != SKLEARN:
                problems.append(f"version 1 answered {first!r}, not the scikit-learn pipeline's answer")
            wrk = subprocess.Popen(
                ["wrk", "-t2", f"-c{arguments.connections}", "-d600s", "--timeout", "10s",
                 "-s", str(ROOT / "benchmarks/server/hot_reload.lua"), url + "/invocations"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                env=dict(os.environ, HOT_RELOAD_ODD=SKLEARN, HOT_RELOAD_EVEN=SPARK))
            time.sleep(1)
            start = time.monotonic()
            for replacement in range(1, arguments.replacements + 1):
                if replacement == arguments.replacements // 2:
                    replace(file, broken)
                    if not wait_for(lambda: failed_reloads(url) == 1):
                        problems.append("the broken replacement was not reported")
                    if version(url) != replacement:
                        problems.append(f"the broken replacement changed the version to {version(url)}")
                replace(file, variants[replacement % 2])
                if not wait_for(lambda: version(url) == replacement + 1):
                    problems.append(f"replacement {replacement} was not loaded (version {version(url)})")
                    break
            seconds = time.monotonic() - start
            time.sleep(1)
            wrk.send_signal(2)  # SIGINT: wrk stops and prints its summary
            output, _ = wrk.communicate(timeout=60)
        finally:
            server.terminate()
            server.wait(timeout=30)
    summary = next((line for line in output.splitlines() if line.startswith("hot_reload ")), "")
    fields = dict(item.split("=") for item in summary.split()[1:])
    if not fields:
        problems.append(f"wrk printed no summary:\n{output}")
    else:
        for key in ["bad", "non200", "socket_errors"]:
            if fields[key] != "0":
                problems.append(f"{key}={fields[key]}")
        if fields["ok_odd"] == "0" or fields["ok_even"] == "0":
            problems.append("answers from only one of the two pipelines")
        if int(fields["highest_version"]) != arguments.replacements + 1:
            problems.append(f"highest version {fields['highest_version']}, expected {arguments.replacements + 1}")
    load = os.getloadavg()
    print(f"{summary.strip()} replacements={arguments.replacements} reload_seconds={seconds:.1f} "
          f"load_average={load[0]:.2f},{load[1]:.2f},{load[2]:.2f}")
    print("PASS" if not problems else "FAIL: " + "; ".join(problems))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
