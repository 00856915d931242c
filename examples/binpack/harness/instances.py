"""Deterministic online bin packing instances, as in the FunSearch paper.

Item sizes are Weibull(shape 3, scale 45) rounded to integers and clipped to [1, 100];
bins hold 100. Every task id names its own seeded random.Random, so solve.py and
score.py regenerate exactly the same items without passing them around (score.py must
not trust anything the solve phase wrote except the assignments).
"""

import math
import random
import re

CAPACITY = 100
INSTANCES_PER_TASK = 5
ITEMS_PER_INSTANCE = 400
WEIBULL_SHAPE = 3.0
WEIBULL_SCALE = 45.0

# Task ids are free-form but must look like this, so a garbled {tasks} expansion fails
# loudly instead of silently creating a new, unintended task.
_TASK_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def check_task_id(task_id):
    if not _TASK_ID.match(task_id):
        raise ValueError(f"bad task id {task_id!r}")


def parse_task_list(text):
    """Splits the comma-joined list the engine passes; rejects empty or bad ids."""
    ids = [t.strip() for t in text.split(",") if t.strip()]
    if not ids:
        raise ValueError("no task ids given")
    for task_id in ids:
        check_task_id(task_id)
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate task ids in {text!r}")
    return ids


def generate(task_id):
    """Returns a list of instances; each instance is a list of integer item sizes."""
    check_task_id(task_id)
    # A str seed goes through SHA-512, so it does not depend on PYTHONHASHSEED.
    rng = random.Random(f"binpack/weibull/{task_id}")
    instances = []
    for _ in range(INSTANCES_PER_TASK):
        items = []
        for _ in range(ITEMS_PER_INSTANCE):
            size = round(rng.weibullvariate(WEIBULL_SCALE, WEIBULL_SHAPE))
            items.append(min(CAPACITY, max(1, size)))
        instances.append(items)
    return instances


def l1_bound(items):
    """Trivial lower bound on the number of bins: total size over capacity, rounded up."""
    return math.ceil(sum(items) / CAPACITY)
