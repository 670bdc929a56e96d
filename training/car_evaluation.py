"""Train the car-evaluation example: scikit-learn preprocessing exported as an MLeap
bundle (mleap 0.25.3), an XGBoost 3.0.5 multi:softprob classifier, and an MLeap
label-decoding bundle. Writes expected outputs computed by the real producers.

Run from anywhere:  training/run.sh car   (or: training/.venvs/main/bin/python training/car_evaluation.py)
Outputs (paths relative to the repo root):
  models/car-evaluation/features.zip          MLeap bundle (JSON format): 6x string_indexer + 6x one_hot_encoder + vector_assembler -> "features"
  models/car-evaluation/xgboost.json          XGBoost model (JSON)
  models/car-evaluation/labels.zip            MLeap bundle: reverse_string_indexer predicted_label (double) -> predicted_class (string)
  models/car-evaluation/expected.csv          all 1,728 rows: inputs, class, predicted_label (name), predicted_index, prob_0..prob_3
  models/car-evaluation/features_expected.csv first 50 rows: inputs + f0..f20 (the assembled feature vector)
  pipelines/car-evaluation-sklearn.json               the Conveyor pipeline definition
"""
import csv
import json
import os
import shutil
import tempfile
import warnings
import zipfile

import numpy as np
import pandas as pd
import sklearn
import xgboost as xgb
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import LabelEncoder as SkLabelEncoder
from sklearn.preprocessing import OneHotEncoder

import mleap
import mleap.sklearn.feature_union  # noqa: F401  (adds serialize_to_bundle to FeatureUnion)
import mleap.sklearn.pipeline  # noqa: F401  (adds serialize_to_bundle to Pipeline)
from mleap.sklearn.preprocessing.data import FeatureExtractor, LabelEncoder, ReshapeArrayToN1

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "..", "shared", "datasets", "car-evaluation", "car.csv")
OUT = os.path.join(REPO, "models", "car-evaluation")
PIPE = os.path.join(REPO, "pipelines", "car-evaluation.json")
INPUTS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
LABEL = "class"
SEED = 42
# mleap's LabelEncoder is fed (n, 1) frames and calls column_or_1d(warn=True): harmless.
warnings.filterwarnings("ignore", category=DataConversionWarning)

# --- mleap 0.25.3 on scikit-learn >= 1.2: monkeypatch -------------------------------
# FeatureExtractor.assign_input_shapes() sizes each one-hot input vector as
# `OneHotEncoder.n_values_[0] - 1`; scikit-learn removed `n_values_` in 1.2. The encoders
# here use handle_unknown='error' (mleap writes drop_last=false), so the true vector
# width is the number of categories. Provide n_values_ = [width + 1] so mleap computes
# the true width; main() checks the written input_shapes against the real widths.
OneHotEncoder.n_values_ = property(lambda self: [len(self.categories_[0]) + 1])


class ReverseLabelEncoder(LabelEncoder):
    """mleap's Python package has no writer for MLeap's `reverse_string_indexer`
    (Spark's IndexToString). This reuses mleap's own LabelEncoder/MLeapSerializer code
    and only changes the op name and the attributes: MLeap's ReverseStringIndexerOp
    reads just `labels` (a string list), as in Spark-written bundles."""

    def __init__(self, input_features=None, output_features=None):
        super().__init__(input_features, output_features)
        self.op = "reverse_string_indexer"
        self.name = "reverse_string_indexer_" + output_features

    def transform(self, y):
        # (mleap's LabelEncoder.inverse_transform does `if diff:` on an array, which
        # raises on numpy >= 1.x for non-empty input; index classes_ directly.)
        idx = np.asarray(y, dtype=np.float64).ravel()
        assert np.all(idx == np.round(idx)) and idx.min() >= 0 and idx.max() < len(self.classes_)
        return self.classes_[idx.astype(np.int64)]

    def serialize_to_bundle(self, path, model_name):
        inputs = [{"name": self.input_features[0], "port": "input"}]
        outputs = [{"name": self.output_features, "port": "output"}]
        self.serialize(self, path, model_name, [("labels", self.classes_.tolist())], inputs, outputs)


class SelectColumn(BaseEstimator, TransformerMixin):
    """Plain scikit-learn glue: picks one column of the input DataFrame. It has an `op`
    (mleap's pipeline writer reads `op` of every step) but no serialize_to_bundle, so
    mleap writes nothing for it: in the bundle the string_indexer reads the column."""
    op = "select_column"

    def __init__(self, col=None):
        self.col = col

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X[[self.col]]


def column_pipeline(col):
    """select column (not serialized) -> string_indexer -> reshape (not serialized)
    -> one_hot_encoder."""
    select = SelectColumn(col)
    indexer = LabelEncoder(input_features=[col], output_features=col + "_index")
    indexer.name = "string_indexer_" + col
    ohe = OneHotEncoder(sparse_output=False)
    ohe.mlinit(prior_tf=indexer, output_features=col + "_vec")
    ohe.name = "one_hot_encoder_" + col
    pipe = Pipeline([("select_" + col, select), (indexer.name, indexer),
                     ("reshape_" + col, ReshapeArrayToN1()), (ohe.name, ohe)])
    pipe.mlinit()
    pipe.name = "pipeline_" + col
    return pipe, ohe


