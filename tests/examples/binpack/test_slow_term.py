"""examples/binpack's slow term and guard: now and then propose.py wraps its edit with a
term that does thousands of loop steps per bin, so that runs show what the manifest's
guard on clade.solve_seconds_per_task is for. These tests check the term's contract,
by counting work, never by the clock."""

import ast
import importlib.util
import json
import os
import random
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EXAMPLE = os.path.join(REPO, "examples", "binpack")

spec = importlib.util.spec_from_file_location("binpack_propose", os.path.join(EXAMPLE, "propose.py"))
propose = importlib.util.module_from_spec(spec)
spec.loader.exec_module(propose)

with open(os.path.join(EXAMPLE, "heuristic.py"), encoding="utf-8") as f:
    ROOT = f.read()

SEEDS = range(1, 121)


def proposal(source, seed, slow=True, history=()):
    return propose.propose(source, random.Random(seed), {"id": 0}, list(history),
                           propose.slow_stream(seed) if slow else None)


def program(source):
    return propose.Program(ast.parse(source))


def slow_seeds():
    return [s for s in SEEDS if propose.slow_stream(s).random() < propose.SLOW_PROBABILITY]


def first_slow_child():
    seed = slow_seeds()[0]
    source, description = proposal(ROOT, seed)
    assert description.startswith("slow:"), description
    return source


class CountingRange:
    """range() that counts the values it hands out."""

    def __init__(self):
        self.steps = 0

    def __call__(self, *args):
        for value in range(*args):
            self.steps += 1
            yield value


class SlowTerm(unittest.TestCase):
    def test_some_proposals_are_slow_and_say_so(self):
        slow = 0
        for seed in SEEDS:
            source, description = proposal(ROOT, seed)
            slow_statements = program(source).slow
            self.assertEqual(len(slow_statements), 1 if description.startswith("slow:") else 0,
                             description)
            slow += bool(slow_statements)
        # 6% of proposals, give or take the draw.
        self.assertGreaterEqual(slow, 2)
        self.assertLessEqual(slow, 18)

    def test_other_proposals_are_the_same_as_without_it(self):
        seeds = [s for s in SEEDS if s not in slow_seeds()][:30]
        for seed in seeds:
            self.assertEqual(proposal(ROOT, seed), proposal(ROOT, seed, slow=False), seed)

    def test_a_slow_child_wraps_an_ordinary_edit(self):
        source = first_slow_child()
        description = proposal(ROOT, slow_seeds()[0])[1]
        self.assertIn("; ", description)  # "slow: ...; <the ordinary edit> [fingerprint]"
        without = ast.parse(source)
        loop = propose.Program(without).loop
        loop.body = [s for s in loop.body if s not in propose.slow_statements(without)]
        self.assertNotEqual(ast.dump(without), ast.dump(ast.parse(ROOT)))

    def test_each_bin_costs_thousands_of_steps(self):
        source = first_slow_child()
        for code, least, most in ((ROOT, 0, 0), (source, propose.SLOW_SIZES ** 3, None)):
            counting = CountingRange()
            namespace = {"range": counting}
            exec(compile(code, "heuristic.py", "exec"), namespace)
            item, bins = 30, [100, 80, 60, 45]
            namespace["priority"](item, bins)
            self.assertGreaterEqual(counting.steps, least * len(bins))
            if most is not None:
                self.assertLessEqual(counting.steps, most)
        self.assertGreaterEqual(propose.SLOW_SIZES ** 3, 10000)

    def test_the_twin_chooses_as_the_slow_code(self):
        n = propose.SLOW_SIZES
        for gap in range(-100, 101):
            # For each a and b, the c in 1..n with a + b + c <= gap.
            count = sum(max(0, min(n, gap - a - b)) for a in range(1, n + 1) for b in range(1, n + 1))
            self.assertEqual(propose.TRIPLES[gap], count, gap)
        source = first_slow_child()
        twin = ast.unparse(propose.fast_twin(ast.parse(source)))
        self.assertNotIn("range(", twin)
        states = propose.REALISTIC[:25]
        self.assertEqual(propose.choices(propose.load(source), states),
                         propose.choices(propose.load(twin), states))

    def test_mutations_leave_the_slow_term_alone(self):
        parent = first_slow_child()
        term = ast.dump(program(parent).slow[0])
        for seed in range(1, 31):
            child, _ = proposal(parent, seed, slow=False)
            statements = program(child).slow
            self.assertEqual([ast.dump(s) for s in statements], [term], child)
            # No editable expression lies inside it.
            inside = {id(n) for n in ast.walk(statements[0])}
            self.assertFalse(any(id(slot[3]) in inside for slot in program(child).slots()))

    def test_a_program_takes_at_most_one(self):
        parent = first_slow_child()
        for seed in slow_seeds()[:5]:
            child, description = proposal(parent, seed)
            self.assertFalse(description.startswith("slow:"))
            self.assertEqual(len(program(child).slow), 1)

    def test_a_poor_packing_gets_no_slow_term(self):
        worst_fit = ROOT.replace("score = -index", "score = remaining")
        self.assertGreater(propose.packing_work(propose.load(worst_fit)),
                           propose.SLOW_MAX_WORK * propose.FIRST_FIT_WORK)
        for seed in slow_seeds()[:8]:
            child, description = proposal(worst_fit, seed)
            if description.startswith("slow:"):
                twin = propose.load(ast.unparse(propose.fast_twin(ast.parse(child))))
                self.assertLessEqual(propose.packing_work(twin),
                                     propose.SLOW_MAX_WORK * propose.FIRST_FIT_WORK)


class Guards(unittest.TestCase):
    def guards(self, example):
        with open(os.path.join(REPO, "examples", example, "clade.json"), encoding="utf-8") as f:
            return json.load(f)["metrics"]["guards"]

    def test_binpack_limits_solve_time(self):
        self.assertEqual(self.guards("binpack"), [
            {"name": "clade.solve_seconds_per_task", "direction": "minimize", "limit": 0.5}])

    def test_coder_limits_model_cost(self):
        self.assertEqual(self.guards("coder"), [
            {"name": "clade.cost_usd_per_task", "direction": "minimize", "limit": 0.1}])


if __name__ == "__main__":
    unittest.main()
