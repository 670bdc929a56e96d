"""64 concurrent 5.9 MB CSV requests (rows from the Car Evaluation data),
--rounds times, while /ping is probed every 100 ms and RSS is sampled.
Reports statuses (200, or 503 when the in-flight budget is full), that every
200 answers every row, RSS peak and RSS afterwards.

    python3 benchmarks/hostile/big_requests.py [--concurrent 64] [--mb 5.9] [--rounds 2] [serve args...]
"""
import argparse
import collections
import threading
import time

import common


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrent", type=int, default=64)
    parser.add_argument("--mb", type=float, default=5.9)
    parser.add_argument("--rounds", type=int, default=2)
    options, serve_args = parser.parse_known_args()
    body = common.csv_body(int(options.mb * 1_000_000))
    rows = body.count(b"\n")
    server = common.Server(*serve_args)
    probe = common.Probe(server.port)
    rss = common.RSSSampler(server, interval=0.2)
    probe.start()
    rss.start()
    time.sleep(1)
    print(f"big requests: {options.concurrent} concurrent POSTs of {len(body) / 1e6:.2f} MB ({rows} rows), "
          f"{options.rounds} rounds; idle RSS {server.rss_mb():.0f} MB")
    for round_number in range(1, options.rounds + 1):
        statuses = collections.Counter()
        wrong = []
        seconds = []
        lock = threading.Lock()

        def one():
            start = time.monotonic()
            try:
                status, data = common.post(server.port, body, timeout=300)
            except Exception as error:  # noqa: BLE001 - counted as an outcome
                status, data = f"error {type(error).__name__}", b""
            with lock:
                statuses[status] += 1
                seconds.append(time.monotonic() - start)
                if status == 200 and data.count(b"\n") != rows:
                    wrong.append(data.count(b"\n"))

        start = time.monotonic()
        peak_before = rss.peak()
        threads = [threading.Thread(target=one) for _ in range(options.concurrent)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
        time.sleep(3)
        print(f"  round {round_number}: statuses {dict(statuses)} in {elapsed:.1f} s "
              f"(each {min(seconds):.1f}-{max(seconds):.1f} s); answers with a wrong row count: {len(wrong)}; "
              f"RSS peak so far {max(rss.peak(), peak_before):.0f} MB, 3 s after {server.rss_mb():.0f} MB")
    probe.stop()
    rss.stop()
    print(f"  server RSS: peak {rss.peak():.0f} MB, at the end {server.rss_mb():.0f} MB")
    print(f"  /ping {probe.summary()}")
    print(f"  exit status after SIGTERM: {server.stop()}; {common.uptime()}")


if __name__ == "__main__":
    main()
