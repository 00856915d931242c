"""propose.py (the agent improving its own scaffold) against a fake model gateway, on a copy
of the example, with a context folder like the one the engine writes."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from fake_gateway import FakeGateway, completion
from support import EXAMPLE, child_env

FAILING_LOG_LINE = "c07-parse-duration: examples 3/3 passed (attempts 1, tokens 300+80, 2.0 s)"
SCORE_LINE = ("c07-parse-duration: 0.600 (9/15 hidden tests passed; "
              "returned instead of raising ValueError x6)")
EVALUATE_LOG = f"""=== solve: exited with status 0 in 12.5 s (cpu 0.4 s, peak 30 MB)
--- stdout
c01-reverse-words: examples 2/2 passed (attempts 1, tokens 250+40, 1.1 s)
{FAILING_LOG_LINE}
=== score: exited with status 0 in 0.3 s (cpu 0.2 s, peak 20 MB)
--- stdout
{{"tasks": {{}}, "metrics": {{}}}}
--- stderr
c01-reverse-words: 1.000 (10/10 hidden tests passed)
{SCORE_LINE}
"""

NEW_SYSTEM_PROMPT = """You are a careful Python programmer. Before answering, list the edge cases
the specification names and make sure the code handles each (malformed input must raise).
Answers use ```python fences.
"""


class Propose(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.agent = os.path.join(self.folder.name, "agent")
        shutil.copytree(EXAMPLE, self.agent, ignore=shutil.ignore_patterns("__pycache__", "hidden"))
        self.context = os.path.join(self.folder.name, "context")
        self.output = os.path.join(self.folder.name, "output")
        os.makedirs(self.context)
        os.makedirs(self.output)
        self.write_context()

    def tearDown(self):
        self.folder.cleanup()

    def write_context(self):
        parent = {"id": 3, "score": 0.8, "description": "root",
                  "results": {"c01-reverse-words": 1.0, "c07-parse-duration": 0.6},
                  "metrics": {"solved": 0.5}}
        history = [{"id": 0, "parents": [], "generation": 0, "status": "evaluated",
                    "flags": ["kept"], "score": 0.8, "metrics": {},
                    "description": "root: coder as given"},
                   {"id": 1, "parents": [0], "generation": 1, "status": "failed", "flags": [],
                    "score": None, "metrics": {},
                    "description": "retry three times [scaffold/coder.py]"}]
        for name, value in (("parent.json", parent), ("history.json", history)):
            with open(os.path.join(self.context, name), "w", encoding="utf-8") as f:
                json.dump(value, f)
        with open(os.path.join(self.context, "parent_evaluate.log"), "w", encoding="utf-8") as f:
            f.write(EVALUATE_LOG)

    def propose(self, answers):
        """Runs propose.py as the engine does (cwd = the agent) with scripted answers."""
        def respond(body, index):
            return completion(answers[min(index, len(answers) - 1)])

        with FakeGateway(respond) as gateway:
            env = {**gateway.env(), "CLADE_CONTEXT": self.context, "CLADE_OUTPUT": self.output,
                   "CLADE_SEED": "7"}
            done = subprocess.run([sys.executable, os.path.join(self.agent, "propose.py")],
                                  cwd=self.agent, capture_output=True, text=True,
                                  env=child_env(env), timeout=60)
            return done, gateway.requests

    def read(self, *parts):
        with open(os.path.join(*parts), encoding="utf-8") as f:
            return f.read()

    def description(self):
        return self.read(self.output, "description.txt")

    def test_whole_file_answer_replaces_that_file(self):
        answer = ("SUMMARY: make the model list edge cases first\n"
                  "FILE: scaffold/prompts/system.md\n"
                  f"````markdown\n{NEW_SYSTEM_PROMPT}````\n")
        done, requests = self.propose([answer])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(len(requests), 1)
        self.assertEqual(self.read(self.agent, "scaffold", "prompts", "system.md"), NEW_SYSTEM_PROMPT)
        self.assertEqual(self.description(),
                         "make the model list edge cases first [scaffold/prompts/system.md]\n")

        prompt = requests[0]["body"]["messages"][1]["content"]
        self.assertIn("## scaffold/coder.py", prompt)          # the scaffold is shown
        self.assertIn(FAILING_LOG_LINE, prompt)               # with the failing task's log lines
        self.assertIn(SCORE_LINE, prompt)
        self.assertIn("def parse_duration(s: str) -> int", prompt)  # and its public task
        self.assertNotIn("### c01-reverse-words", prompt)     # solved tasks are not
        self.assertIn("retry three times", prompt)            # earlier attempts are

    def test_search_replace_answer_edits_in_place(self):
        before = self.read(self.agent, "scaffold", "coder.py")
        answer = ("SUMMARY: one more repair round\nFILE: scaffold/coder.py\n"
                  "```python\n<<<<<<< SEARCH\nMAX_ATTEMPTS = 2\n=======\nMAX_ATTEMPTS = 3\n"
                  ">>>>>>> REPLACE\n```\n")
        done, _ = self.propose([answer])
        self.assertEqual(done.returncode, 0, done.stderr)
        after = self.read(self.agent, "scaffold", "coder.py")
        self.assertEqual(after, before.replace("MAX_ATTEMPTS = 2\n", "MAX_ATTEMPTS = 3\n"))
        self.assertNotEqual(after, before)
        self.assertEqual(self.description(), "one more repair round [scaffold/coder.py]\n")

    def test_an_unusable_answer_is_shown_back_once_then_it_fails(self):
        before = self.read(self.agent, "scaffold", "coder.py")
        answers = ["I would make the prompts better.",
                   "SUMMARY: x\nFILE: scaffold/coder.py\n<<<<<<< SEARCH\nnot in the file\n=======\n"
                   "y\n>>>>>>> REPLACE\n"]
        done, requests = self.propose(answers)
        self.assertEqual(done.returncode, 1)
        self.assertIn("no usable edit in the model's answer", done.stderr)
        self.assertIn("SEARCH block 1 does not match the file exactly", done.stderr)
        self.assertEqual(len(requests), 2)
        retry = requests[1]["body"]["messages"]
        self.assertEqual([m["role"] for m in retry], ["system", "user", "assistant", "user"])
        self.assertIn("could not be applied", retry[-1]["content"])
        self.assertEqual(self.read(self.agent, "scaffold", "coder.py"), before)
        self.assertFalse(os.path.exists(os.path.join(self.output, "description.txt")))

    def test_protected_files_and_broken_code_are_refused(self):
        answers = ["SUMMARY: x\nFILE: gateway.py\n```python\nx = 1\n```\n",
                   "SUMMARY: x\nFILE: scaffold/coder.py\n```python\ndef broken(:\n```\n"]
        gateway_before = self.read(self.agent, "gateway.py")
        done, _ = self.propose(answers)
        self.assertEqual(done.returncode, 1)
        self.assertIn("'gateway.py' may not be changed", done.stderr)
        self.assertIn("the new scaffold/coder.py does not compile", done.stderr)
        self.assertEqual(self.read(self.agent, "gateway.py"), gateway_before)


if __name__ == "__main__":
    unittest.main()
