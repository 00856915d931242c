"""The landscape's ground truth: a genome's true quality and its per-task draws.

Quality by family and generation g (plus the lineage's inherited trait, clamped to
[0.02, 0.98]):

- root: 0.35
- bait: 0.40 + 0.25 * 0.5 ** (g - 1)       0.65, 0.525, 0.46, 0.43 ... -> 0.40 (deceptive)
- climber: min(0.90, 0.25 + 0.07 * (g - 1)) 0.25, 0.32, 0.39 ... 0.88 at g = 10, then 0.90

A child of the root that starts a bait lineage looks better than anything else for the
first generations; only the climbers' descendants ever pass 0.65.

A task's result is 1 with probability = quality, drawn from a SHA-256 of the genome's
canonical text and the task id: the same genome always gets the same results, and
results of different tasks (and of genomes differing only in their node id) are
independent draws.
"""

import hashlib
import json

ROOT_QUALITY = 0.35


def quality(genome):
    family = genome["family"]
    g = int(genome["generation"])
    if family == "root":
        base = ROOT_QUALITY
    elif family == "bait":
        base = 0.40 + 0.25 * 0.5 ** (g - 1)
    elif family == "climber":
        base = min(0.90, 0.25 + 0.07 * (g - 1))
    else:
        raise ValueError(f"unknown family {family!r}")
    return min(0.98, max(0.02, base + float(genome["trait"])))


def canonical(genome):
    return json.dumps(genome, sort_keys=True, separators=(",", ":"))


def task_result(genome, task_id):
    digest = hashlib.sha256(f"{canonical(genome)}|{task_id}".encode()).hexdigest()
    uniform = int(digest[:13], 16) / float(16 ** 13)
    return 1.0 if uniform < quality(genome) else 0.0
