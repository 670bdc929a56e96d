"""What the output checkers share: generate.py repeats one block of 100,000
input rows, so an output is checked line by line over its first block and
must then repeat that block's bytes."""
import sys

BLOCK_ROWS = 100_000  # generate.py's pool


def rest_repeats(outputs, block, path):
    """Reads the rest of `outputs` in block-sized chunks, each equal to `block`; returns the rows seen in all."""
    rows = BLOCK_ROWS
    while True:
        chunk = outputs.read(len(block))
        if not chunk:
            return rows
        if chunk != block:
            sys.exit(f"{path}: the block of rows {rows + 1}… differs from the first block")
        rows += BLOCK_ROWS
