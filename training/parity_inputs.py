"""Example input for the 52 Spark parity bundles (shared/mleap-bundles/mleap-docs-spark-parity-52):
the first rows of MLeap's own lending_club_sample.avro, which the parity specs read, decoded
with fastavro and written as a LeapFrame (MLeap's JSON frame) so the survey test can run them.

Run:  training/run.sh parity   (or: training/.venvs/main/bin/python training/parity_inputs.py)
Writes Tests/Fixtures/spark-parity/lending_club_sample.json
"""
import json
import os

import fastavro

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(REPO, "..", "shared", "mleap-bundles", "mleap-docs-spark-parity-52", "input_data",
                      "lending_club_sample.avro")
OUT = os.path.join(REPO, "Tests", "Fixtures", "spark-parity", "lending_club_sample.json")
ROWS = 50
TYPES = {"string": "string", "double": "double", "long": "long", "int": "int"}


def main():
    with open(SOURCE, "rb") as f:
        reader = fastavro.reader(f)
        fields = reader.writer_schema["fields"]
        records = [record for _, record in zip(range(ROWS), reader)]
    schema = []
    for field in fields:
        base = [t for t in field["type"] if t != "null"][0] if isinstance(field["type"], list) else field["type"]
        schema.append({"name": field["name"], "type": TYPES[base]})
    frame = {"schema": {"fields": schema}, "rows": [[r[f["name"]] for f in schema] for r in records]}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(frame, f, indent=None)
        f.write("\n")
    print(f"wrote {len(records)} rows, fields {[f['name'] for f in schema]}")


if __name__ == "__main__":
    main()
