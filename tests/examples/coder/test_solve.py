"""The coder agent's solve step against a fake model gateway, outside the sandbox."""

import os
import re
import subprocess
import sys
import tempfile
import unittest

from fake_gateway import FakeGateway, completion, error
from support import (EXAMPLE, HARNESS, TASK_IDS, child_env, public_task, reference_source,
                     run_score)

TASK_BY_FUNCTION = {public_task(task_id)["function"]: task_id for task_id in TASK_IDS}


def asked_function(body):
    """The function the conversation is about: the first user message names its signature."""
    first = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return re.search(r"def (\w+)\(", first).group(1)


def reference_answer(function):
    source = reference_source(TASK_BY_FUNCTION[function])
    return completion(f"Here is the function.\n\n```python\n{source}```\n")


class Solve(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.out = self.folder.name

    def tearDown(self):
        self.folder.cleanup()

    def solve(self, tasks, env):
        command = [sys.executable, os.path.join(EXAMPLE, "scaffold", "coder.py"),
                   "--tasks", ",".join(tasks), "--task-dir", os.path.join(HARNESS, "tasks"),
                   "--out", self.out]
        return subprocess.run(command, capture_output=True, text=True, env=child_env(env),
                              timeout=120)

    def log_line(self, done, task_id):
        return next(line for line in done.stdout.splitlines() if line.startswith(f"{task_id}: "))

    def test_reference_answers_solve_every_task(self):
        with FakeGateway(lambda body, _: reference_answer(asked_function(body))) as gateway:
            done = self.solve(TASK_IDS, gateway.env())
            requests = gateway.requests
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(len(requests), len(TASK_IDS))  # every answer passed its examples at once
        first = requests[0]
        self.assertEqual(first["path"], "/v1/chat/completions")
        self.assertEqual(first["headers"]["Content-Type"], "application/json")
        self.assertNotIn("Authorization", first["headers"])
        self.assertEqual([m["role"] for m in first["body"]["messages"]], ["system", "user"])
        for task_id in TASK_IDS:
            examples = len(public_task(task_id)["examples"])
            self.assertIn(f"examples {examples}/{examples} passed", self.log_line(done, task_id))
        scores, metrics, stderr = run_score(self, self.out)
        self.assertEqual(scores, {task_id: 1.0 for task_id in TASK_IDS}, stderr)
        self.assertEqual(metrics["solved"], 1.0)

    def test_a_spent_budget_stops_asking(self):
        def respond(body, index):
            return reference_answer(asked_function(body)) if index == 0 else error(402, "budget spent")

        tasks = TASK_IDS[:4]
        with FakeGateway(respond) as gateway:
            done = self.solve(tasks, gateway.env())
            asked = len(gateway.requests)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(asked, 2)
        self.assertEqual(os.listdir(self.out), [f"{tasks[0]}.py"])
        self.assertIn("HTTP 402: budget spent", self.log_line(done, tasks[1]))
        for task_id in tasks[2:]:
            self.assertIn("skipped", self.log_line(done, task_id))

    def test_a_model_error_on_one_task_does_not_stop_the_others(self):
        failing = TASK_IDS[1]

        def respond(body, _):
            function = asked_function(body)
            if TASK_BY_FUNCTION[function] == failing:
                return error(502, "provider failed after 3 tries", "upstream_error")
            return reference_answer(function)

        tasks = TASK_IDS[:3]
        with FakeGateway(respond) as gateway:
            done = self.solve(tasks, gateway.env())
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(sorted(os.listdir(self.out)), [f"{tasks[0]}.py", f"{tasks[2]}.py"])
        self.assertIn("model error (HTTP 502: provider failed after 3 tries)",
                      self.log_line(done, failing))

    def test_failing_examples_are_sent_back_once(self):
        task_id = "c04-roman-to-int"

        def respond(body, index):
            if index == 0:
                return completion("```python\ndef roman_to_int(s):\n    return len(s)\n```")
            return reference_answer(asked_function(body))

        with FakeGateway(respond) as gateway:
            done = self.solve([task_id], gateway.env())
            requests = gateway.requests
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(len(requests), 2)
        retry = requests[1]["body"]["messages"]
        self.assertEqual([m["role"] for m in retry], ["system", "user", "assistant", "user"])
        self.assertIn("roman_to_int('MCMXCIV') returned 7; expected 1994", retry[-1]["content"])
        self.assertIn("examples 2/2 passed (attempts 2", self.log_line(done, task_id))
        scores, _, _ = run_score(self, self.out, [task_id])
        self.assertEqual(scores[task_id], 1.0)

    def test_an_answer_without_code_writes_nothing(self):
        with FakeGateway(lambda body, _: completion("I cannot help with that.")) as gateway:
            done = self.solve(["c01-reverse-words"], gateway.env())
            asked = len(gateway.requests)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(asked, 2)
        self.assertEqual(os.listdir(self.out), [])
        self.assertIn("no code block in the answer", self.log_line(done, "c01-reverse-words"))

    def test_without_a_gateway_it_says_how_to_get_one(self):
        done = self.solve(["c01-reverse-words"], {})
        self.assertEqual(done.returncode, 2)
        self.assertIn("no model gateway: run this example with --llm-provider/--llm-model",
                      done.stderr)


if __name__ == "__main__":
    unittest.main()
