"""The coder example's benchmark and score harness, checked with the reference solutions in
tests/fixtures/coder/solutions and with deliberately wrong, hanging and hostile ones."""

import os
import tempfile
import time
import unittest

from support import (EXAMPLE, HARNESS, MANIFEST, SOLUTIONS, TASK_IDS, hidden_tests, public_task,
                     reference_source, run_score, write_solutions)


class BenchmarkFiles(unittest.TestCase):
    def test_manifest_lists_each_task_with_public_hidden_and_reference_parts(self):
        def ids(folder, ext):
            return sorted(name[:-len(ext)] for name in os.listdir(folder) if name.endswith(ext))

        self.assertGreaterEqual(len(TASK_IDS), 32)
        self.assertEqual(len(set(TASK_IDS)), len(TASK_IDS))
        self.assertEqual(ids(os.path.join(HARNESS, "tasks"), ".json"), sorted(TASK_IDS))
        self.assertEqual(ids(os.path.join(HARNESS, "hidden"), ".json"), sorted(TASK_IDS))
        self.assertEqual(ids(SOLUTIONS, ".py"), sorted(TASK_IDS))

    def test_task_files_follow_the_format(self):
        for task_id in TASK_IDS:
            with self.subTest(task_id):
                task = public_task(task_id)
                self.assertEqual(set(task), {"id", "function", "signature", "prompt", "examples"})
                self.assertEqual(task["id"], task_id)
                self.assertTrue(task["signature"].startswith(f"def {task['function']}("))
                self.assertTrue(2 <= len(task["examples"]) <= 3)
                tests = hidden_tests(task_id)
                self.assertTrue(8 <= len(tests) <= 15)
                for test in tests:
                    self.assertIsInstance(test["args"], list)
                    self.assertTrue(("expected" in test) != ("raises" in test))

    def test_reference_solutions_pass_the_visible_examples(self):
        for task_id in TASK_IDS:
            with self.subTest(task_id):
                task = public_task(task_id)
                namespace = {}
                exec(compile(reference_source(task_id), f"{task_id}.py", "exec"), namespace)
                for args, expected in task["examples"]:
                    self.assertEqual(namespace[task["function"]](*args), expected)

    def test_manifest_keeps_hidden_tests_away_from_candidates(self):
        self.assertEqual(MANIFEST["evolvable"], ["scaffold/"])
        for path in ("clade.json", "propose.py", "answer_edits.py", "gateway.py", "harness/"):
            self.assertIn(path, MANIFEST["protected"])
        self.assertEqual(MANIFEST["harness_hidden"], ["hidden/"])
        # Without this the candidate's own checkout (/agent/harness/hidden) would hold them.
        self.assertIn("harness/hidden/", MANIFEST["ignore"])
        self.assertEqual(sorted(MANIFEST["llm_gateway"]), ["propose", "solve"])
        self.assertNotIn("hidden", " ".join(MANIFEST["solve"]["command"]))
        for path in MANIFEST["solve"]["command"][1:2] + MANIFEST["propose"]["command"][1:]:
            self.assertTrue(os.path.isfile(os.path.join(EXAMPLE, path.replace("/agent/", ""))), path)


class Scoring(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.solutions = self.folder.name

    def tearDown(self):
        self.folder.cleanup()

    def test_reference_solutions_score_one_on_every_task(self):
        scores, metrics, stderr = run_score(self, SOLUTIONS)
        self.assertEqual(scores, {task_id: 1.0 for task_id in TASK_IDS}, stderr)
        self.assertEqual(metrics, {"solved": 1.0, "no_solution": 0.0, "tests_passed": 1.0})

    def test_stubs_score_zero_on_every_task(self):
        write_solutions(self.solutions, {
            task_id: f"def {public_task(task_id)['function']}(*args):\n    raise NotImplementedError\n"
            for task_id in TASK_IDS})
        scores, metrics, stderr = run_score(self, self.solutions)
        self.assertEqual(scores, {task_id: 0.0 for task_id in TASK_IDS})
        self.assertEqual(metrics["solved"], 0.0)
        self.assertIn("raised NotImplementedError", stderr)

    def test_returning_none_scores_only_the_tests_that_expect_none(self):
        write_solutions(self.solutions, {
            task_id: f"def {public_task(task_id)['function']}(*args):\n    return None\n"
            for task_id in TASK_IDS})
        scores, _, _ = run_score(self, self.solutions)
        for task_id in TASK_IDS:
            tests = hidden_tests(task_id)
            expecting_none = sum(1 for t in tests if "expected" in t and t["expected"] is None)
            self.assertAlmostEqual(scores[task_id], expecting_none / len(tests), msg=task_id)
        self.assertGreater(scores["c32-get-path"], 0)

    def test_endless_loop_and_missing_file_score_zero_within_the_time_limit(self):
        tasks = ["c01-reverse-words", "c02-run-length-encode", "c03-run-length-decode"]
        write_solutions(self.solutions, {
            "c01-reverse-words": reference_source("c01-reverse-words"),
            "c02-run-length-encode": "def rle_encode(s):\n    while True:\n        pass\n"})
        started = time.monotonic()
        scores, metrics, stderr = run_score(self, self.solutions, tasks, case_seconds=0.5)
        self.assertLess(time.monotonic() - started, 15)
        self.assertEqual(scores, {"c01-reverse-words": 1.0, "c02-run-length-encode": 0.0,
                                  "c03-run-length-decode": 0.0})
        self.assertIn("c02-run-length-encode: 0.000", stderr)
        self.assertIn("timed out", stderr)
        self.assertIn("c03-run-length-decode: scored 0: no solution file", stderr)
        self.assertAlmostEqual(metrics["no_solution"], 1 / 3)

    def test_a_hang_on_one_edge_case_costs_only_that_test(self):
        source = reference_source("c01-reverse-words").replace(
            "def reverse_words(s):\n", "def reverse_words(s):\n    while s == '':\n        pass\n")
        write_solutions(self.solutions, {"c01-reverse-words": source})
        scores, _, stderr = run_score(self, self.solutions, ["c01-reverse-words"], case_seconds=0.5)
        self.assertEqual(scores["c01-reverse-words"], 0.9, stderr)

    def test_naive_solutions_miss_the_edge_cases(self):
        write_solutions(self.solutions, {
            "c12-is-ipv4": "def is_ipv4(s):\n    p = s.split('.')\n"
                           "    return len(p) == 4 and all(x.isdigit() and int(x) < 256 for x in p)\n",
            "c21-eval-rpn": reference_source("c21-eval-rpn").replace(
                "q = abs(a) // abs(b)\n                stack.append(q if (a < 0) == (b < 0) else -q)",
                "stack.append(a // b)"),
            # Exponential: fine on short strings, hopeless on the long hidden ones.
            "c28-edit-distance": "def levenshtein(a, b):\n"
                                 "    if not a or not b:\n"
                                 "        return len(a) + len(b)\n"
                                 "    return min(levenshtein(a[1:], b) + 1, levenshtein(a, b[1:]) + 1,\n"
                                 "               levenshtein(a[1:], b[1:]) + (a[0] != b[0]))\n"})
        tasks = ["c12-is-ipv4", "c21-eval-rpn", "c28-edit-distance"]
        scores, _, stderr = run_score(self, self.solutions, tasks, case_seconds=0.5)
        for task_id in tasks:
            self.assertGreater(scores[task_id], 0, stderr)
            self.assertLess(scores[task_id], 1, stderr)

    def test_solutions_can_import_the_preloaded_standard_modules(self):
        imports = ("import abc, array, bisect, calendar, cmath, collections, copy, csv, dataclasses\n"
                   "import datetime, decimal, enum, fractions, functools, graphlib, heapq, io\n"
                   "import ipaddress, itertools, json, math, numbers, operator, os, queue, random\n"
                   "import re, statistics, string, sys, textwrap, time, types, typing, unicodedata\n"
                   "from collections import Counter, OrderedDict, defaultdict, deque\n"
                   "from typing import List, Optional\n")
        write_solutions(self.solutions,
                        {"c36-split-csv": imports + reference_source("c36-split-csv")})
        scores, _, stderr = run_score(self, self.solutions, ["c36-split-csv"])
        self.assertEqual(scores["c36-split-csv"], 1.0, stderr)

    def test_solutions_cannot_read_the_hidden_tests(self):
        hidden = os.path.join(HARNESS, "hidden", "c01-reverse-words.json")
        write_solutions(self.solutions, {"c01-reverse-words": (
            "import json\n"
            "def reverse_words(s):\n"
            f"    tests = json.load(open({hidden!r}))['tests']\n"
            "    return next(t['expected'] for t in tests if t['args'] == [s])\n")})
        os.symlink(os.path.join(HARNESS, "hidden", "c04-roman-to-int.json"),
                   os.path.join(self.solutions, "c04-roman-to-int.py"))
        scores, _, stderr = run_score(self, self.solutions, ["c01-reverse-words", "c04-roman-to-int"])
        self.assertEqual(scores, {"c01-reverse-words": 0.0, "c04-roman-to-int": 0.0})
        self.assertIn("raised OSError", stderr)  # no file descriptors left to open anything
        self.assertIn("c04-roman-to-int: scored 0: cannot open the solution file", stderr)
        for test in hidden_tests("c01-reverse-words"):  # the log shows no hidden test data
            if len(test["expected"]) > 3:
                self.assertNotIn(test["expected"], stderr)


if __name__ == "__main__":
    unittest.main()