def write_bundle(pipeline, name, dest):
    """Serialize with mleap (JSON format, zipped by mleap) and copy the zip to dest."""
    tmp = tempfile.mkdtemp()
    try:
        pipeline.serialize_to_bundle(tmp, name, init=True)
        shutil.copyfile(os.path.join(tmp, name + ".zip"), dest)
    finally:
        shutil.rmtree(tmp)
    with zipfile.ZipFile(dest) as z:
        bundle = json.loads(z.read("bundle.json"))
        assert bundle["format"] == "json", bundle
        return {n: json.loads(z.read(n)) for n in z.namelist() if n.endswith(".json")}


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(os.path.dirname(PIPE), exist_ok=True)
    df = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    assert list(df.columns) == INPUTS + [LABEL] and len(df) == 1728, df.shape

    # ---- features: FeatureUnion of per-column pipelines, then the vector assembler
    col_pipes, ohes = zip(*(column_pipeline(c) for c in INPUTS))
    union = FeatureUnion([(p.name, p) for p in col_pipes])
    union.mlinit()
    assembler = FeatureExtractor(input_vectors=list(ohes), output_vector="features")
    assembler.skip_fit_transform = True  # input is the union's ndarray
    assembler.name = "vector_assembler_features"
    features_pipe = Pipeline([(union.name, union), (assembler.name, assembler)])
    features_pipe.mlinit()
    features_pipe.name = "car_evaluation_features"
    X = np.asarray(features_pipe.fit_transform(df[INPUTS]), dtype=np.float64)
    widths = [len(o.categories_[0]) for o in ohes]
    assert X.shape == (1728, sum(widths)), X.shape

    models = write_bundle(features_pipe, features_pipe.name, os.path.join(OUT, "features.zip"))
    va = models["root/vector_assembler_features.node/model.json"]
    written = [s["tensorShape"]["dimensions"][0]["size"] for s in va["attributes"]["input_shapes"]["data_shape"]]
    assert written == widths, (written, widths)

    # ---- classifier
    label_encoder = SkLabelEncoder().fit(df[LABEL])
    y = label_encoder.transform(df[LABEL])
    clf = xgb.XGBClassifier(objective="multi:softprob", n_estimators=50, max_depth=4,
                            learning_rate=0.3, random_state=SEED, tree_method="hist")
    clf.fit(X, y)
    clf.get_booster().save_model(os.path.join(OUT, "xgboost.json"))
    probs = clf.predict_proba(X)
    pred_index = probs.argmax(axis=1)
    pred_label = label_encoder.inverse_transform(pred_index)

    # ---- labels: reverse_string_indexer fitted on the same class labels
    rsi = ReverseLabelEncoder(input_features=["predicted_label"], output_features="predicted_class")
    rsi.fit(df[LABEL])
    assert list(rsi.classes_) == list(label_encoder.classes_)
    labels_pipe = Pipeline([(rsi.name, rsi)])
    labels_pipe.mlinit()
    labels_pipe.name = "car_evaluation_labels"
    write_bundle(labels_pipe, labels_pipe.name, os.path.join(OUT, "labels.zip"))
    assert list(labels_pipe.transform(pred_index.astype(np.float64))) == list(pred_label)

    # ---- expected outputs
    with open(os.path.join(OUT, "expected.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(INPUTS + [LABEL, "predicted_label", "predicted_index"] + [f"prob_{k}" for k in range(probs.shape[1])])
        for i in range(len(df)):
            w.writerow(list(df.iloc[i][INPUTS + [LABEL]]) + [pred_label[i], int(pred_index[i])]
                       + [repr(float(p)) for p in probs[i]])
    with open(os.path.join(OUT, "features_expected.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(INPUTS + [f"f{j}" for j in range(X.shape[1])])
        for i in range(50):
            w.writerow(list(df.iloc[i][INPUTS]) + [repr(float(v)) for v in X[i]])

    # ---- pipeline definition (column names as written in the bundles)
    pipeline = {
        "name": "car-evaluation-sklearn",
        "description": "UCI Car Evaluation: MLeap (scikit-learn) one-hot features -> XGBoost multi:softprob "
                       "(4 classes) -> MLeap reverse_string_indexer to the class name. "
                       "Generated by training/car_evaluation.py.",
        "stages": [
            {"name": "features", "kind": "mleap", "model": "../models/car-evaluation/features.zip",
             "schema": {"input": [{"name": c, "type": "string"} for c in INPUTS],
                        "output": {"name": assembler.output_vector, "type": "double", "struct": "vector"}}},
            {"name": "classifier", "kind": "xgboost", "model": "../models/car-evaluation/xgboost.json",
             "input": "features", "outputs": ["predicted_label", "probabilities"]},
            {"name": "labels", "kind": "mleap", "model": "../models/car-evaluation/labels.zip",
             "schema": {"input": [{"name": rsi.input_features[0], "type": "double"}],
                        "output": {"name": rsi.output_features, "type": "string"}}},
        ],
        "output": [rsi.output_features, "probabilities"],
    }
    with open(PIPE, "w") as f:
        json.dump(pipeline, f, indent=2)
        f.write("\n")

    acc = float((pred_index == y).mean())
    print(f"sklearn {sklearn.__version__}, pandas {pd.__version__}, mleap {mleap.__version__ if hasattr(mleap, '__version__') else '?'}, "
          f"xgboost {xgb.__version__}")
    print("label classes (index order):", list(label_encoder.classes_))
    print("one-hot widths:", widths, "total", sum(widths))
    print(f"training accuracy {acc:.4f}")


if __name__ == "__main__":
    main()
