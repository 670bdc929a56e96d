"""What Debian's libxgboost 1.7.4 itself predicts for fixture models, bypassing Conveyor's checks.

    training/.venvs/xgb-3.4.1/bin/python training/probe_libxgboost.py Tests/Fixtures/xgboost-objectives

For each version folder and model file of a fixture set (manifest.json as written by
xgboost_objectives.py or xgboost_fixtures.py): loads the file into /usr/lib/x86_64-linux-gnu/
libxgboost.so.0 through ctypes, predicts the inputs in place (float32 dense, NaN missing) as values
and margins — a 3.1+ vector base_score applied as base_margin after the objective's link, as
Conveyor does — and prints EXACT or how many values differ and by how much, or libxgboost's error.
This is how the table in Tests/Fixtures/xgboost-objectives/README.md was measured; Conveyor's tests
(ObjectiveConformanceTests) are the check that counts. Needs numpy only.
"""
import ctypes
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Tests", "Support"))
from numeric_compare import compare as numeric_compare  # noqa: E402  (the shared NaN-safe comparison)

LIB = ctypes.CDLL("/usr/lib/x86_64-linux-gnu/libxgboost.so.0")
LIB.XGBGetLastError.restype = ctypes.c_char_p
LOG_LINK = ("reg:gamma", "reg:tweedie", "count:poisson", "survival:cox", "survival:aft")


def check(status):
    if status != 0:
        raise RuntimeError(LIB.XGBGetLastError().decode())


def read_csv(path):
    with open(path) as f:
        return np.array([[float(x) if x else np.nan for x in line.rstrip("\n").split(",")] for line in f])


def interface(array):
    return json.dumps({"data": [array.ctypes.data, True], "shape": list(array.shape), "strides": None,
                       "typestr": "<f4", "version": 3}).encode()


def link(objective, value):
    value = np.float32(value)
    if objective in ("binary:logistic", "reg:logistic"):
        return np.float32(-np.log(np.float32(1) / value - np.float32(1)))
    if objective in LOG_LINK:
        return np.float32(np.log(value))
    return value


def predict(path, X, output_type, objective, base_score):
    handle, proxy = ctypes.c_void_p(), ctypes.c_void_p()
    check(LIB.XGBoosterCreate(None, 0, ctypes.byref(handle)))
    try:
        data = open(path, "rb").read()
        check(LIB.XGBoosterLoadModelFromBuffer(handle, data, ctypes.c_uint64(len(data))))
        check(LIB.XGProxyDMatrixCreate(ctypes.byref(proxy)))
        features = np.ascontiguousarray(X, dtype=np.float32)
        if base_score.startswith("["):
            margins = np.array([link(objective, float(v)) for v in base_score[1:-1].split(",")], dtype=np.float32)
            check(LIB.XGProxyDMatrixSetDataDense(proxy, interface(features)))
            base = np.ascontiguousarray(np.tile(margins, (X.shape[0], 1)))
            if len(margins) == 1:
                base = base.reshape(-1)
            check(LIB.XGDMatrixSetInfoFromInterface(proxy, b"base_margin", interface(base)))
        config = json.dumps({"type": output_type, "training": False, "iteration_begin": 0, "iteration_end": 0,
                             "strict_shape": False, "cache_id": 0, "missing": float("nan")}).encode()
        shape, dims, result = ctypes.POINTER(ctypes.c_uint64)(), ctypes.c_uint64(), ctypes.POINTER(ctypes.c_float)()
        check(LIB.XGBoosterPredictFromDense(handle, interface(features), config, proxy, ctypes.byref(shape),
                                            ctypes.byref(dims), ctypes.byref(result)))
        count = int(np.prod([shape[i] for i in range(dims.value)]))
        return np.ctypeslib.as_array(result, shape=(count,)).copy()
    finally:
        LIB.XGBoosterFree(handle)
        if proxy.value:
            LIB.XGDMatrixFree(proxy)


def compare(got, expected):
    """EXACT when the shared NaN-safe comparison finds every value equal and the
    float32 bit patterns agree too (it counts -0 and +0 as equal)."""
    result = numeric_compare(got.astype(np.float64).tolist(), expected.astype(np.float64).tolist())
    if not result.matches:
        return str(result)
    if got.shape != expected.shape or not np.array_equal(got.view(np.uint32), expected.view(np.uint32)):
        return "equal in value but not bit for bit (signed zeros or NaN payloads)"
    return "EXACT"


def main(root):
    for version in sorted(os.listdir(root)):
        folder = os.path.join(root, version)
        if not os.path.isfile(os.path.join(folder, "manifest.json")):
            continue
        manifest = json.load(open(os.path.join(folder, "manifest.json")))
        for model in manifest["models"]:
            if not model["files"]:
                continue
            X = read_csv(os.path.join(folder, model["input"]))
            for fmt, name in sorted(model["files"].items()):
                results = []
                try:
                    for key, output_type in (("pred", 0), ("margin", 1)):
                        expected = read_csv(os.path.join(folder, model[key])).astype(np.float32).reshape(-1)
                        got = predict(os.path.join(folder, name), X, output_type, model["objective"],
                                      model["base_score"])
                        results.append(f"{key}: {compare(got, expected)}")
                except RuntimeError as e:
                    results.append("libxgboost error: " + str(e).strip().splitlines()[0][:160])
                print(f"{version} {name}: " + "; ".join(results))


if __name__ == "__main__":
    main(sys.argv[1])
