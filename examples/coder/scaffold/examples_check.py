"""Runs candidate code on a task's visible examples in a child process, with a timeout."""

import dataclasses
import json
import os
import subprocess
import sys

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "example_runner.py")
TIMEOUT_SECONDS = 10


@dataclasses.dataclass
class CheckResult:
    passed: int
    total: int
    failures: list  # one readable line per failing example, for the retry prompt and the log


def run_examples(code, function, examples):
    job = json.dumps({"code": code, "function": function, "examples": examples})
    total = len(examples)
    try:
        done = subprocess.run([sys.executable, "-I", RUNNER], input=job, capture_output=True,
                              text=True, timeout=TIMEOUT_SECONDS)
        report = json.loads(done.stdout)
        return CheckResult(report["passed"], total, report["failures"])
    except subprocess.TimeoutExpired:
        failure = f"running the examples took over {TIMEOUT_SECONDS} s (an endless loop?)"
    except (ValueError, KeyError, TypeError):
        failure = f"the code crashed the example runner (exit status {done.returncode})"
    return CheckResult(0, total, [failure])
