"""Soak: holds `conveyor serve` at saturation for --seconds (default 600)
with a mix of good and malformed requests, checking every status against
the one expected for its kind, sampling RSS every second. Passes when no
status is unexpected and RSS after warm-up grows by at most 5 %.

    python3 benchmarks/hostile/soak.py [--seconds 600] [--warmup 60] [--processes 2] [--threads 16] [serve args...]
"""
import argparse
import collections
import http.client
import json
import multiprocessing
import random
import statistics
import threading
import time

import common

GOOD = "low,low,5more,more,big,high"


def kinds():
    rows = common.csv_rows()
    hundred = ("\n".join(next(rows) for _ in range(100)) + "\n").encode()
    big = common.csv_body(1_000_000)
    json_body = json.dumps({"data": [GOOD.split(","), "vhigh,vhigh,2,2,small,low".split(",")]}).encode()
    lines = ("\n".join(json.dumps(next(rows).split(",")) for _ in range(20)) + "\n").encode()
    csv = {"Content-Type": "text/csv"}
    # name: (weight, method, path, headers, body, expected status)
    return {
        "csv 1 row": (30, "POST", "/invocations", csv, (GOOD + "\n").encode(), 200),
        "csv 100 rows": (20, "POST", "/invocations", csv, hundred, 200),
        "json 2 rows": (10, "POST", "/invocations", {"Content-Type": "application/json", "Accept": "application/json"}, json_body, 200),
        "jsonlines 20 rows": (5, "POST", "/invocations", {"Content-Type": "application/jsonlines", "Accept": "application/jsonlines"}, lines, 200),
        "csv 1 MB": (1, "POST", "/invocations", csv, big, 200),
        "runtime api": (5, "POST", "/endpoints/car-evaluation-sklearn/invocations", csv, (GOOD + "\n").encode(), 200),
        "ping": (5, "GET", "/ping", {}, None, 200),
        "unseen label": (8, "POST", "/invocations", csv, b"low,low,5more,more,huge,high\n", 400),
        "wrong width": (5, "POST", "/invocations", csv, b"low,low,5more\n", 400),
        "invalid utf-8": (3, "POST", "/invocations", csv, b"l\xffw,low,5more,more,big,high\n", 400),
        "bad json": (3, "POST", "/invocations", {"Content-Type": "application/json"}, b'{"data": [', 400),
        "empty body": (2, "POST", "/invocations", csv, b"", 400),
        "unsupported type": (3, "POST", "/invocations", {"Content-Type": "application/xml"}, b"<a/>", 415),
        "unsupported accept": (2, "POST", "/invocations", {"Content-Type": "text/csv", "Accept": "image/png"}, (GOOD + "\n").encode(), 406),
        "unknown route": (2, "GET", "/nope", {}, None, 404),
        "unknown endpoint": (2, "POST", "/endpoints/nope/invocations", csv, (GOOD + "\n").encode(), 404),
        "oversize 7 MB": (0.2, "POST", "/invocations", csv, b"x" * (7 * 1024 * 1024), 413),
        "bad chunk size": (2, "RAW", None, None,
                           b"POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        "header too large": (1, "RAW", None, None, b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n", 431),
        "http/1.0": (2, "RAW", None, None, b"GET /ping HTTP/1.0\r\n\r\n", 200),
        "abort mid-body": (1, "ABORT", None, None,
                           b"POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 1000\r\n\r\nlow,", None),
    }


def raw(port, payload):
    sock = common.connect(port, timeout=30)
    try:
        sock.sendall(payload)
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else "no answer"
    finally:
        sock.close()


