"""1,000 slowloris clients: each sends a CSV request head declaring a
28-byte body, then trickles the body one byte every --interval seconds
(28 bytes over ~20 s by default). None may be scored: each must end with a
408 (or a closed connection), while /ping is probed every 100 ms and RSS is
sampled. Also 1,000 half-sent heads that never finish.

    python3 benchmarks/hostile/slowloris.py [--clients 1000] [--interval 0.72] [serve args...]
"""
import argparse
import collections
import threading
import time

import common

BODY = b"low,low,5more,more,big,high\n"


def trickler(port, interval, outcomes, lock, half_head):
    try:
        sock = common.connect(port, timeout=60)
    except OSError:
        with lock:
            outcomes["connect failed"] += 1
        return
    start = time.monotonic()
    try:
        if half_head:
            sock.sendall(b"POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n")
            data = sock.recv(4096)  # blocks until the server answers or closes
        else:
            sock.sendall(b"POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 28\r\n\r\n")
            sock.settimeout(interval)
            data = b""
            for index in range(len(BODY)):
                try:
                    sock.sendall(BODY[index:index + 1])
                except OSError:
                    break
                try:
                    data = sock.recv(4096)
                    break  # answered (or closed) before the body was complete
                except TimeoutError:
                    continue
            if not data:
                sock.settimeout(60)
                data = sock.recv(4096)
        elapsed = time.monotonic() - start
        status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "closed"
    except OSError as error:
        elapsed = time.monotonic() - start
        status = f"error {type(error).__name__}"
    finally:
        sock.close()
    with lock:
        outcomes[status] += 1
        outcomes.setdefault("_seconds", []).append(elapsed)


def run(port, clients, interval, half_head):
    outcomes = collections.Counter()
    lock = threading.Lock()
    threads = [threading.Thread(target=trickler, args=(port, interval, outcomes, lock, half_head), daemon=True)
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    seconds = sorted(outcomes.pop("_seconds", []))
    return outcomes, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=20 / 28)
    options, serve_args = parser.parse_known_args()
    common.raise_fd_limit()
    server = common.Server(*serve_args)
    probe = common.Probe(server.port)
    rss = common.RSSSampler(server)
    probe.start()
    rss.start()
    time.sleep(1)
    for half_head in (False, True):
        start = time.monotonic()
        outcomes, seconds = run(server.port, options.clients, options.interval, half_head)
        what = "half-sent heads" if half_head else f"bodies of 28 bytes trickled over {options.interval * 28:.0f} s"
        print(f"slowloris: {options.clients} {what}: outcomes {dict(outcomes)}; "
              f"each ended after {seconds[0]:.1f}-{seconds[-1]:.1f} s; all done in {time.monotonic() - start:.1f} s")
    scored = common.post(server.port, BODY)
    probe.stop()
    rss.stop()
    print(f"  afterwards a normal request: {scored[0]} {scored[1][:40]!r}")
    print(f"  server RSS: peak {rss.peak():.0f} MB")
    print(f"  /ping {probe.summary()}")
    print(f"  exit status after SIGTERM: {server.stop()}; {common.uptime()}")


if __name__ == "__main__":
    main()
