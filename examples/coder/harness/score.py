"""Score phase: runs each task's hidden tests against <solutions>/<task_id>.py and prints one
JSON object on stdout: {"tasks": {id: share of hidden tests passed}, "metrics": {...}}.

A solution is untrusted code: it runs in locked-down child processes (call_runner.py,
run_solution.py) that never see the expected answers, with a wall-clock limit per test.
Returned values are compared as JSON data (tuples equal lists, True is not 1, floats within
1e-9). A missing or unloadable solution scores 0. The reason for every lost point goes to
stderr as counts only: the evaluate log reaches the propose step, and the hidden tests'
inputs must not.
"""

import argparse
import collections
import json
import math
import os
import re
import stat
import sys

import call_runner  # the harness folder is sys.path[0] when run as a script

HERE = os.path.dirname(os.path.abspath(__file__))
TASK_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SOURCE_BYTES = 200_000
DEFAULT_CASE_SECONDS = 2.0


class NoSolution(Exception):
    pass


def parse_task_list(text):
    ids = [t.strip() for t in text.split(",") if t.strip()]
    if not ids:
        raise ValueError("no task ids given")
    for task_id in ids:
        if not TASK_ID.match(task_id):
            raise ValueError(f"bad task id {task_id!r}")
        if not os.path.isfile(os.path.join(HERE, "hidden", f"{task_id}.json")):
            raise ValueError(f"unknown task {task_id!r} (no hidden/{task_id}.json)")
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate task ids in {text!r}")
    return ids


def read_json(*parts):
    with open(os.path.join(HERE, *parts), encoding="utf-8") as f:
        return json.load(f)


def read_solution(path):
    # A symlink (to a hidden test, say) is not followed; O_NONBLOCK: a FIFO cannot stall us.
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise NoSolution("no solution file") from None
    except OSError as e:
        raise NoSolution(f"cannot open the solution file: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NoSolution("the solution is not a regular file")
        data = f.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        raise NoSolution(f"the solution file is over {MAX_SOURCE_BYTES} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoSolution("the solution file is not UTF-8 text") from None


def same(got, expected):
    """Equality of JSON data, strict about types except int/float."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(got) is type(expected) and got == expected
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        if isinstance(expected, int) and isinstance(got, int):
            return got == expected
        return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, list):
        return (isinstance(got, list) and len(got) == len(expected)
                and all(same(g, e) for g, e in zip(got, expected)))
    if isinstance(expected, dict):
        return (isinstance(got, dict) and got.keys() == expected.keys()
                and all(same(got[k], expected[k]) for k in expected))
    return type(got) is type(expected) and got == expected


def failure(test, outcome):
    """None if the outcome passes the test, else a short reason without the test's data."""
    if "value" in outcome:
        if "raises" in test:
            return f"returned instead of raising {test['raises']}"
        return None if same(outcome["value"], test["expected"]) else "wrong answer"
    if "raised" in outcome:
        if "raises" in test and test["raises"] in outcome.get("kinds", []):
            return None
        return f"raised {outcome['raised']}"
    if "timeout" in outcome:
        return f"timed out ({outcome['timeout']:g} s)"
    if "crashed" in outcome:
        return f"crashed: {outcome['crashed']}"
    for key in ("unusable", "garbled", "skipped"):
        if key in outcome:
            return str(outcome[key])
    return "no result"


def score_task(task_id, solutions_dir, case_seconds):
    """Returns (passed, total, Counter of failure reasons); raises NoSolution."""
    function = read_json("tasks", f"{task_id}.json")["function"]
    tests = read_json("hidden", f"{task_id}.json")["tests"]
    source = read_solution(os.path.join(solutions_dir, f"{task_id}.py"))
    outcomes = call_runner.run_calls(source, function, [t["args"] for t in tests], case_seconds)
    if outcomes and all("load_error" in o for o in outcomes):
        raise NoSolution(f"the solution does not load: {outcomes[0]['load_error']}")
    reasons = collections.Counter(filter(None, (failure(t, o) for t, o in zip(tests, outcomes))))
    return len(tests) - sum(reasons.values()), len(tests), reasons


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", required=True, help="comma-joined task ids")
    parser.add_argument("--solutions", required=True, help="folder with <task_id>.py")
    parser.add_argument("--case-seconds", type=float, default=DEFAULT_CASE_SECONDS,
                        help="wall-clock limit per hidden test (default %(default)s)")
    args = parser.parse_args()
    try:
        task_ids = parse_task_list(args.tasks)
    except ValueError as e:
        parser.error(str(e))
    if not os.path.isdir(args.solutions):
        raise SystemExit(f"score.py: no solutions folder {args.solutions}")

    scores, solved, missing, passed_tests, all_tests = {}, 0, 0, 0, 0
    for task_id in task_ids:
        try:
            passed, total, reasons = score_task(task_id, args.solutions, args.case_seconds)
        except NoSolution as e:
            scores[task_id] = 0.0
            missing += 1
            all_tests += len(read_json("hidden", f"{task_id}.json")["tests"])
            print(f"{task_id}: scored 0: {e}", file=sys.stderr)
            continue
        scores[task_id] = passed / total
        solved += passed == total
        passed_tests += passed
        all_tests += total
        lost = "; ".join(f"{reason} x{count}" for reason, count in reasons.most_common())
        print(f"{task_id}: {passed / total:.3f} ({passed}/{total} hidden tests passed"
              + (f"; {lost})" if lost else ")"), file=sys.stderr)

    # Shares, not counts: the engine averages metrics over batches weighted by their tasks.
    count = len(task_ids)
    metrics = {"solved": solved / count, "no_solution": missing / count,
               "tests_passed": passed_tests / all_tests if all_tests else 0.0}
    print(json.dumps({"tasks": scores, "metrics": metrics}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
