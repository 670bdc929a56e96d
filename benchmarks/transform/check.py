"""Checks a job's output against the expected predictions of the Car model
(models/car-evaluation/expected.csv, written by training/car_evaluation.py
from the training frameworks): every row's class must equal the expected
class of its input row, and the four probabilities must agree within 1e-6.
generate.py repeats one block of 100,000 rows, so the first block is checked
row by row and the rest of the output must repeat it byte for byte.

  check.py INPUT.csv OUTPUT.csv [EXPECTED.csv]   -> exits non-zero on a mismatch
"""
import csv
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../Tests/Support"))
from numeric_compare import compare  # noqa: E402  (the shared NaN-safe comparison)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blocks import BLOCK_ROWS, rest_repeats  # noqa: E402

source, output = sys.argv[1], sys.argv[2]
expected_path = sys.argv[3] if len(sys.argv) > 3 else "models/car-evaluation/expected.csv"
expected = {}
with open(expected_path) as file:
    for row in csv.DictReader(file):
        key = ",".join(row[c] for c in ["buying", "maint", "doors", "persons", "lug_boots", "safety"])
        expected[key] = (row["predicted_label"], [row[f"prob_{i}"] for i in range(4)])

with open(source) as inputs, open(output, "rb") as outputs:
    block = bytearray()
    for number in range(1, BLOCK_ROWS + 1):
        features = inputs.readline().rstrip("\n")
        line = outputs.readline()
        if not features or not line:
            sys.exit(f"{output}: ends before row {number}")
        block += line
        fields = line.decode().rstrip("\n").split(",")
        label, probabilities = expected[features]
        result = compare(fields[1:], probabilities, absolute=1e-6, label=f"row {number} probabilities")
        if fields[0] != label or not result.matches:
            sys.exit(f"{output} row {number}: {line!r} for {features}, expected {label} {probabilities}: {result}")
    rows = rest_repeats(outputs, block, output)
print(f"{output}: all {rows} rows equal the expected predictions")
