"""The Python baseline: the Car model served the way SageMaker's scikit-learn and
XGBoost containers serve a model (Flask under gunicorn; pandas reads the CSV body,
scikit-learn one-hot encodes, xgboost predicts, the label is decoded).

The encoder is fitted on models/car-evaluation/expected.csv's inputs with sorted
categories, which is the encoding the MLeap bundle holds (run.sh checks that the
answers equal Conveyor's before measuring).
"""
import io
import os

import numpy as np
import pandas as pd
import xgboost as xgb
from flask import Flask, Response, request
from sklearn.preprocessing import OneHotEncoder

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
COLUMNS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
CLASSES = np.array(["acc", "good", "unacc", "vgood"])

rows = pd.read_csv(os.path.join(ROOT, "models/car-evaluation/expected.csv"), dtype=str)
encoder = OneHotEncoder(handle_unknown="error", sparse_output=False, dtype=np.float32).fit(rows[COLUMNS])
booster = xgb.Booster(model_file=os.path.join(ROOT, "models/car-evaluation/xgboost.json"))
booster.set_param({"nthread": 1})

app = Flask(__name__)


@app.get("/ping")
def ping():
    return Response(status=200)


@app.post("/invocations")
def invocations():
    if request.content_type.split(";")[0].strip() != "text/csv":
        return Response("unsupported content type", status=415)
    frame = pd.read_csv(io.StringIO(request.get_data(as_text=True)), header=None, names=COLUMNS, dtype=str)
    try:
        features = encoder.transform(frame)
    except ValueError as error:
        return Response(str(error), status=400)
    probabilities = booster.predict(xgb.DMatrix(features))
    labels = CLASSES[probabilities.argmax(axis=1)]
    out = io.StringIO()
    for label, row in zip(labels, probabilities):
        out.write(label + "," + ",".join(repr(float(np.float32(p))) for p in row) + "\n")
    return Response(out.getvalue(), mimetype="text/csv")
