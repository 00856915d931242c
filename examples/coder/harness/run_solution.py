"""Child process of score.py: runs one untrusted solution on a list of calls.

Reads one JSON object on stdin: {"source": solution text, "function": name, "calls":
[[arg, ...], ...], "cpu_seconds": n, "memory_mb": n}. Writes JSON lines on stdout, each as
soon as it is known: first {"loaded": true} or {"load_error": "..."}, then one line per call,
in order: {"value": returned value}, {"raised": "Name", "kinds": [built-in exception classes
it is an instance of]} or {"unusable": "why"}.

It never sees the expected answers; score.py compares, so any result line a solution forges
is worth no more than returning that value. Before the solution runs, this process locks
itself down so the solution cannot reach the hidden tests: it can open no file descriptor at
all (no files, sockets or pipes, so neither /harness/hidden nor any module not imported
below), cannot start processes or threads or write files, and has CPU and address space
limits. Its prints go to stderr, which score.py discards.
"""

import json
import os
import resource
import sys

# The solution cannot import anything once descriptors are closed to it, so load what a
# solution to these tasks may reasonably use (README.md lists them).
import abc, array, bisect, calendar, cmath, collections, collections.abc, copy  # noqa: E401,F401
import csv, dataclasses, datetime, decimal, enum, fractions, functools, graphlib  # noqa: E401,F401
import heapq, io, ipaddress, itertools, math, numbers, operator, queue, random, re  # noqa: E401,F401
import statistics, string, textwrap, time, types, typing, unicodedata  # noqa: E401,F401

MAX_VALUE_BYTES = 1 << 20


def limit(kind, value):
    resource.setrlimit(kind, (value, value))


def lock_down(cpu_seconds, memory_mb):
    limit(resource.RLIMIT_CPU, cpu_seconds)
    limit(resource.RLIMIT_AS, memory_mb << 20)
    limit(resource.RLIMIT_FSIZE, 0)
    limit(resource.RLIMIT_NPROC, 0)
    limit(resource.RLIMIT_NOFILE, 0)  # last: the calls above need no descriptor, but be sure


def encode(outcome):
    return (json.dumps(outcome, allow_nan=False) + "\n").encode("utf-8")


def describe(error):
    """Text for an exception from the solution, whose __str__ may be huge or raise."""
    try:
        text = str(error)
    except BaseException:
        text = "<unprintable>"
    return f"{type(error).__name__}: {text[:200]}"


def raised_line(error):
    # A solution's own class named ValueError is not the built-in one a test expects.
    kinds = [c.__name__ for c in type(error).__mro__ if c.__module__ == "builtins"]
    return encode({"raised": type(error).__name__, "kinds": kinds})


def value_line(value):
    try:
        line = encode({"value": value})
    except (TypeError, ValueError, OverflowError, RecursionError) as e:
        return encode({"unusable": f"returned a value that is not JSON data ({type(e).__name__})"})
    if len(line) > MAX_VALUE_BYTES:
        return encode({"unusable": f"returned a value over {MAX_VALUE_BYTES} bytes as JSON"})
    return line


def main():
    job = json.load(sys.stdin)
    results = open(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # the solution's prints must not mix with the results
    lock_down(int(job["cpu_seconds"]), int(job["memory_mb"]))

    def send(line):
        results.write(line)

    namespace = {"__name__": "solution", "__builtins__": __builtins__}
    try:
        exec(compile(job["source"], "solution.py", "exec"), namespace)
        function = namespace.get(job["function"])
        if not callable(function):
            raise LookupError(f"no function named {job['function']}")
    except BaseException as e:  # anything the solution raises, SystemExit included
        send(encode({"load_error": describe(e)}))
        os._exit(0)
    send(encode({"loaded": True}))
    for args in job["calls"]:
        try:
            line = value_line(function(*args))
        except BaseException as e:
            line = raised_line(e)
        send(line)
    # Skip interpreter shutdown: the solution may have left finalizers or atexit hooks.
    os._exit(0)


if __name__ == "__main__":
    main()
