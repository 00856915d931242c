"""Finds the solution code in a model's answer."""

import re

FENCED = re.compile(r"^```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)


def extract_code(answer, function):
    """The last fenced block that defines `function` (models often show a draft first), else
    the last python block, else None."""
    blocks = [(lang.lower(), body) for lang, body in FENCED.findall(answer)]
    definition = re.compile(rf"^\s*def {re.escape(function)}\s*\(", re.M)
    defining = [body for _, body in blocks if definition.search(body)]
    if defining:
        return defining[-1]
    python = [body for lang, body in blocks if lang in ("python", "py", "python3")]
    return python[-1] if python else None
