"""Shared helpers for the hostile-client benchmarks (python3 stdlib only).

Starts `conveyor serve`, probes /ping every 100 ms (on a kept-alive
connection and on a fresh one), samples the server's RSS, and summarises.
"""
import encodings.idna  # noqa: F401 - imported before threads and forks: a lazy import there fails with LookupError
import http.client
import itertools
import os
import signal
import socket
import statistics
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CAR_CSV = os.path.join(ROOT, "..", "shared", "datasets", "car-evaluation", "car.csv")


def conveyor_binary():
    return os.environ.get("CONVEYOR", os.path.join(ROOT, ".build", "release", "conveyor"))


class Server:
    """`conveyor serve --port 0 ARGS`; `port` read from its one stdout line."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [conveyor_binary(), "serve", "--port", "0", *args], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        self.port = int(line.strip().rsplit(":", 1)[1])
        self.pid = self.process.pid

    def rss_mb(self):
        try:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except FileNotFoundError:
            return None
        return None

    def open_fds(self):
        try:
            return len(os.listdir(f"/proc/{self.pid}/fd"))
        except (FileNotFoundError, PermissionError):
            return None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.returncode


class Probe(threading.Thread):
    """GET /ping every 100 ms, on a kept-alive connection (as a load balancer's
    health check) and on a fresh connection; records latency or failure."""

    def __init__(self, port, fresh=True):
        super().__init__(daemon=True)
        self.port = port
        self.fresh = fresh
        self.kept = []   # seconds, or None for a failure
        self.new = []
        self.began = time.monotonic()
        self.slow = []   # (kind, seconds since start, latency) of probes over 100 ms or failed
        self.stopped = threading.Event()
        self.connection = None

    def ping_kept(self):
        start = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            self.connection.request("GET", "/ping")
            response = self.connection.getresponse()
            response.read()
            ok = response.status == 200
        except Exception:
            ok = False
            self.connection = None
        return time.monotonic() - start if ok else None

    def ping_fresh(self):
        start = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/ping", headers={"Connection": "close"})
            response = connection.getresponse()
            response.read()
            connection.close()
            ok = response.status == 200
        except Exception:
            ok = False
        return time.monotonic() - start if ok else None

    def run(self):
        while not self.stopped.is_set():
            tick = time.monotonic()
            self.record("kept-alive", self.kept, self.ping_kept())
            if self.fresh:
                self.record("fresh", self.new, self.ping_fresh())
            time.sleep(max(0, 0.1 - (time.monotonic() - tick)))

    def record(self, kind, samples, latency):
        samples.append(latency)
        if latency is None or latency > 0.1:
            self.slow.append((kind, time.monotonic() - self.began, latency))

    def stop(self):
        self.stopped.set()
        self.join(timeout=10)

    @staticmethod
    def describe(samples):
        ok = sorted(s for s in samples if s is not None)
        failed = len(samples) - len(ok)
        if not ok:
            return f"{len(samples)} probes, all failed"
        p99 = ok[min(len(ok) - 1, int(len(ok) * 0.99))]
        over = sum(1 for s in ok if s > 0.1)
        return (f"{len(samples)} probes, {failed} failed, {over} over 100 ms; "
                f"median {statistics.median(ok) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {ok[-1] * 1000:.1f} ms")

    def summary(self):
        text = "kept-alive: " + self.describe(self.kept)
        if self.fresh:
            text += "\n  fresh connection: " + self.describe(self.new)
        if self.slow:
            text += "\n  over 100 ms or failed, at: " + ", ".join(
                f"{kind} {at:.1f} s ({'failed' if latency is None else f'{latency * 1000:.0f} ms'})"
                for kind, at, latency in self.slow[:20])
        return text


class RSSSampler(threading.Thread):
    def __init__(self, server, interval=0.5):
        super().__init__(daemon=True)
        self.server = server
        self.interval = interval
        self.samples = []  # (seconds since start, MB)
        self.stopped = threading.Event()
        self.start_time = time.monotonic()

    def run(self):
        while not self.stopped.is_set():
            rss = self.server.rss_mb()
            if rss is not None:
                self.samples.append((time.monotonic() - self.start_time, rss))
            time.sleep(self.interval)

    def stop(self):
        self.stopped.set()
        self.join(timeout=5)

    def peak(self):
        return max((mb for _, mb in self.samples), default=0)


def csv_rows():
    """The Car Evaluation inputs (six columns, no label), repeated forever."""
    with open(CAR_CSV) as source:
        lines = source.read().split("\n")[1:]
    return itertools.cycle([line.rsplit(",", 1)[0] for line in lines if line])


def csv_body(size_bytes):
    out, size = [], 0
    for row in csv_rows():
        if size + len(row) + 1 > size_bytes:
            break
        out.append(row)
        size += len(row) + 1
    return ("\n".join(out) + "\n").encode()


def post(port, body, content_type="text/csv", path="/invocations", headers=None, timeout=120):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    all_headers = {"Content-Type": content_type}
    all_headers.update(headers or {})
    connection.request("POST", path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def raise_fd_limit():
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def uptime():
    with open("/proc/loadavg") as load:
        return "load average " + " ".join(load.read().split()[:3])


def connect(port, timeout=10):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock
