"""Checks a job's output against the expected predictions of the Car model
(models/car-evaluation/expected.csv, written by training/car_evaluation.py
from the training frameworks): every row's class must equal the expected
class of its input row, and the four probabilities must agree within 1e-6.
generate.py repeats one block of 100,000 rows, so the first block is checked
row by row and the rest of the output must repeat it byte for byte.

  check.py INPUT.csv OUTPUT.csv [EXPECTED.csv]   -> exits non-zero on a mismatch
"""
import csv
import sys

BLOCK_ROWS = 100_000  # generate.py's pool
source, output = sys.argv[1], sys.argv[2]
expected_path = sys.argv[3] if len(sys.argv) > 3 else "models/car-evaluation/expected.csv"
expected = {}
with open(expected_path) as file:
    for row in csv.DictReader(file):
        key = ",".join(row[c] for c in ["buying", "maint", "doors", "persons", "lug_boots", "safety"])
        expected[key] = (row["predicted_label"], [float(row[f"prob_{i}"]) for i in range(4)])

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
        if fields[0] != label or any(abs(float(a) - b) > 1e-6 for a, b in zip(fields[1:], probabilities)) \
                or len(fields) != 5:
            sys.exit(f"{output} row {number}: {line!r} for {features}, expected {label} {probabilities}")
    rows = BLOCK_ROWS
    while True:
        chunk = outputs.read(len(block))
        if not chunk:
            break
        if chunk != block:
            sys.exit(f"{output}: the block of rows {rows + 1}… differs from the first block")
        rows += BLOCK_ROWS
print(f"{output}: all {rows} rows equal the expected predictions")
