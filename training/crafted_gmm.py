"""A hostile copy of a real Spark save (training/run.sh crafted-gmm): the GaussianMixtureModel
that training/spark_classes.py saved, with one covariance value replaced by NaN, written to
Tests/Fixtures/spark-classes-hostile/gaussian_mixture_nan_sigma/. Conveyor must refuse it at
load (its eigenvalue cut-off would otherwise skip the NaN and predict finite, wrong values)."""
import glob
import os
import shutil

import pyarrow.parquet as pq

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(REPO, "Tests", "Fixtures", "spark-classes", "gaussian_mixture")
OUT = os.path.join(REPO, "Tests", "Fixtures", "spark-classes-hostile", "gaussian_mixture_nan_sigma")

shutil.rmtree(OUT, ignore_errors=True)
shutil.copytree(SOURCE, OUT, ignore=shutil.ignore_patterns("*.crc"))
path = glob.glob(os.path.join(OUT, "data", "*.parquet"))[0]
table = pq.read_table(path)
rows = table.to_pylist()
rows[0]["sigmas"][0]["values"][0] = float("nan")
pq.write_table(type(table).from_pylist(rows, schema=table.schema), path)
print(f"wrote {path}")
