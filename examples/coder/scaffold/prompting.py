"""Builds the chat messages the agent sends, from the templates in prompts/.

Templates use string.Template ($name) so that braces in code need no escaping.
"""

import os
import string

PROMPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prompts")


def template(name):
    with open(os.path.join(PROMPTS, name), encoding="utf-8") as f:
        return string.Template(f.read())


def show_call(function, args):
    return f"{function}({', '.join(repr(a) for a in args)})"


def task_messages(task):
    examples = "\n".join(f"{show_call(task['function'], args)} -> {expected!r}"
                         for args, expected in task["examples"])
    user = template("task.md").substitute(signature=task["signature"], prompt=task["prompt"],
                                          examples=examples)
    return [{"role": "system", "content": template("system.md").substitute()},
            {"role": "user", "content": user}]


def retry_message(failures):
    text = "\n".join(f"- {failure}" for failure in failures)
    return {"role": "user", "content": template("retry.md").substitute(failures=text)}


def no_code_message(function):
    return {"role": "user", "content": template("no_code.md").substitute(function=function)}
