"""Runs one command and prints its wall time and peak RSS (from wait4's
ru_maxrss, which covers the process itself; the commands here do not fork),
with the 1-minute load average before it started (the machine is shared).

  measure.py LABEL ROWS BYTES [RUN] -- COMMAND...   -> one JSON line
"""
import json
import os
import subprocess
import sys
import time

split = sys.argv.index("--")
label, rows, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
run = int(sys.argv[4]) if split > 4 else None
command = sys.argv[split + 1:]
load = os.getloadavg()[0]
start = time.monotonic()
process = subprocess.Popen(command)
_, status, usage = os.wait4(process.pid, 0)
seconds = time.monotonic() - start
if status != 0:
    sys.exit(f"{label}: {' '.join(command)} exited with {status}")
print(json.dumps({
    "label": label, "run": run, "rows": rows, "bytes": size, "seconds": round(seconds, 2),
    "rows_per_s": round(rows / seconds), "mb_per_s": round(size / 1048576 / seconds, 2),
    "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
    "cpu_s": round(usage.ru_utime + usage.ru_stime, 2), "system_cpu_s": round(usage.ru_stime, 2),
    "minor_faults": usage.ru_minflt, "load1_before": round(load, 2),
}), flush=True)
