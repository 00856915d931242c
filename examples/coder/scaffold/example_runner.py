"""Child process of examples_check.py: runs candidate code on the task's visible examples.

Reads {"code", "function", "examples"} as JSON on stdin and prints {"passed": n, "failures":
[one text per failing example, or the reason the code does not load]}.
"""

import json
import sys

MAX_FAILURE_CHARS = 300


def describe(function, args):
    return f"{function}({', '.join(repr(a) for a in args)})"


def short(text):
    return text if len(text) <= MAX_FAILURE_CHARS else text[:MAX_FAILURE_CHARS - 3] + "..."


def main():
    job = json.load(sys.stdin)
    real_stdout, sys.stdout = sys.stdout, sys.stderr  # the code's prints must not mix in
    passed, failures = 0, []
    namespace = {"__name__": "solution"}
    try:
        exec(compile(job["code"], "solution.py", "exec"), namespace)
        function = namespace[job["function"]]
    except BaseException as e:
        failures.append(short(f"the code does not load: {type(e).__name__}: {e}"))
    else:
        for args, expected in job["examples"]:
            call = describe(job["function"], args)
            try:
                got = json.loads(json.dumps(function(*args)))
            except BaseException as e:
                failures.append(short(f"{call} raised {type(e).__name__}: {e}; "
                                      f"expected {expected!r}"))
                continue
            if got == expected:
                passed += 1
            else:
                failures.append(short(f"{call} returned {got!r}; expected {expected!r}"))
    real_stdout.write(json.dumps({"passed": passed, "failures": failures}))


if __name__ == "__main__":
    main()
