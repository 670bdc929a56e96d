"""Writes a Car-like CSV (the six car-evaluation columns, rows drawn at
random from their categories, seed 7) of at least SIZE bytes.

  generate.py OUTPUT.csv SIZE_BYTES   -> prints the row count
"""
import random
import sys

VALUES = [
    ["vhigh", "high", "med", "low"], ["vhigh", "high", "med", "low"], ["2", "3", "4", "5more"],
    ["2", "4", "more"], ["small", "med", "big"], ["low", "med", "high"],
]
random.seed(7)
pool = [",".join(random.choice(v) for v in VALUES) + "\n" for _ in range(100_000)]
block = "".join(pool).encode()
target, size = sys.argv[1], int(sys.argv[2])
rows = written = 0
with open(target, "wb") as out:
    while written < size:
        out.write(block)
        written += len(block)
        rows += len(pool)
print(rows)
