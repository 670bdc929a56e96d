"""LightGBM predict vs Conveyor's tree engine, one thread, batch 1 and 1,000 (benchmarks/lightgbm/run.sh).

Trains two 300-tree binary models (num_leaves 31) on UCI Adult with the fixture venv's LightGBM — one
with categorical splits (walked node by node by the engine), one on the same codes as numbers with
max_depth 10 (the engine's complete layout) — takes 2,000 held-back rows, and times:
- LightGBM: Booster.predict(X[i:i+b], num_threads=1) from Python (what a Python server calls; the
  per-call Python overhead is part of it, as for any Python caller), and the C API directly through
  ctypes (LGBM_BoosterPredictForMatSingleRowFast for batch 1, LGBM_BoosterPredictForMat for 1,000);
- Conveyor: LightGBMModel.predictions (benchmarks/lightgbm/Sources/LightGBMBenchmark, release build),
  after checking that all 2,000 predictions equal LightGBM's bit for bit.
Writes benchmarks/lightgbm/results.md.
"""
import ctypes
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import lightgbm as lgb
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "training"))
import lightgbm_models as fixtures  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROWS = 2000


def timed(call, batch, rows):
    calls, start, elapsed = 0, time.perf_counter(), 0.0
    while elapsed < SECONDS:
        for _ in range(max(1, 1000 // batch)):
            first = (calls * batch) % (rows - batch + 1)
            call(first, batch)
            calls += 1
        elapsed = time.perf_counter() - start
    return elapsed / calls * 1e6, elapsed / (calls * batch) * 1e6


MODELS = [
    # name, categorical features, extra parameters
    ("categorical", True, {}),
    ("numeric, max_depth 10", False, {"max_depth": 10}),
]


def measure(binary, work, X, y, names, cats, train, test, categorical, extra):
    params = {"objective": "binary", "num_leaves": 31, "verbose": -1, "num_threads": 1, "seed": 7,
              "deterministic": True, **extra}
    dataset = lgb.Dataset(X[train], y[train], feature_name=names, categorical_feature=cats if categorical else [])
    booster = lgb.train(params, dataset, num_boost_round=300)
    model_path = os.path.join(work, "adult-300.txt")
    booster.save_model(model_path)
    booster = lgb.Booster(model_file=model_path)
    Xt = np.ascontiguousarray(X[test], dtype=np.float64)
    expected = booster.predict(Xt, num_threads=1)
    Xt.tofile(os.path.join(work, "inputs.f64"))
    np.asarray(expected, dtype=np.float64).tofile(os.path.join(work, "expected.f64"))

    results = []
    for batch in (1, 1000):
        call, row = timed(lambda i, b: booster.predict(Xt[i:i + b], num_threads=1), batch, ROWS)
        results.append({"engine": "lightgbm (Python predict)", "batch": batch, "us_per_call": call, "us_per_row": row})

    # The C API without Python's per-call work: one handle, one thread.
    lib = ctypes.cdll.LoadLibrary(lgb.basic._LIB._name)
    handle = ctypes.c_void_p()
    iterations = ctypes.c_int()
    lib.LGBM_BoosterCreateFromModelfile(model_path.encode(), ctypes.byref(iterations), ctypes.byref(handle))
    out = np.zeros(1000, dtype=np.float64)
    out_len = ctypes.c_int64()
    ncol = Xt.shape[1]
    fast = ctypes.c_void_p()
    lib.LGBM_BoosterPredictForMatSingleRowFastInit(handle, 0, 0, -1, 1, ncol, b"num_threads=1", ctypes.byref(fast))
    row_bytes = ncol * 8

    def single(i, b):
        lib.LGBM_BoosterPredictForMatSingleRowFast(fast, ctypes.c_void_p(Xt.ctypes.data + i * row_bytes),
                                                   ctypes.byref(out_len), out.ctypes.data_as(ctypes.c_void_p))

    def batch_call(i, b):
        lib.LGBM_BoosterPredictForMat(handle, ctypes.c_void_p(Xt.ctypes.data + i * row_bytes), 1, b, ncol, 1, 0, 0, -1,
                                      b"num_threads=1", ctypes.byref(out_len), out.ctypes.data_as(ctypes.c_void_p))

    single(0, 1)
    assert out[0] == expected[0], (out[0], expected[0])
    for batch, call in ((1, single), (1000, batch_call)):
        c, r = timed(call, batch, ROWS)
        results.append({"engine": "lightgbm (C API via ctypes)", "batch": batch, "us_per_call": c, "us_per_row": r})
    lib.LGBM_FastConfigFree(fast)
    lib.LGBM_BoosterFree(handle)

    run = subprocess.run([binary, model_path, os.path.join(work, "inputs.f64"), str(ROWS),
                          os.path.join(work, "expected.f64"), str(SECONDS)], capture_output=True, text=True, check=True)
    for line in run.stdout.splitlines():
        results.append(json.loads(line))
    return results


def main(binary):
    work = tempfile.mkdtemp(prefix="conveyor-lightgbm-bench-")
    X, y, names, cats = fixtures.read_adult()
    rng = np.random.default_rng(7)
    order = rng.permutation(len(y))
    train, test = order[:20000], order[20000:20000 + ROWS]
    lines = ["# LightGBM: Conveyor's tree engine vs LightGBM's own predict", "",
             f"Models: binary, 300 trees, num_leaves 31, 14 features of UCI Adult (8 categorical, or the same "
             f"codes as numbers), trained by `benchmarks/lightgbm/run.py` with LightGBM {lgb.__version__}. "
             f"{ROWS} held-back rows; Conveyor's predictions are checked equal to LightGBM's bit for bit first. "
             f"One thread everywhere; {SECONDS:g} s per measurement. Machine: {platform.machine()}, "
             f"{os.cpu_count()} cores (shared with other builds). Reproduce: `bash benchmarks/lightgbm/run.sh`.", ""]
    for name, categorical, extra in MODELS:
        results = measure(binary, work, X, y, names, cats, train, test, categorical, extra)
        lines += [f"## {name}", "", "| engine | batch | µs per call | µs per row |", "| --- | --- | --- | --- |"]
        for r in results:
            lines.append(f"| {r['engine']} | {r['batch']} | {r['us_per_call']:.2f} | {r['us_per_row']:.3f} |")
        lines.append("")
    with open(os.path.join(HERE, "results.md"), "w") as handle:
        handle.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
