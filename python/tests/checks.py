"""What the engine checks (spark_check.py, spark_scale_check.py, ray_check.py) share: `check`,
which prints one 'ok'/'FAIL' line per expectation, the closing 'N passed, N failed' line the Swift
suites look for, and where the Car dataset is."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
counts = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    if condition:
        counts["passed"] += 1
        print(f"ok   {name}", flush=True)
    else:
        counts["failed"] += 1
        print(f"FAIL {name}\n{detail}", flush=True)


def finish():
    """Prints the summary line; the exit status (1 when anything failed)."""
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    return 1 if counts["failed"] else 0


def car_csv():
    """../shared/datasets/car-evaluation/car.csv beside the repository (or under /work/shared)."""
    path = ROOT.parent / "shared/datasets/car-evaluation/car.csv"
    return path if path.exists() else Path("/work/shared/datasets/car-evaluation/car.csv")


def car_table():
    """The 1,728 Car rows' six input columns as a pyarrow Table of strings."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    strings = pacsv.ConvertOptions(column_types={n: pa.string() for n in INPUTS + ["class"]})
    return pacsv.read_csv(car_csv(), convert_options=strings).select(INPUTS)
