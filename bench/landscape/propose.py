"""The landscape's proposer: writes a child genome (genome.json) from the parent's.

A child of the root founds a lineage, "bait" or "climber" with equal chance; any other
child keeps its parent's family, is one generation deeper, and inherits the parent's
trait plus Gaussian noise (sd TRAIT_SD). The proposer never sees a quality: how good a
genome is, is the harness's business (harness/landscape.py).

Deterministic given CLADE_SEED, which the engine derives from the run's seed and the
child's id; CLADE_NODE_ID goes into the genome so that no two nodes share a genome text
(the score phase's per-task draws hash that text).
"""

import json
import os
import random
import sys

TRAIT_SD = 0.03
FAMILIES = ["bait", "climber"]


def main():
    rng = random.Random(int(os.environ["CLADE_SEED"]))
    with open("genome.json", encoding="utf-8") as f:
        parent = json.load(f)
    family = parent["family"]
    if family == "root":
        family = rng.choice(FAMILIES)
    child = {
        "family": family,
        "generation": parent["generation"] + 1,
        "node": int(os.environ.get("CLADE_NODE_ID", "0")),
        "trait": round(parent["trait"] + rng.gauss(0.0, TRAIT_SD), 6),
    }
    with open("genome.json", "w", encoding="utf-8") as f:
        json.dump(child, f, indent=2, sort_keys=True)
        f.write("\n")
    description = f"{family} generation {child['generation']}, trait {child['trait']:+.3f}"
    with open(os.path.join(os.environ.get("CLADE_OUTPUT", "."), "description.txt"), "w",
              encoding="utf-8") as f:
        f.write(description + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
