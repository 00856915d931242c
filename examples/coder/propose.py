"""The coder agent's self-improvement step (protected): the model rewrites one scaffold file.

Run by the engine's propose phase with the parent's code as cwd (/agent). It reads the
context folder ($CLADE_CONTEXT: parent.json with per-task results, history.json,
parent_evaluate.log), shows the model the scaffold, the tasks the parent failed with their
log lines, and earlier attempts, and applies the answer (a whole file or SEARCH/REPLACE
blocks, see answer_edits.py) to one file under the manifest's evolvable paths. A one-line
description goes to $CLADE_OUTPUT/description.txt. An answer that cannot be applied is shown
back to the model once; if the second is no better, it exits 1 with the reason on stderr.
"""

import argparse
import json
import os
import random
import sys

import answer_edits
import gateway

MAX_ATTEMPTS = 2
MAX_TOKENS = 8000
TEMPERATURE = 0.4
MAX_FAILURES_SHOWN = 8   # failing tasks in the prompt; a seeded sample when there are more
MAX_HISTORY_SHOWN = 10
MAX_LINE_CHARS = 400

SYSTEM = """You improve a coding agent by editing its own source code.

The agent solves programming tasks: for each task it gets a function signature, a
specification and a few examples, asks a language model for the function, and writes the
code to a file. Hidden tests then grade each file. The agent's scaffold (its code and prompt
templates) is what you change, one file at a time, so that it solves more tasks. You do not
see the hidden tests and must not try to special-case tasks: improve how the agent works
(its prompts, how it checks and repairs code, how it uses its model calls and time).

How the agent is run: `python3 /agent/scaffold/coder.py --tasks ID,ID --task-dir
/harness/tasks --out /output`, inside a sandbox with Python 3.11 (standard library only), no
network, and a {wall_seconds:g} s wall-clock limit for a batch of {batch_size} tasks. It
reaches the model only through gateway.py: `gateway.chat(messages, max_tokens=...,
temperature=...)` returns an Answer with .text and token counts; gateway.BudgetSpent and
gateway.GatewayStopping mean stop asking, other gateway.GatewayError failures concern one
call. gateway.py, propose.py, answer_edits.py and harness/ are protected. The agent must
write /output/<task_id>.py for each task it solves and print one line per task starting
with "<task_id>: ", which is the log you see below. Each task file in /harness/tasks is JSON
with "id", "function", "signature", "prompt" and "examples" ([[args, expected], ...]). The
solutions are graded in a process that can import only common standard modules (re,
collections, itertools, functools, heapq, bisect, math, datetime, csv, typing and the like)
and can open no files."""

ANSWER_FORMAT = """Answer in exactly this format:

SUMMARY: <one line: what you change and why>
FILE: <path of the one file you change, under scaffold/>

and then either the whole new file in one fenced code block (use a fence of four backticks
if the file contains three), or one or more blocks of this form, where SEARCH holds lines
copied exactly from the current file (enough of them to be unique):

<<<<<<< SEARCH
lines of the current file
=======
the lines that replace them
>>>>>>> REPLACE"""


def read_json(folder, name, default):
    if not folder:
        return default
    try:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            value = json.load(f)
    except (OSError, ValueError):
        return default
    return value if isinstance(value, type(default)) else default


def read_text(folder, name):
    if not folder:
        return ""
    try:
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def clip(text, limit=MAX_LINE_CHARS):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def evolvable_files(agent_dir, evolvable):
    """{relative path: text} of the text files under the manifest's evolvable entries."""
    files = {}
    for entry in evolvable:
        root = os.path.join(agent_dir, entry)
        paths = [root] if os.path.isfile(root) else [
            os.path.join(folder, name) for folder, dirs, names in os.walk(root)
            for name in names if "__pycache__" not in folder and not name.endswith(".pyc")]
        for path in sorted(paths):
            try:
                with open(path, encoding="utf-8") as f:
                    files[os.path.relpath(path, agent_dir)] = f.read()
            except (OSError, UnicodeDecodeError):
                continue  # binary or unreadable: not something to show the model
    return files


def show_files(files):
    parts = []
    for path, text in files.items():
        language = "python" if path.endswith(".py") else ""
        parts.append(f"## {path}\n````{language}\n{text.rstrip()}\n````")
    return "\n\n".join(parts)


def task_public_text(agent_dir, task_id):
    task = read_json(os.path.join(agent_dir, "harness", "tasks"), f"{task_id}.json", {})
    if not task:
        return "(task file not found)"
    return clip(f"{task.get('signature', '')}: {task.get('prompt', '')}", 2 * MAX_LINE_CHARS)


