"""Solve phase: copies the candidate's genome into <out>/<task>.json for each task.

The candidate is data, not code, so solving is handing the genome over; the score phase
(which cannot see /agent) decides what it is worth.
"""

import argparse
import json
import os
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agent", required=True)
    parser.add_argument("--tasks", required=True, help="comma-joined task ids")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    try:
        with open(os.path.join(args.agent, "genome.json"), encoding="utf-8") as f:
            genome = json.load(f)
    except (OSError, ValueError) as e:
        genome = {"error": str(e)}
    for task_id in args.tasks.split(","):
        with open(os.path.join(args.out, f"{task_id}.json"), "w", encoding="utf-8") as f:
            json.dump({"task": task_id, "genome": genome}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
