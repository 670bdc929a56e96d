"""`conveyor pipe` as a subprocess: Arrow record batches in, Arrow record batches out.

A writer thread feeds standard input while the caller reads standard output, so neither pipe
can fill up and block the other; standard error is drained on a third thread and becomes the
message of ConveyorError when the process fails.
"""
import os
import re
import shutil
import subprocess
import sys
import threading

import pyarrow as pa

ARROW = "application/vnd.apache.arrow.stream"
TSV = "text/tab-separated-values"


class ConveyorError(RuntimeError):
    """`conveyor` exited non-zero; the message is what it printed on standard error."""


def binary(conveyor=None):
    """The conveyor executable: the argument, $CONVEYOR_BIN, or `conveyor` on the PATH."""
    path = conveyor or os.environ.get("CONVEYOR_BIN") or shutil.which("conveyor")
    if not path:
        raise ConveyorError("cannot find the conveyor binary: pass conveyor=..., set CONVEYOR_BIN or put it on the PATH")
    return str(path)


def pipe_command(pipeline, conveyor=None, content_type=ARROW, accept=ARROW, record_errors="fail"):
    return [binary(conveyor), "pipe", "--pipeline", str(pipeline), "--content-type", content_type,
            "--accept", accept, "--record-errors", record_errors]


_COLUMN = re.compile(r"\s*([^:,]+):\s*([a-z]+(?:<[a-z]+>)?(?:\[\d+\])?)")


def output_schema(pipeline, conveyor=None):
    """The pipeline's (input, output) columns as [(name, conveyor type)], from `conveyor validate`."""
    run = subprocess.run([binary(conveyor), "validate", str(pipeline)], capture_output=True, text=True)
    if run.returncode != 0:
        raise ConveyorError(run.stderr.strip() or f"conveyor validate exited {run.returncode}")
    found = {}
    for line in run.stdout.splitlines():
        key, _, rest = line.strip().partition(":")
        if key in ("input", "output"):
            found[key] = [(m.group(1).strip(), m.group(2)) for m in _COLUMN.finditer(rest)]
    return found.get("input", []), found.get("output", [])


def _drain(stream, sink):
    for line in iter(stream.readline, b""):
        sink.append(line.decode("utf-8", "replace"))


def _failure(process, stderr_lines, drainer):
    drainer.join()
    return ConveyorError(f"conveyor pipe exited {process.returncode}: {''.join(stderr_lines).strip()}")


def score_batches(batches, pipeline, conveyor=None, record_errors="fail", on_input=None):
    """Streams record batches through one `conveyor pipe` process (the pipeline loaded once) and
    yields its answer's batches, rows in input order. `on_input(batch)` sees each input batch
    as it is sent (for pass-through columns). Bad records stop it (ConveyorError) unless
    record_errors="isolate", which leaves them out and lists them on standard error."""
    iterator = iter(batches)
    first = next(iterator, None)
    if first is None:
        return
    process = subprocess.Popen(pipe_command(pipeline, conveyor, record_errors=record_errors),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stderr_lines = []
    drainer = threading.Thread(target=_drain, args=(process.stderr, stderr_lines), daemon=True)
    drainer.start()
    feed_errors = []

    def feed():
        try:
            with pa.ipc.new_stream(process.stdin, first.schema) as writer:
                for batch in _chain(first, iterator):
                    if on_input is not None:
                        on_input(batch)
                    writer.write_batch(batch)
        except (BrokenPipeError, ConnectionResetError):
            pass  # conveyor stopped reading: its exit status and message say why
        except BaseException as error:  # noqa: BLE001 - re-raised on the caller's thread
            feed_errors.append(error)
        finally:
            try:
                process.stdin.close()
            except OSError:
                pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    finished = False
    try:
        if process.stdout.peek(1):
            try:
                for batch in pa.ipc.open_stream(process.stdout):
                    yield batch
            except pa.ArrowInvalid:
                if process.wait() != 0:
                    raise _failure(process, stderr_lines, drainer) from None
                raise
        finished = True
    finally:
        if not finished and process.poll() is None:
            process.kill()
        feeder.join()
        status = process.wait()
        drainer.join()
        if feed_errors:
            raise feed_errors[0]
        if finished and status != 0:
            raise _failure(process, stderr_lines, drainer)
        if stderr_lines:
            sys.stderr.write("".join(stderr_lines))


def _chain(first, rest):
    yield first
    yield from rest


def score_table(table, pipeline, conveyor=None, record_errors="fail"):
    """A pyarrow Table scored in one `conveyor pipe` run; the answer as a Table."""
    batches = list(score_batches(table.to_batches(), pipeline, conveyor, record_errors))
    if not batches:
        return None
    return pa.Table.from_batches(batches)


class ArrowPipe:
    """One long-lived `conveyor pipe` process answering table after table (a Ray actor's state):
    the pipeline is loaded once per process, not once per batch. Bad records raise
    ConveyorError (isolation would make the answer's row count unpredictable)."""

    def __init__(self, pipeline, conveyor=None):
        self.command = pipe_command(pipeline, conveyor)
        self.process = None

    def _start(self, schema):
        self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self.stderr_lines = []
        self.drainer = threading.Thread(target=_drain, args=(self.process.stderr, self.stderr_lines), daemon=True)
        self.drainer.start()
        self.schema = schema
        self.writer = pa.ipc.new_stream(self.process.stdin, schema)
        self.reader = None

    def __call__(self, table):
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        if table.num_rows == 0:
            raise ValueError("an empty table has no rows to score")
        if self.process is None or not table.schema.equals(self.schema):
            self.close()
            self._start(table.schema)
        failures = []

        def feed():
            try:
                for batch in table.to_batches():
                    self.writer.write_batch(batch)
                self.process.stdin.flush()
            except BaseException as error:  # noqa: BLE001
                failures.append(error)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        answer, rows = [], 0
        try:
            if self.reader is None:
                self.reader = pa.ipc.open_stream(self.process.stdout)
            while rows < table.num_rows:
                batch = self.reader.read_next_batch()
                answer.append(batch)
                rows += batch.num_rows
        except (pa.ArrowInvalid, StopIteration, OSError):
            feeder.join()
            self.process.kill() if self.process.poll() is None else None
            self.process.wait()
            raise _failure(self.process, self.stderr_lines, self.drainer) from None
        finally:
            feeder.join()
            if failures and self.process.poll() is None:
                raise failures[0]
        return pa.Table.from_batches(answer)

    def close(self):
        if self.process is None:
            return
        try:
            self.writer.close()
            self.process.stdin.close()
        except OSError:
            pass
        if self.reader is None:
            self.process.stdout.read()
        else:
            for _ in self.reader:
                pass
        self.process.wait()
        self.drainer.join()
        self.process = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


__all__ = ["ARROW", "TSV", "ArrowPipe", "ConveyorError", "binary", "output_schema", "pipe_command",
           "score_batches", "score_table"]
