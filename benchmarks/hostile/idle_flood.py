"""20,000 idle connections (opened by two processes, re-opened when the
server closes them) for --seconds, while /ping is probed every 100 ms and
the server's RSS and open descriptors are sampled.

    python3 benchmarks/hostile/idle_flood.py [--connections 20000] [--seconds 30] [serve args...]
"""
import argparse
import multiprocessing
import os
import selectors
import socket
import time

import common


def flood(port, count, seconds, results, cpus):
    common.raise_fd_limit()
    if cpus:
        os.sched_setaffinity(0, cpus)
    selector = selectors.DefaultSelector()
    opened = closed_by_server = failures = 0
    deadline = time.monotonic() + seconds

    def open_one():
        nonlocal opened, failures
        try:
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            selector.register(sock, selectors.EVENT_READ)
            opened += 1
        except OSError:
            failures += 1

    for _ in range(count):
        open_one()
    while time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            sock = key.fileobj
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if not data:
                closed_by_server += 1
                selector.unregister(sock)
                sock.close()
                open_one()  # keep the flood up
    held = len(selector.get_map())
    for key in list(selector.get_map().values()):
        key.fileobj.close()
    results.put((opened, closed_by_server, failures, held))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--flood-cpus", default="",
                        help="CPUs for the flooding processes, e.g. 1 (default: any): keeps them off the probe's and the server's")
    options, serve_args = parser.parse_known_args()
    server = common.Server(*serve_args)
    probe = common.Probe(server.port)
    rss = common.RSSSampler(server)
    probe.start()
    rss.start()
    time.sleep(1)
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=flood, args=(server.port, options.connections // 2, options.seconds, results,
                                                  {int(c) for c in options.flood_cpus.split(",") if c}))
               for _ in range(2)]
    max_fds = 0
    for worker in workers:
        worker.start()
    end = time.monotonic() + options.seconds + 5
    while any(worker.is_alive() for worker in workers) and time.monotonic() < end:
        max_fds = max(max_fds, server.open_fds() or 0)
        time.sleep(0.5)
    totals = [results.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join()
    time.sleep(1)
    probe.stop()
    rss.stop()
    after_fds = server.open_fds()
    after_rss = server.rss_mb()
    code = server.stop()
    opened = sum(t[0] for t in totals)
    print(f"idle flood: {options.connections} connections held for {options.seconds:.0f} s "
          f"(re-opened when closed): {opened} opened, {sum(t[1] for t in totals)} closed by the server, "
          f"{sum(t[2] for t in totals)} failed to open, {sum(t[3] for t in totals)} open at the end")
    print(f"  server open descriptors: max {max_fds}, after {after_fds}")
    print(f"  server RSS: peak {rss.peak():.0f} MB, after {after_rss:.0f} MB")
    print(f"  /ping {probe.summary()}")
    print(f"  exit status after SIGTERM: {code}; {common.uptime()}")


if __name__ == "__main__":
    main()
