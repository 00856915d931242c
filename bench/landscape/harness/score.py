"""Score phase: one 0/1 result per task (landscape.task_result) and the genome's true
quality as metrics, printed as {"tasks": {...}, "metrics": {...}}.

Metrics: quality (the probability each task is solved: what a perfect evaluation would
measure), generation, and climber (1 for the climbing family, else 0). A missing or
unreadable solution scores 0 for its task.
"""

import argparse
import json
import os
import sys

import landscape  # the harness folder is sys.path[0] when run as a script


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", required=True, help="comma-joined task ids")
    parser.add_argument("--solutions", required=True)
    args = parser.parse_args()
    tasks, genome = {}, None
    for task_id in args.tasks.split(","):
        try:
            with open(os.path.join(args.solutions, f"{task_id}.json"), encoding="utf-8") as f:
                genome = json.load(f)["genome"]
            tasks[task_id] = landscape.task_result(genome, task_id)
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"{task_id}: unreadable solution: {e}", file=sys.stderr)
            tasks[task_id] = 0.0
    metrics = {}
    try:
        metrics = {"quality": landscape.quality(genome),
                   "generation": float(genome["generation"]),
                   "climber": 1.0 if genome["family"] == "climber" else 0.0}
    except (ValueError, KeyError, TypeError) as e:
        print(f"no genome to measure: {e}", file=sys.stderr)
    print(json.dumps({"tasks": tasks, "metrics": metrics}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
