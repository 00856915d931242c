"""The coder agent: asks the model for each task's function, checks it on the visible
examples, retries once with the failures, and writes <out>/<task_id>.py.

Run by the solve phase: python3 /agent/scaffold/coder.py --tasks ID,ID,... --task-dir
/harness/tasks --out /output. Prints one line per task, starting "<task_id>: "; the engine
keeps them in the evaluate log, where propose.py reads them back. A model error on one task
does not stop the others; a spent budget (or a stopping engine) stops asking and skips the
rest. Exits 0 unless the arguments are bad or there is no model gateway at all.
"""

import argparse
import json
import os
import sys
import time

# gateway.py is protected and shared with propose.py, so it lives in the agent's root.
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import gateway  # noqa: E402
import prompting  # noqa: E402
from examples_check import run_examples  # noqa: E402
from extract import extract_code  # noqa: E402

MAX_ATTEMPTS = 2
MAX_TOKENS = 2048
TEMPERATURE = 0.2


class Attempts:
    """What happened while solving one task, for its log line."""

    def __init__(self):
        self.count = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.best_code = None
        self.best_check = None
        self.problem = None

    def keep_if_better(self, code, check):
        if self.best_check is None or check.passed >= self.best_check.passed:
            self.best_code, self.best_check = code, check


def solve_task(task, attempts):
    """Fills `attempts`; raises gateway errors to the caller."""
    messages = prompting.task_messages(task)
    for _ in range(MAX_ATTEMPTS):
        attempts.count += 1
        answer = gateway.chat(messages, max_tokens=MAX_TOKENS, temperature=TEMPERATURE)
        attempts.prompt_tokens += answer.prompt_tokens
        attempts.completion_tokens += answer.completion_tokens
        messages.append({"role": "assistant", "content": answer.text})
        code = extract_code(answer.text, task["function"])
        if code is None:
            attempts.problem = "no code block in the answer"
            messages.append(prompting.no_code_message(task["function"]))
            continue
        check = run_examples(code, task["function"], task["examples"])
        attempts.keep_if_better(code, check)
        if not check.failures:
            return
        messages.append(prompting.retry_message(check.failures))


def log_line(task_id, attempts, seconds, error):
    parts = []
    check = attempts.best_check
    if check is not None:
        parts.append(f"examples {check.passed}/{check.total} passed")
        if check.failures:
            parts.append(f"first failure: {check.failures[0]}")
    elif attempts.problem:
        parts.append(attempts.problem)
    if error:
        parts.append(error)
    outcome = "; ".join(parts) or "no code"
    return (f"{task_id}: {outcome} (attempts {attempts.count}, tokens "
            f"{attempts.prompt_tokens}+{attempts.completion_tokens}, {seconds:.1f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", required=True, help="comma-joined task ids")
    parser.add_argument("--task-dir", required=True, help="folder with the public <task_id>.json")
    parser.add_argument("--out", required=True, help="folder to write <task_id>.py into")
    args = parser.parse_args()
    task_ids = [t for t in args.tasks.split(",") if t]
    if not task_ids:
        parser.error("no task ids given")

    stopped = None
    for task_id in task_ids:
        if stopped:
            print(f"{task_id}: skipped: {stopped}", flush=True)
            continue
        with open(os.path.join(args.task_dir, f"{task_id}.json"), encoding="utf-8") as f:
            task = json.load(f)
        started = time.monotonic()
        attempts = Attempts()
        error = None
        try:
            solve_task(task, attempts)
        except gateway.NoGateway as e:
            print(f"coder: {e}", file=sys.stderr)
            return 2
        except (gateway.BudgetSpent, gateway.GatewayStopping) as e:
            error = f"model error ({e}); not asking for the remaining tasks"
            stopped = "the model is no longer available (budget spent or engine stopping)"
        except gateway.GatewayError as e:
            error = f"model error ({e})"
        if attempts.best_code is not None:
            with open(os.path.join(args.out, f"{task_id}.py"), "w", encoding="utf-8") as f:
                f.write(attempts.best_code)
        print(log_line(task_id, attempts, time.monotonic() - started, error), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