def show_results(agent_dir, parent, log, rng):
    results = parent.get("results") if isinstance(parent.get("results"), dict) else {}
    if not results:
        tail = "\n".join(log.strip().splitlines()[-40:]) or "(no log)"
        return f"The current version has no per-task results. The end of its evaluate log:\n{tail}"
    failing = sorted((score, task) for task, score in results.items()
                     if isinstance(score, (int, float)) and score < 1)
    solved = len(results) - len(failing)
    lines = [f"Mean score {sum(results.values()) / len(results):.3f} over {len(results)} tasks; "
             f"{solved} fully solved, {len(failing)} not."]
    if len(failing) > MAX_FAILURES_SHOWN:
        failing = sorted(rng.sample(failing, MAX_FAILURES_SHOWN))
        lines.append(f"A sample of {MAX_FAILURES_SHOWN} of the failing tasks:")
    log_lines = log.splitlines()
    for score, task in failing:
        lines.append(f"\n### {task} (score {score:.2f})\nTask: {task_public_text(agent_dir, task)}")
        mentions = [clip(line) for line in log_lines if line.startswith(f"{task}: ")]
        lines += [f"Log: {line}" for line in mentions[:3]] or ["Log: (no line for this task)"]
    return "\n".join(lines)


def show_history(history):
    if not history:
        return "(none yet)"
    lines = []
    for node in history[-MAX_HISTORY_SHOWN:]:
        score = node.get("score")
        shown = f"{score:.3f}" if isinstance(score, (int, float)) else "none"
        flags = ", ".join(node.get("flags") or [])
        lines.append(f"- node {node.get('id')} (parents {node.get('parents')}): "
                     f"{node.get('status')}{', ' + flags if flags else ''}, score {shown}: "
                     f"{clip(node.get('description', ''), 200)}")
    return "\n".join(lines)


def request_text(agent_dir, files, parent, history, log, rng):
    return (f"# The agent's scaffold (you may change exactly one of these files)\n\n"
            f"{show_files(files)}\n\n"
            f"# How the current version did\n\n{show_results(agent_dir, parent, log, rng)}\n\n"
            f"# Earlier versions (newest last)\n\n{show_history(history)}\n\n"
            f"# Your answer\n\n{ANSWER_FORMAT}")


def propose(agent_dir, manifest, files, messages):
    """Asks for an edit, applies it and returns (path, summary); raises EditError."""
    problems = []
    for _ in range(MAX_ATTEMPTS):
        answer = gateway.chat(messages, max_tokens=MAX_TOKENS, temperature=TEMPERATURE)
        try:
            edit = answer_edits.parse_answer(answer.text)
            answer_edits.check_path(edit.path, manifest["evolvable"], manifest.get("protected", []))
            new_text = answer_edits.apply_edit(edit, files.get(edit.path))
        except answer_edits.EditError as e:
            problems.append(str(e))
            messages += [{"role": "assistant", "content": answer.text},
                         {"role": "user", "content": f"Your answer could not be applied: {e}.\n\n"
                                                     f"{ANSWER_FORMAT}"}]
            continue
        target = os.path.join(agent_dir, edit.path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(new_text)
        return edit.path, edit.summary or f"rewrite {edit.path}"
    raise answer_edits.EditError("; then ".join(problems))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agent", default=os.getcwd(), help="the agent folder (default: cwd)")
    parser.add_argument("--context", default=os.environ.get("CLADE_CONTEXT"),
                        help="folder with parent.json, history.json, parent_evaluate.log "
                             "(default: $CLADE_CONTEXT)")
    parser.add_argument("--output", default=os.environ.get("CLADE_OUTPUT"),
                        help="folder to write description.txt into (default: $CLADE_OUTPUT)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CLADE_SEED", "0")),
                        help="picks which failing tasks to show (default: $CLADE_SEED or 0)")
    args = parser.parse_args()

    with open(os.path.join(args.agent, "clade.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    files = evolvable_files(args.agent, manifest["evolvable"])
    parent = read_json(args.context, "parent.json", {})
    history = [n for n in read_json(args.context, "history.json", []) if isinstance(n, dict)]
    log = read_text(args.context, "parent_evaluate.log")
    system = SYSTEM.format(batch_size=manifest.get("batch_size") or len(manifest["tasks"]),
                           wall_seconds=manifest["solve"]["limits"]["wall_seconds"])
    messages = [{"role": "system", "content": system},
                {"role": "user", "content": request_text(args.agent, files, parent, history, log,
                                                         random.Random(args.seed))}]
    try:
        path, summary = propose(args.agent, manifest, files, messages)
    except gateway.NoGateway as e:
        print(f"propose.py: {e}", file=sys.stderr)
        return 2
    except gateway.GatewayError as e:
        print(f"propose.py: the model call failed: {e}", file=sys.stderr)
        return 1
    except answer_edits.EditError as e:
        print(f"propose.py: no usable edit in the model's answer: {e}", file=sys.stderr)
        return 1
    description = clip(f"{summary} [{path}]", 200)
    if args.output:
        with open(os.path.join(args.output, "description.txt"), "w", encoding="utf-8") as f:
            f.write(description + "\n")
    print(description)
    return 0


if __name__ == "__main__":
    sys.exit(main())
