"""Checks `conveyor transform --explain --accept application/jsonlines` output
for the Car model: every line's class equals the expected class of its input
row, and each output's explanation adds up to the margin whose softmax is the
expected probabilities (models/car-evaluation/expected.csv, written by the
training frameworks): softmax(base + sum of the columns) within 1e-5. As in
check.py, the first block of 100,000 rows is checked line by line and the
rest must repeat it byte for byte.

  check_explain.py INPUT.csv OUTPUT.jsonl [EXPECTED.csv]   -> exits non-zero on a mismatch
"""
import csv
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../Tests/Support"))
from numeric_compare import compare  # noqa: E402  (the shared NaN-safe comparison)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blocks import BLOCK_ROWS, rest_repeats  # noqa: E402

COLUMNS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
CLASSES = ["acc", "good", "unacc", "vgood"]  # the label indexer's order: prob_0..prob_3
source, output = sys.argv[1], sys.argv[2]
expected_path = sys.argv[3] if len(sys.argv) > 3 else "models/car-evaluation/expected.csv"
expected = {}
with open(expected_path) as file:
    for row in csv.DictReader(file):
        expected[",".join(row[c] for c in COLUMNS)] = (row["predicted_label"], [float(row[f"prob_{i}"]) for i in range(4)])


def softmax(margins):
    top = max(margins)
    exps = [math.exp(m - top) for m in margins]
    return [e / sum(exps) for e in exps]


with open(source) as inputs, open(output, "rb") as outputs:
    block = bytearray()
    for number in range(1, BLOCK_ROWS + 1):
        features = inputs.readline().rstrip("\n")
        line = outputs.readline()
        if not features or not line:
            sys.exit(f"{output}: ends before row {number}")
        block += line
        record = json.loads(line)
        label, probabilities = expected[features]
        explanation = record["explanation"]
        if record["predicted_class"] != label or explanation["outputs"] != CLASSES \
                or sorted(explanation["columns"]) != sorted(COLUMNS):
            sys.exit(f"{output} row {number}: {line[:200]!r} for {features}, expected {label}")
        margins = [explanation["base"][k] + sum(values[k] for values in explanation["columns"].values())
                   for k in range(len(CLASSES))]
        result = compare(softmax(margins), probabilities, absolute=1e-5, label=f"row {number} softmax of the sums")
        if not result.matches:
            sys.exit(f"{output} row {number}: {result}")
    rows = rest_repeats(outputs, block, output)
print(f"{output}: all {rows} rows equal the expected predictions and their explanations add up to them")
