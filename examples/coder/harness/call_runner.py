"""Runs calls to an untrusted solution in run_solution.py child processes, with a wall-clock
limit per call.

A call that hangs or crashes its child fails on its own: the child is killed (with anything
it started, as it leads its own session) and a new child goes on with the next call, so one
bad edge case does not cost the other tests. After MAX_LOSSES such losses the remaining calls
are not run, which bounds the time one task can take.
"""

import json
import math
import os
import select
import signal
import subprocess
import sys
import time

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_solution.py")
MAX_LOSSES = 2
MEMORY_MB = 512
MAX_LINE_BYTES = 2 << 20  # run_solution.py already refuses values over 1 MiB

_TIMEOUT = object()
_EOF = object()


class _Child:
    def __init__(self, source, function, calls, case_seconds):
        job = {"source": source, "function": function, "calls": calls, "memory_mb": MEMORY_MB,
               # A backstop; the wall-clock limit per call is what normally stops a loop.
               "cpu_seconds": math.ceil(case_seconds * (len(calls) + 1)) + 1}
        # -I: no environment variables, user site or script folder on sys.path.
        self.process = subprocess.Popen([sys.executable, "-I", RUNNER], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        self.buffer = b""
        try:
            self.process.stdin.write(json.dumps(job).encode("utf-8"))
            self.process.stdin.close()
        except OSError:  # it died already; next_line() reports how
            pass

    def next_line(self, seconds):
        """The next result object, _TIMEOUT or _EOF."""
        deadline = time.monotonic() + seconds
        stdout = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([stdout], [], [], remaining)[0]:
                return _TIMEOUT
            chunk = os.read(stdout, 65536)
            if not chunk:
                return _EOF
            self.buffer += chunk
            if len(self.buffer) > MAX_LINE_BYTES:
                return {"garbled": "wrote an oversized result"}
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            result = json.loads(line)
        except ValueError:
            result = None
        return result if isinstance(result, dict) else {"garbled": "wrote a malformed result"}

    def exit_description(self):
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:
            name = signal.Signals(-code).name
            return f"killed by {name}" + (" (CPU limit)" if name == "SIGXCPU" else "")
        return f"exited with status {code}"

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.process.stdout.close()


def run_calls(source, function, calls, case_seconds):
    """One outcome per call: {"value"}, {"raised", "kinds"}, {"unusable"}, {"garbled"},
    {"timeout"}, {"crashed"}, {"load_error"} or {"skipped"}."""
    outcomes = []
    losses = 0
    while len(outcomes) < len(calls):
        pending = calls[len(outcomes):]
        child = _Child(source, function, pending, case_seconds)
        try:
            loaded = child.next_line(case_seconds)
            if loaded is _TIMEOUT:
                loaded = {"load_error": f"loading took over {case_seconds:g} s"}
            elif loaded is _EOF:
                loaded = {"load_error": f"the process {child.exit_description()} while loading"}
            if "load_error" in loaded or "loaded" not in loaded:
                error = loaded.get("load_error") or loaded.get("garbled", "did not load")
                return outcomes + [{"load_error": error}] * len(pending)
            for _ in pending:
                result = child.next_line(case_seconds)
                if result is _TIMEOUT:
                    outcomes.append({"timeout": case_seconds})
                elif result is _EOF:
                    outcomes.append({"crashed": child.exit_description()})
                else:
                    outcomes.append(result)
                if result is _TIMEOUT or result is _EOF or "garbled" in result:
                    break  # the child is stuck, gone or out of step: start a fresh one
            else:
                return outcomes
        finally:
            child.kill()
        losses += 1
        if losses >= MAX_LOSSES:
            break
    return outcomes + [{"skipped": "not run after repeated timeouts or crashes"}] * (
        len(calls) - len(outcomes))
