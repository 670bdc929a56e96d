"""SIGTERM while uploads are stalled mid-body: the server must exit within
its drain timeout (default 20 s; here --drain-timeout, default 5) even
though the uploads never finish. Also holds idle connections, which must be
closed at once.

    python3 benchmarks/hostile/sigterm_stalled.py [--stalled 100] [--drain-timeout 5] [serve args...]
"""
import argparse
import time

import common


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stalled", type=int, default=100)
    parser.add_argument("--idle", type=int, default=100)
    parser.add_argument("--drain-timeout", type=float, default=5)
    options, serve_args = parser.parse_known_args()
    server = common.Server("--drain-timeout", str(options.drain_timeout), "--body-timeout", "600", *serve_args)
    probe = common.Probe(server.port)
    probe.start()
    stalled = []
    for _ in range(options.stalled):
        sock = common.connect(server.port)
        sock.sendall(b"POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n"
                     + b"low,low,5more,more,big,high\n")
        stalled.append(sock)
    idle = [common.connect(server.port) for _ in range(options.idle)]
    time.sleep(2)
    probe.stop()
    start = time.monotonic()
    server.process.send_signal(15)
    try:
        code = server.process.wait(timeout=options.drain_timeout + 30)
    except Exception:  # noqa: BLE001
        code = "still running"
        server.process.kill()
    elapsed = time.monotonic() - start
    print(f"SIGTERM with {options.stalled} uploads stalled mid-body and {options.idle} idle connections, "
          f"--drain-timeout {options.drain_timeout:g}: exited {code} after {elapsed:.2f} s")
    print(f"  /ping before SIGTERM {probe.summary()}")
    print(f"  {common.uptime()}")
    for sock in stalled + idle:
        sock.close()


if __name__ == "__main__":
    main()
