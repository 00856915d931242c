"""Paths and helpers shared by the coder example's tests."""

import json
import os
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EXAMPLE = os.path.join(REPO, "examples", "coder")
HARNESS = os.path.join(EXAMPLE, "harness")
SOLUTIONS = os.path.join(REPO, "tests", "fixtures", "coder", "solutions")

with open(os.path.join(EXAMPLE, "clade.json"), encoding="utf-8") as f:
    MANIFEST = json.load(f)
TASK_IDS = MANIFEST["tasks"]


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def public_task(task_id):
    return read_json(os.path.join(HARNESS, "tasks", f"{task_id}.json"))


def hidden_tests(task_id):
    return read_json(os.path.join(HARNESS, "hidden", f"{task_id}.json"))["tests"]


def reference_source(task_id):
    with open(os.path.join(SOLUTIONS, f"{task_id}.py"), encoding="utf-8") as f:
        return f.read()


def child_env(extra=None):
    """The test's environment without a gateway (unless given), and without .pyc files
    written into the source tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLADE_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra or {})
    return env


def run_score(test, solutions, tasks=TASK_IDS, case_seconds=None):
    """Runs harness/score.py; checks it printed exactly one JSON object of the engine's shape
    and returns (task scores, metrics, stderr)."""
    command = [sys.executable, os.path.join(HARNESS, "score.py"), "--tasks", ",".join(tasks),
               "--solutions", solutions]
    if case_seconds is not None:
        command += ["--case-seconds", str(case_seconds)]
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), timeout=120)
    test.assertEqual(done.returncode, 0, done.stderr)
    output = json.loads(done.stdout)
    test.assertEqual(set(output), {"tasks", "metrics"})
    test.assertEqual(set(output["tasks"]), set(tasks))
    return output["tasks"], output["metrics"], done.stderr


def write_solutions(folder, sources):
    for task_id, source in sources.items():
        with open(os.path.join(folder, f"{task_id}.py"), "w", encoding="utf-8") as f:
            f.write(source)
