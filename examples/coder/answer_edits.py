"""Reads the edit of one scaffold file out of a model's answer, and applies it.

The answer format propose.py asks for:

    SUMMARY: what changes and why, on one line
    FILE: scaffold/<path>

then either the whole new file in one fenced code block (any fence of 3 or more backticks or
tildes; a longer fence lets the file itself contain ```), or one or more blocks

    <<<<<<< SEARCH
    lines copied exactly from the current file
    =======
    the lines that replace them
    >>>>>>> REPLACE

Every problem is an EditError whose message is written to be shown back to the model.
"""

import dataclasses
import re

# Models decorate labels ("**FILE:** `scaffold/x.py`"), so markup around them is skipped.
SUMMARY = re.compile(r"^[\W_]*SUMMARY[*_\s]*:[*_\s]*(.+?)[*_\s]*$", re.M | re.I)
FILE = re.compile(r"^[\W_]*FILE[*_\s]*:[*_\s]*`?([^\s`*]+)`?[*_\s]*$", re.M | re.I)
SEARCH_REPLACE = re.compile(r"^<{5,9} ?SEARCH[ \t]*\n(.*?)^={5,9}[ \t]*\n(.*?)^>{5,9} ?REPLACE[ \t]*$",
                            re.M | re.S)
OPENING_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^`]*$")
MAX_FILE_CHARS = 100_000


class EditError(Exception):
    pass


@dataclasses.dataclass
class Edit:
    summary: str
    path: str
    whole_file: str = None  # the new content, or None for SEARCH/REPLACE blocks
    blocks: list = dataclasses.field(default_factory=list)  # [(search, replace)]


def fenced_blocks(text):
    """Contents of the fenced code blocks in text, in order. A block closes at a line made of
    the same fence character, at least as long as the opening fence."""
    blocks, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        opening = OPENING_FENCE.match(lines[i])
        i += 1
        if not opening:
            continue
        fence = opening.group(1)
        body = []
        while i < len(lines):
            line = lines[i].strip()
            i += 1
            if len(line) >= len(fence) and set(line) == {fence[0]}:
                blocks.append("\n".join(body) + "\n")
                break
            body.append(lines[i - 1])
        else:
            raise EditError("a code block is not closed (was the answer cut off?)")
    return blocks


def parse_answer(text):
    files = FILE.findall(text)
    if not files:
        raise EditError("the answer has no 'FILE: <path>' line naming the file to change")
    if len(set(files)) > 1:
        raise EditError(f"the answer names several files ({', '.join(sorted(set(files)))}); "
                        "change exactly one")
    summary = SUMMARY.search(text)
    edit = Edit(summary.group(1) if summary else "", files[0])
    body = text[FILE.search(text).end():]
    edit.blocks = SEARCH_REPLACE.findall(body)
    if not edit.blocks:
        blocks = fenced_blocks(body)
        if not blocks:
            raise EditError("after the FILE line there is neither a fenced code block with the "
                            "whole file nor a SEARCH/REPLACE block")
        edit.whole_file = blocks[0]
    return edit


def covers(entry, path):
    """A manifest path entry covers itself and, as a folder, everything under it."""
    entry = entry.rstrip("/")
    return path == entry or path.startswith(entry + "/")


def check_path(path, evolvable, protected):
    parts = path.split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise EditError(f"'{path}' is not a plain relative path like scaffold/coder.py")
    if not any(covers(e, path) for e in evolvable) or any(covers(p, path) for p in protected):
        raise EditError(f"'{path}' may not be changed; only files under "
                        f"{', '.join(evolvable)} may")


def apply_edit(edit, current):
    """The new text of the file; `current` is its text now, or None if it does not exist."""
    if edit.whole_file is not None:
        text = edit.whole_file
    else:
        if current is None:
            raise EditError(f"{edit.path} does not exist; give a new file whole, in a code block")
        text = current
        for number, (search, replace) in enumerate(edit.blocks, 1):
            found = text.count(search) if search else 0
            if found != 1:
                problem = "is empty" if not search else (
                    "does not match the file exactly" if found == 0
                    else f"matches {found} places; include more lines to make it unique")
                raise EditError(f"SEARCH block {number} {problem}")
            text = text.replace(search, replace, 1)
    if text == current:
        raise EditError(f"the edit leaves {edit.path} unchanged")
    if len(text) > MAX_FILE_CHARS:
        raise EditError(f"the new {edit.path} is over {MAX_FILE_CHARS} characters")
    if edit.path.endswith(".py"):
        try:
            compile(text, edit.path, "exec")
        except (SyntaxError, ValueError) as e:
            raise EditError(f"the new {edit.path} does not compile: {e}") from None
    return text