def worker(port, deadline, table, seed, results):
    rng = random.Random(seed)
    names = list(table)
    weights = [table[name][0] for name in names]
    counts = collections.Counter()
    unexpected = collections.Counter()
    connection = None
    while time.monotonic() < deadline:
        name = rng.choices(names, weights)[0]
        _, method, path, headers, body, expected = table[name]
        try:
            if method == "RAW":
                status = raw(port, body)
            elif method == "ABORT":
                sock = common.connect(port)
                sock.sendall(body)
                sock.close()
                status = None
            else:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("connection", "").lower() == "close":
                    connection.close()
                    connection = None
        except Exception as error:  # noqa: BLE001 - an unexpected outcome, counted
            status = f"error {type(error).__name__}"
            if connection is not None:
                connection.close()
            connection = None
        counts[(name, str(status))] += 1
        if status != expected:
            unexpected[(name, str(status))] += 1
    results.put((counts, unexpected))


def run_process(port, deadline, threads, seed, results):
    table = kinds()
    local = []
    lock = threading.Lock()

    class Collector:
        def put(self, item):
            with lock:
                local.append(item)

    pool = [threading.Thread(target=worker, args=(port, deadline, table, seed * 1000 + index, Collector()))
            for index in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    counts, unexpected = collections.Counter(), collections.Counter()
    for c, u in local:
        counts.update(c)
        unexpected.update(u)
    results.put((counts, unexpected))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--warmup", type=float, default=60)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    options, serve_args = parser.parse_known_args()
    if "--pipeline" not in serve_args:
        # The scikit-learn Car pipeline refuses unseen labels (400); the
        # Spark one's indexers keep them.
        serve_args += ["--pipeline", "pipelines/car-evaluation-sklearn.json"]
    server = common.Server(*serve_args)
    rss = common.RSSSampler(server, interval=1.0)
    probe = common.Probe(server.port, fresh=False)
    rss.start()
    probe.start()
    start = time.monotonic()
    deadline = start + options.seconds
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=run_process, args=(server.port, deadline, options.threads, index + 1, results))
                 for index in range(options.processes)]
    for process in processes:
        process.start()
    gathered = [results.get(timeout=options.seconds + 300) for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.monotonic() - start
    probe.stop()
    rss.stop()
    counts, unexpected = collections.Counter(), collections.Counter()
    for c, u in gathered:
        counts.update(c)
        unexpected.update(u)
    total = sum(counts.values())
    after = [mb for t, mb in rss.samples if t >= options.warmup]
    first = [mb for t, mb in rss.samples if options.warmup <= t < options.warmup + 60]
    last = [mb for t, mb in rss.samples if t >= elapsed - 60]
    base, final = statistics.median(first), statistics.median(last)
    growth = (final / base - 1) * 100
    peak_growth = (max(after) / base - 1) * 100
    print(f"soak: {elapsed:.0f} s, {options.processes}x{options.threads} clients, {total} requests, "
          f"{total / elapsed:.0f} requests/s; unexpected statuses: {sum(unexpected.values())}")
    by_kind = collections.defaultdict(dict)
    for (name, status), count in sorted(counts.items()):
        by_kind[name][status] = count
    for name, statuses in by_kind.items():
        print(f"  {name}: {statuses}")
    if unexpected:
        print(f"  UNEXPECTED: {dict(unexpected)}")
    print(f"  RSS: warm-up ({options.warmup:.0f} s) median of the next minute {base:.1f} MB, "
          f"median of the last minute {final:.1f} MB: growth {growth:+.1f} %; max after warm-up {max(after):.1f} MB "
          f"({peak_growth:+.1f} %)")
    print("  RSS per minute: " + ", ".join(
        f"{statistics.median([mb for t, mb in rss.samples if m * 60 <= t < (m + 1) * 60]):.0f}"
        for m in range(int(elapsed // 60)) if any(m * 60 <= t < (m + 1) * 60 for t, _ in rss.samples)) + " MB")
    print(f"  /ping {probe.summary()}")
    print(f"  exit status after SIGTERM: {server.stop()}; {common.uptime()}")
    print("  PASS" if not unexpected and growth <= 5 else "  FAIL")


if __name__ == "__main__":
    main()
