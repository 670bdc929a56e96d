"""The same job the way users write it in Python: pandas read_csv in
chunks, the car pipeline's preprocessing with scikit-learn (one-hot
encoding, categories in the MLeap bundle's order), xgboost inplace_predict,
then the class name and the four probabilities written as CSV.

  baseline.py INPUT.csv OUTPUT.csv
Runs in training/.venvs/bench (benchmarks/transform/requirements.txt; run.sh creates it).
"""
import sys

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.preprocessing import OneHotEncoder

COLUMNS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
# The string_indexer label order of features.zip: each column's values sorted.
CATEGORIES = [
    ["high", "low", "med", "vhigh"],
    ["high", "low", "med", "vhigh"],
    ["2", "3", "4", "5more"],
    ["2", "4", "more"],
    ["big", "med", "small"],
    ["high", "low", "med"],
]
LABELS = np.array(["acc", "good", "unacc", "vgood"])


def main(source, target):
    # 21 features: every category of every column, as features.zip lays them out.
    encoder = OneHotEncoder(categories=CATEGORIES, dtype=np.float32,
                            sparse_output=False, handle_unknown="error")
    encoder.fit(pd.DataFrame([[c[0] for c in CATEGORIES]], columns=COLUMNS))
    booster = xgb.Booster(model_file=sys.argv[3] if len(sys.argv) > 3 else "models/car-evaluation/xgboost.json")
    with open(target, "w") as out:
        for chunk in pd.read_csv(source, header=None, names=COLUMNS, dtype=str, chunksize=200_000):
            features = encoder.transform(chunk)
            probabilities = booster.inplace_predict(features)
            frame = pd.DataFrame(probabilities)
            frame.insert(0, "class", LABELS[probabilities.argmax(axis=1)])
            frame.to_csv(out, header=False, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
