"""A fault-injecting HTTP proxy in front of an S3 API server (moto), for the
batch transform retry tests. It forwards every request unchanged (the Host
header too, so SigV4 signatures still verify) and injects faults into the
first N requests of a kind.

  fault_proxy.py PORT_FILE UPSTREAM RULE...

RULE is KIND=COUNT:FAULT. KIND is list, get, head, put, part, initiate,
complete, abort or uploads (ListMultipartUploads); COUNT is how many of
that kind fail first (-1: all of them; +N: every one after the first N);
FAULT is 503 (SlowDown), 500 (InternalError), reset (the connection is
reset before any answer) or cut (a GET answer is cut off after half its
body, then reset), slow (forwarded after a 100 ms pause: paces a job,
nothing fails) or hold (never forwarded: the request stays in flight for
60 s, then its connection is reset).
The proxy writes its port to PORT_FILE once listening, and after every
request PORT_FILE.stats: {"requests": {kind: n}, "faults": {kind: n}}.
"""
import http.client
import json
import os
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOCK = threading.Lock()
REQUESTS = {}
FAULTS = {}
RULES = {}
HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "upgrade"}


def kind_of(method, target):
    parts = urlsplit(target)
    query = parse_qs(parts.query, keep_blank_values=True)
    has_key = parts.path.strip("/").count("/") >= 1
    if method == "GET" and "uploads" in query:
        return "uploads"
    if method == "GET" and not has_key:
        return "list"
    if method == "GET":
        return "get"
    if method == "HEAD":
        return "head"
    if method == "PUT":
        return "part" if "partNumber" in query else "put"
    if method == "POST":
        return "initiate" if "uploads" in query else "complete"
    if method == "DELETE":
        return "abort" if "uploadId" in query else "delete"
    return method.lower()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reset(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        kind = kind_of(self.command, self.path)
        with LOCK:
            seen = REQUESTS.get(kind, 0)
            REQUESTS[kind] = seen + 1
            fault = None
            if kind in RULES:
                first, end, what = RULES[kind]
                if first <= seen < end:
                    fault = what
                    FAULTS[kind] = FAULTS.get(kind, 0) + 1
            with open(STATS + ".tmp", "w") as f:
                json.dump({"requests": REQUESTS, "faults": FAULTS}, f)
            os.replace(STATS + ".tmp", STATS)
        if fault == "slow":
            time.sleep(0.1)
            fault = None
        if fault == "hold":
            time.sleep(60)
            self.reset()
            return
        if fault == "reset":
            self.reset()
            return
        if fault in ("503", "500"):
            code, message = ("SlowDown", "Please reduce your request rate.") if fault == "503" else (
                "InternalError", "We encountered an internal error. Please try again.")
            answer = f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
            self.send_response(int(fault))
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(answer) if self.command != "HEAD" else 0))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer)
            return
        upstream = http.client.HTTPConnection(UPSTREAM, timeout=60)
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in HOP:
                upstream.putheader(name, value)
        upstream.endheaders(body if body else None)
        response = upstream.getresponse()
        data = response.read()
        upstream.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP and name.lower() not in ("content-length", "server", "date"):
                self.send_header(name, value)
        if self.command == "HEAD":
            self.send_header("Content-Length", response.getheader("Content-Length") or "0")
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if fault == "cut" and len(data) > 1:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.reset()
            return
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


if __name__ == "__main__":
    port_file, UPSTREAM, *rules = sys.argv[1:]
    STATS = port_file + ".stats"
    for rule in rules:
        kind, spec = rule.split("=")
        count, what = spec.split(":")
        if count.startswith("+"):  # every one after the first N
            RULES[kind] = (int(count[1:]), float("inf"), what)
        else:  # the first N (-1: all)
            RULES[kind] = (0, float("inf") if int(count) < 0 else int(count), what)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()
