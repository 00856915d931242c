"""Priority function for online bin packing; the file propose.py evolves.

priority(item, bins_remaining) gets the size of the arriving item and the remaining
capacities of the open bins that can still hold it (in the order they were opened) and
returns one number per bin; the item goes to the highest (first on ties). The root
scores bins by -index, which is plain first fit: weak on purpose, so that evolution has
room to find best-fit-like rules.

propose.py rewrites this file with ast.unparse, which keeps this docstring but drops
comments, so explanations belong here.
"""

def priority(item, bins_remaining):
    scores = []
    for index, remaining in enumerate(bins_remaining):
        score = -index
        scores.append(score)
    return scores
