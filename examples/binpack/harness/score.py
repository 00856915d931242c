"""Score phase: validates the solve outputs and prints one JSON object on stdout.

Instances are regenerated here from the task ids; the solution files are only read, and
nothing from the agent is imported (the agent folder is not even mounted). Per task the
score is the mean over instances of L1 / bins used, where L1 = ceil(total size /
capacity) is a lower bound on the optimum: higher is better, 1.0 is provably optimal.
A task whose file is missing, unreadable or invalid (an item unassigned, a bin over
capacity, an instance the candidate failed on) scores 0 and is explained on stderr.
"""

import argparse
import json
import os
import sys

import instances  # the harness folder is sys.path[0] when run as a script


class BadSolution(Exception):
    pass


def read_solution(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise BadSolution("no solution file") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise BadSolution(f"unreadable solution file: {type(e).__name__}: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("instances"), list):
        raise BadSolution('solution is not an object with an "instances" list')
    return data["instances"]


def bins_used(items, entry):
    """Number of bins the entry's assignment uses, after checking it is a valid packing."""
    if not isinstance(entry, dict):
        raise BadSolution("instance entry is not an object")
    if "error" in entry:
        raise BadSolution(f"solve failed: {str(entry['error'])[:300]}")
    assignment = entry.get("assignment")
    if not isinstance(assignment, list) or len(assignment) != len(items):
        raise BadSolution(f"assignment must list one bin for each of the {len(items)} items")
    load = {}
    for size, b in zip(items, assignment):
        # bool is an int subclass; reject it so true/false cannot pose as bins 1/0.
        if not isinstance(b, int) or isinstance(b, bool) or b < 0:
            raise BadSolution(f"bad bin id {b!r}")
        load[b] = load.get(b, 0) + size
        if load[b] > instances.CAPACITY:
            raise BadSolution(f"bin {b} holds more than {instances.CAPACITY}")
    return len(load)


def score_task(task_id, solutions_dir):
    """Returns (score, [(bins, l1) per instance]); raises BadSolution."""
    expected = instances.generate(task_id)
    entries = read_solution(os.path.join(solutions_dir, f"{task_id}.json"))
    if len(entries) != len(expected):
        raise BadSolution(f"{len(entries)} instances in the solution, expected {len(expected)}")
    packed = [(bins_used(items, entry), instances.l1_bound(items))
              for items, entry in zip(expected, entries)]
    return sum(l1 / bins for bins, l1 in packed) / len(packed), packed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", required=True, help="comma-joined task ids")
    parser.add_argument("--solutions", required=True, help="folder with <task_id>.json from solve.py")
    args = parser.parse_args()
    try:
        task_ids = instances.parse_task_list(args.tasks)
    except ValueError as e:
        parser.error(str(e))
    if not os.path.isdir(args.solutions):
        raise SystemExit(f"score.py: no solutions folder {args.solutions}")

    tasks, packed, failed = {}, [], 0
    for task_id in task_ids:
        try:
            tasks[task_id], task_packed = score_task(task_id, args.solutions)
            packed += task_packed
        except BadSolution as e:
            tasks[task_id] = 0.0
            failed += 1
            print(f"{task_id}: scored 0: {e}", file=sys.stderr)

    metrics = {"failed_tasks": failed}
    if packed:  # averages over the instances of the tasks that did not fail
        metrics["bins_used"] = sum(bins for bins, _ in packed) / len(packed)
        metrics["l1_bound"] = sum(l1 for _, l1 in packed) / len(packed)
        metrics["excess_percent"] = 100 * sum((bins - l1) / l1 for bins, l1 in packed) / len(packed)
    print(json.dumps({"tasks": tasks, "metrics": metrics}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
