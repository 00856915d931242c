"""Solve phase: packs every instance of the requested tasks online with the candidate's
priority function and writes one <out>/<task_id>.json per task.

Output: {"task": id, "instances": [{"assignment": [bin of item 0, bin of item 1, ...]}
or {"error": "why"}, ...]}. Bins are numbered in the order they were opened. A candidate
that fails to load, raises, or returns something other than one finite number per bin
gets an "error" entry instead of an assignment (score.py then gives the task 0); the
rest of that task is skipped since it cannot score anyway. Only a broken harness (bad
arguments, unwritable output) exits non-zero.
"""

import argparse
import importlib.util
import json
import math
import numbers
import os
import sys

import instances  # the harness folder is sys.path[0] when run as a script

# Code in the candidate may raise anything, including SystemExit via sys.exit().
CANDIDATE_ERRORS = (Exception, SystemExit)


class HeuristicError(Exception):
    pass


def describe(value, limit=200):
    """A short text for a value or exception from the candidate, which may be huge or
    have a __repr__/__str__ that raises."""
    try:
        text = f"{type(value).__name__}: {value}" if isinstance(value, BaseException) else repr(value)
    except CANDIDATE_ERRORS:
        text = f"<unprintable {type(value).__name__}>"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def load_priority(agent_dir):
    path = os.path.join(agent_dir, "heuristic.py")
    # Loaded by path, not via sys.path, so files in the agent cannot shadow harness modules.
    spec = importlib.util.spec_from_file_location("heuristic", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except CANDIDATE_ERRORS as e:
        raise HeuristicError(f"loading heuristic.py failed: {describe(e)}") from None
    priority = getattr(module, "priority", None)
    if not callable(priority):
        raise HeuristicError("heuristic.py defines no callable priority(item, bins_remaining)")
    return priority


def choose(priority, item, capacities):
    """Index into `capacities` of the bin with the highest priority, first on ties."""
    try:
        scores = list(priority(item, list(capacities)))  # a copy: the candidate may mutate it
    except CANDIDATE_ERRORS as e:
        raise HeuristicError(f"priority raised {describe(e)}") from None
    if len(scores) != len(capacities):
        raise HeuristicError(f"priority returned {len(scores)} scores for {len(capacities)} bins")
    best, best_score = 0, None
    for k, score in enumerate(scores):
        if not isinstance(score, numbers.Real):
            raise HeuristicError(f"priority returned a {type(score).__name__}, not a number")
        try:
            value = float(score)
        except CANDIDATE_ERRORS:  # OverflowError for huge ints, anything from odd types
            value = math.nan
        if not math.isfinite(value):
            raise HeuristicError(f"priority returned a non-finite score {describe(score)}")
        if best_score is None or value > best_score:
            best, best_score = k, value
    return best


def pack(priority, items):
    remaining = []  # per open bin, in opening order
    assignment = []
    for item in items:
        fitting = [b for b, r in enumerate(remaining) if r >= item]
        if fitting:
            b = fitting[choose(priority, item, [remaining[b] for b in fitting])]
            remaining[b] -= item
        else:
            remaining.append(instances.CAPACITY - item)
            b = len(remaining) - 1
        assignment.append(b)
    return assignment, len(remaining)


def solve_task(priority, error, task_id):
    """Packs every instance of one task; `error` is set if the candidate did not load."""
    results, bins = [], 0
    for items in instances.generate(task_id):
        if error is None:
            try:
                assignment, used = pack(priority, items)
                results.append({"assignment": assignment})
                bins += used
                continue
            except HeuristicError as e:
                error = str(e)
        results.append({"error": error})
    summary = f"{task_id}: {bins} bins" if error is None else f"{task_id}: failed: {error}"
    return {"task": task_id, "instances": results}, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agent", required=True, help="folder holding the candidate's heuristic.py")
    parser.add_argument("--tasks", required=True, help="comma-joined task ids")
    parser.add_argument("--out", required=True, help="folder to write <task_id>.json into")
    args = parser.parse_args()
    try:
        task_ids = instances.parse_task_list(args.tasks)
    except ValueError as e:
        parser.error(str(e))

    priority, load_error = None, None
    try:
        priority = load_priority(args.agent)
    except HeuristicError as e:
        load_error = str(e)

    for task_id in task_ids:
        solution, summary = solve_task(priority, load_error, task_id)
        with open(os.path.join(args.out, f"{task_id}.json"), "w", encoding="utf-8") as f:
            json.dump(solution, f, separators=(",", ":"))
        print(summary, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
