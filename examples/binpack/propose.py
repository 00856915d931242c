"""The binpack agent's own improver: one random, checked edit of heuristic.py.

Run by the engine's propose phase with the parent's code as cwd. It parses heuristic.py,
applies one or more small mutations to the priority function through the ast module
(tweak a constant, swap an operator, add/drop/replace a term from a small grammar, add or
drop an `if ...: score += ...` rule), and keeps the result only if it compiles, returns
one finite number per bin on sample inputs without raising, packs at least one sample
differently from the parent and is not a program the history has already tried. The file
is written back with ast.unparse (comments are lost; the module docstring is kept) and a
one-line description goes to $CLADE_OUTPUT/description.txt.

Now and then (SLOW_PROBABILITY) the edit also adds a slow term: a best-fit-like feature
computed the wasteful way, thousands of loop steps per bin, which makes the solve phase
about a hundred times slower while the packing may well improve. Its description starts with
"slow:". It is there so that runs of this example show what the manifest's guard on
clade.solve_seconds_per_task is for: without the guard such a child can be kept, and
everything built on it is slow; with it, it is reverted however well it scores.

Deterministic given CLADE_SEED and the context folder (parent.json, history.json).
"""

import argparse
import ast
import copy
import hashlib
import json
import math
import numbers
import os
import random
import re
import sys

MAX_ATTEMPTS = 300
MAX_NODES = 160  # keeps evolved heuristics readable and the solve phase fast
MAX_RULES = 4    # `if` statements in the loop

# Terms the mutations insert. Every division has a denominator that is >= 1 for any bin
# that fits (remaining >= item >= 1), and mutations never edit a denominator, so no
# edit can introduce a division by zero. {c} is filled with a small positive constant.
TERMS = [
    "item", "remaining", "index", "remaining - item",
    "(remaining - item) * (remaining - item)", "remaining * remaining", "item * item",
    "1 / (1 + remaining - item)", "1 / (1 + remaining)", "1 / (1 + index)",
    "item / remaining", "min(remaining - item, {c})", "max(remaining - item, {c})",
    "(remaining - item == 0)", "(remaining - item <= {c})", "(remaining >= {c})",
]
CONDITIONS = [
    "remaining - item == 0", "remaining - item <= {c}", "remaining - item >= {c}",
    "remaining <= {c}", "item >= {c}", "item <= {c}", "index == 0",
]
THRESHOLDS = [1, 2, 3, 5, 8, 10, 15, 20, 30, 40, 50, 60]
COEFFICIENTS = [0.01, 0.1, 0.5, 1, 2, 5, 10, 100]
SWAPPABLE = (ast.Add, ast.Sub, ast.Mult)
COMPARISONS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
FINGERPRINT = re.compile(r"\[([0-9a-f]{8})\]\s*$")

# The slow term: minus the number of ways three future items of sizes 1..25 would still
# fit in the bin after this item, counted one triple at a time: 15,625 steps per bin where
# a table lookup would do, which makes the solve phase about a hundred times slower than
# first fit's (over a second per task instead of 0.01 s) yet well inside the harness's
# 60 s. Fewer ways means a tighter fit, so it leans towards best fit: such a child may
# well score as high as its parent or higher, which is the point of the demonstration.
# At most one per program, and mutations never edit it (an edit of its ranges could make
# it slower than the harness's time limit allows).
SLOW_PROBABILITY = 0.06
SLOW_SIZES = 25
SLOW_CALL = ("sum(1 for a in range(1, {n}) for b in range(1, {n}) for c in range(1, {n}) "
             "if a + b + c <= remaining - item)").format(n=SLOW_SIZES + 1)
SLOW_COEFFICIENTS = [0.001, 0.01, 0.1]
SLOW_ATTEMPTS = 20  # then the proposal goes on without one
SLOW_SAMPLES = 3    # realistic states the slow code itself runs on, against its fast twin
SLOW_NAMES = {"item", "remaining"}
# The slow term's cost grows with the bins it scores, which a poor packing multiplies
# (every half-empty bin still fits the next item). A slow program may score at most this
# many times as many bins as first fit does on WORK_SAMPLE, so it stays well inside the
# harness's limits whatever its packing.
SLOW_MAX_WORK = 1.5


def is_slow_call(node):
    return (isinstance(node, ast.Call) and any(isinstance(a, ast.GeneratorExp) for a in node.args)
            and ast.dump(node) == ast.dump(ast.parse(SLOW_CALL, mode="eval").body))


def slow_statements(function):
    """The statements of function that hold the slow term."""
    return [s for s in ast.walk(function) if isinstance(s, (ast.Assign, ast.AugAssign))
            and any(is_slow_call(n) for n in ast.walk(s.value))]


def triple_counts():
    """What SLOW_CALL counts, for every gap a bin can have (-100..100), from the
    distribution of a + b + c."""
    sizes = range(1, SLOW_SIZES + 1)
    sums = [0] * (3 * SLOW_SIZES + 1)
    for a in sizes:
        for b in sizes:
            for c in sizes:
                sums[a + b + c] += 1
    table, running = {}, 0
    for gap in range(-100, 101):
        if 0 <= gap < len(sums):
            running += sums[gap]
        table[gap] = running
    return table


TRIPLES = triple_counts()


def fast_twin(tree):
    """A copy of tree whose slow terms read TRIPLES instead of counting, so checking a
    candidate stays quick: it makes exactly the same choices (see propose())."""
    twin = copy.deepcopy(tree)

    class Lookup(ast.NodeTransformer):
        def visit_Call(self, node):
            if is_slow_call(node):
                return expr("_triples(remaining - item)")
            return self.generic_visit(node)

    return ast.fix_missing_locations(Lookup().visit(twin))


class NotApplicable(Exception):
    """The chosen mutation has nothing to act on in this program; pick another."""


def short(node, limit=60):
    text = ast.unparse(node)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def signed(op, node):
    """`+ x` / `- (a - b)`: the operand as it reads after op, parenthesized if needed."""
    return ast.unparse(ast.BinOp(ast.Name("_"), op, node))[2:]


def expr(source):
    return ast.parse(source, mode="eval").body


def round3(x):
    """Three significant digits, so constants in the evolved file stay readable."""
    value = float(f"{x:.3g}")
    return int(value) if value.is_integer() and abs(value) < 1e6 else value


class Program:
    """heuristic.py's tree plus the places in priority() that mutations may edit."""

    def __init__(self, tree):
        self.tree = tree
        self.function = next((n for n in tree.body if isinstance(n, ast.FunctionDef)
                              and n.name == "priority"), None)
        if self.function is None:
            raise ValueError("heuristic.py has no top-level def priority(...)")
        loops = [n for n in ast.walk(self.function) if isinstance(n, ast.For)]
        self.loop = loops[0] if loops else None
        # Roots of editable expressions: right-hand sides of assignments and `if` tests
        # inside the per-bin loop (or anywhere in priority() if it has no loop).
        scope = self.loop if self.loop is not None else self.function
        self.slow = slow_statements(self.function)
        self.roots = []
        for node in ast.walk(scope):
            if any(node is s for s in self.slow):
                continue
            if isinstance(node, (ast.Assign, ast.AugAssign)) and not isinstance(node.value, ast.List):
                self.roots.append((node, "value"))
            elif isinstance(node, ast.If):
                self.roots.append((node, "test"))
            elif isinstance(node, ast.Return) and node.value is not None and self.loop is None:
                self.roots.append((node, "value"))
        self.score_name = next((n.targets[0].id for n, _ in self.roots if isinstance(n, ast.Assign)
                                and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)), None)

    def slots(self):
        """(parent, field, list index or None, node) for every editable expression."""
        found = []

        def visit(parent, field, index, node):
            found.append((parent, field, index, node))
            for name, value in ast.iter_fields(node):
                # Denominators and called names stay as the grammar wrote them.
                if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and name == "right":
                    continue
                if isinstance(node, ast.Call) and name == "func":
                    continue
                if isinstance(value, list):
                    for i, child in enumerate(value):
                        if isinstance(child, ast.expr):
                            visit(node, name, i, child)
                elif isinstance(value, ast.expr):
                    visit(node, name, None, value)

        for stmt, field in self.roots:
            visit(stmt, field, None, getattr(stmt, field))
        return found

    def rules(self):
        """(containing body list, position) of each `if` in the loop body."""
        if self.loop is None:
            return []
        return [(self.loop.body, i) for i, s in enumerate(self.loop.body) if isinstance(s, ast.If)]

    def size(self):
        """Nodes of priority() outside its slow term, which is fixed and does not count."""
        slow = sum(1 for s in self.slow for _ in ast.walk(s))
        return sum(1 for _ in ast.walk(self.function)) - slow

    def fingerprint(self):
        return hashlib.sha1(ast.dump(self.function).encode()).hexdigest()[:8]


def replace(slot, new):
    parent, field, index, _ = slot
    if index is None:
        setattr(parent, field, new)
    else:
        getattr(parent, field)[index] = new


class Mutator:
    def __init__(self, rng):
        self.rng = rng

    def constant(self):
        return self.rng.choice(THRESHOLDS)

    def term(self):
        return expr(self.rng.choice(TERMS).format(c=self.constant()))

    def scaled_term(self):
        term = self.term()
        coefficient = self.rng.choice(COEFFICIENTS)
        if coefficient == 1:
            return term
        return ast.BinOp(ast.Constant(coefficient), ast.Mult(), term)

    # Each mutation edits program in place and returns a short description, or raises
    # NotApplicable.

    def tweak_constant(self, program):
        slots = [s for s in program.slots() if isinstance(s[3], ast.Constant)
                 and isinstance(s[3].value, (int, float)) and not isinstance(s[3].value, bool)]
        if not slots:
            raise NotApplicable
        slot = self.rng.choice(slots)
        old = slot[3].value
        how = self.rng.random()
        if how < 0.6:
            new = old * self.rng.uniform(0.5, 2.0)
        elif how < 0.8:
            new = old + self.rng.choice([-1, 1]) * max(1, abs(old) * 0.1)
        elif how < 0.9:
            new = -old
        else:
            new = self.rng.choice(COEFFICIENTS + THRESHOLDS)
        new = round3(new)
        if new == old:
            raise NotApplicable
        replace(slot, ast.Constant(new))
        return f"change constant {old} to {new}"

    def swap_operator(self, program):
        choices = []
        for slot in program.slots():
            node = slot[3]
            if isinstance(node, ast.BinOp) and isinstance(node.op, SWAPPABLE + (ast.Div,)):
                choices.append(node)
            elif isinstance(node, ast.Compare) and len(node.ops) == 1:
                choices.append(node)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in ("min", "max")):
                choices.append(node)
        if not choices:
            raise NotApplicable
        node = self.rng.choice(choices)
        before = short(node)
        if isinstance(node, ast.BinOp):
            # Multiplication may replace division, never the reverse (denominators can be 0).
            options = [op for op in SWAPPABLE if not isinstance(node.op, op)]
            node.op = self.rng.choice(options)()
        elif isinstance(node, ast.Compare):
            options = [op for op in COMPARISONS if not isinstance(node.ops[0], op)]
            node.ops = [self.rng.choice(options)()]
        else:
            node.func = ast.Name("max" if node.func.id == "min" else "min", ast.Load())
        return f"swap operator: {before} -> {short(node)}"

    def add_term(self, program):
        if not program.roots:
            raise NotApplicable
        stmt, field = self.rng.choice(program.roots)
        if field == "test":
            raise NotApplicable
        term = self.scaled_term()
        op = self.rng.choice([ast.Add, ast.Sub])()
        setattr(stmt, field, ast.BinOp(getattr(stmt, field), op, term))
        return f"add term {signed(op, term)}"

    def drop_term(self, program):
        """Replaces an operation by one of its operands (also unwraps -x, min(x, c), ...)."""
        choices = []
        for slot in program.slots():
            node = slot[3]
            if isinstance(node, ast.BinOp):
                choices += [(slot, node.left), (slot, node.right)]
            elif isinstance(node, ast.UnaryOp):
                choices.append((slot, node.operand))
            elif isinstance(node, ast.Call) and node.args:
                choices += [(slot, arg) for arg in node.args]
        if not choices:
            raise NotApplicable
        slot, kept = self.rng.choice(choices)
        before = short(slot[3])
        replace(slot, kept)
        return f"simplify {before} -> {short(kept)}"

    def replace_subexpression(self, program):
        slots = [s for s in program.slots() if not isinstance(s[3], ast.Compare)
                 and s[1] not in ("test",)]
        if not slots:
            raise NotApplicable
        # Prefer leaves: replacing a whole expression throws away everything learned.
        leaves = [s for s in slots if isinstance(s[3], (ast.Name, ast.Constant))]
        slot = self.rng.choice(leaves if leaves and self.rng.random() < 0.7 else slots)
        before = short(slot[3])
        new = self.term()
        replace(slot, new)
        return f"replace {before} with {short(new)}"

    def wrap(self, program):
        slots = [s for s in program.slots() if not isinstance(s[3], ast.Compare) and s[1] != "test"]
        if not slots:
            raise NotApplicable
        slot = self.rng.choice(slots)
        inner = ast.unparse(slot[3])
        c = self.constant()
        template = self.rng.choice([
            "-({x})", "({x}) * ({x})", "1 / (1 + abs({x}))", "min({x}, {c})", "max({x}, {c})",
            "{k} * ({x})",
        ])
        new = expr(template.format(x=inner, c=c, k=self.rng.choice(COEFFICIENTS)))
        replace(slot, new)
        return f"rewrite {short(slot[3], 40)} as {short(new)}"

    def add_rule(self, program):
        if program.loop is None or program.score_name is None or len(program.rules()) >= MAX_RULES:
            raise NotApplicable
        body = program.loop.body
        # Insert before the statement that hands the score over (scores.append(score)),
        # so the rule sees the score computed above it.
        position = next((i for i, s in enumerate(body) if isinstance(s, ast.Expr)), len(body))
        condition = self.rng.choice(CONDITIONS).format(c=self.constant())
        amount = self.scaled_term() if self.rng.random() < 0.5 else ast.Constant(self.rng.choice(COEFFICIENTS))
        op = self.rng.choice([ast.Add, ast.Sub])()
        rule = ast.If(test=expr(condition), body=[ast.AugAssign(
            target=ast.Name(program.score_name, ast.Store()), op=op, value=amount)], orelse=[])
        body.insert(position, rule)
        return f"add rule: if {short(rule.test)}: {short(rule.body[0])}"

    def drop_rule(self, program):
        rules = program.rules()
        if not rules:
            raise NotApplicable
        body, i = self.rng.choice(rules)
        removed = body.pop(i)
        return f"drop rule: if {short(removed.test)}"

    def mutate(self, program):
        weighted = [(self.tweak_constant, 3), (self.swap_operator, 1.5), (self.add_term, 2),
                    (self.drop_term, 1), (self.replace_subexpression, 2), (self.wrap, 1),
                    (self.add_rule, 1.5), (self.drop_rule, 0.5)]
        mutations, weights = zip(*weighted)
        return self.rng.choices(mutations, weights)[0](program)


def sample_states():
    """Fixed (item, bins_remaining) inputs: (edge cases, states like real packing)."""
    edges = []
    for item in (1, 2, 3, 10, 25, 45, 50, 51, 80, 99, 100):
        edges.append((item, list(range(item, 101))))
        edges.append((item, list(range(100, item - 1, -1))))
    edges.append((30, [100] * 60))
    states = []
    rng = random.Random(20240601)
    for _ in range(150):
        item = min(100, max(1, round(rng.weibullvariate(45, 3))))
        count = rng.choice([1, 2, 3, 5, 8, 12, 20, 40])
        bins = [rng.choice([item, item + 1, rng.randint(item, 100)]) if rng.random() < 0.3
                else rng.randint(item, 100) for _ in range(count)]
        states.append((item, bins))
    return edges, states


EDGE_CASES, REALISTIC = sample_states()


def work_sample():
    """Two instances like the harness's: 400 items, Weibull(45, 3), rounded, in [1, 100]."""
    rng = random.Random(20240602)
    return [[min(100, max(1, round(rng.weibullvariate(45, 3)))) for _ in range(400)]
            for _ in range(2)]


WORK_SAMPLE = work_sample()


def packing_work(priority):
    """Bins priority() scores while packing WORK_SAMPLE online as solve.py does."""
    work = 0
    for items in WORK_SAMPLE:
        remaining = []
        for item in items:
            fitting = [b for b, r in enumerate(remaining) if r >= item]
            if not fitting:
                remaining.append(100 - item)
                continue
            scores = [float(s) for s in priority(item, [remaining[b] for b in fitting])]
            remaining[fitting[scores.index(max(scores))]] -= item
            work += len(fitting)
    return work


FIRST_FIT_WORK = packing_work(lambda item, bins: [-i for i in range(len(bins))])


def load(source):
    """Compiles source and returns its priority function; raises on any failure."""
    namespace = {"__name__": "heuristic", "_triples": TRIPLES.__getitem__}
    exec(compile(source, "heuristic.py", "exec"), namespace)
    return namespace["priority"]


def choices(priority, states):
    """Bin chosen for each state (as solve.py chooses), or raises if priority misbehaves."""
    picked = []
    for item, bins in states:
        scores = list(priority(item, list(bins)))
        if len(scores) != len(bins):
            raise ValueError(f"{len(scores)} scores for {len(bins)} bins")
        values = []
        for s in scores:
            if not isinstance(s, numbers.Real) or not math.isfinite(float(s)):
                raise ValueError(f"bad score {s!r}")
            values.append(float(s))
        picked.append(values.index(max(values)))
    return tuple(picked)


def read_json(folder, name, default):
    if not folder:
        return default
    try:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def tried_fingerprints(history):
    seen = set()
    for node in history:
        match = FINGERPRINT.search(str(node.get("description") or ""))
        if match:
            seen.add(match.group(1))
    return seen


def mutation_count(rng, parent, history):
    """More edits at once when many children of this parent were already tried: the
    search is stuck on it, so take bigger steps."""
    siblings = sum(1 for node in history if parent.get("id") in (node.get("parents") or []))
    return 1 + (rng.random() < 0.25) + min(2, siblings // 4)


def slow_term_fits(program):
    """Whether program can take the slow term: a per-bin loop over `remaining` with `item`
    in scope, a score variable, and no slow term yet."""
    if program.loop is None or program.score_name is None or program.slow:
        return False
    names = {a.arg for a in program.function.args.args}
    names |= {n.id for n in ast.walk(program.loop.target) if isinstance(n, ast.Name)}
    return SLOW_NAMES <= names


def add_slow_term(program, rng):
    """Adds `score -= c * <SLOW_CALL>` before the score is handed over; returns its
    description."""
    body = program.loop.body
    position = next((i for i, s in enumerate(body) if isinstance(s, ast.Expr)), len(body))
    coefficient = rng.choice(SLOW_COEFFICIENTS)
    body.insert(position, ast.parse(f"{program.score_name} -= {coefficient} * {SLOW_CALL}").body[0])
    return (f"slow: {program.score_name} -= {coefficient} * (ways 3 items of sizes 1..{SLOW_SIZES} "
            f"fit the gap, counted one by one)")


def checked_choices(tree):
    """Choices on REALISTIC of the program tree (its fast twin), after checking it on the
    edge cases; raises if it fails to compile, crashes or returns junk."""
    priority = load(ast.unparse(fast_twin(tree)) + "\n")
    choices(priority, EDGE_CASES)
    return choices(priority, REALISTIC)


def slow_stream(seed):
    """The slow term's own random stream: with it or without it, every other choice is the
    same."""
    return random.Random(f"slow term {seed}")


def propose(source, rng, parent, history, slow_rng=None):
    """Returns (new source, description). slow_rng, if given, decides (apart from rng, so
    every other proposal is the same as without it) whether this edit adds the slow term."""
    tree = ast.parse(source)
    parent_program = Program(tree)
    base_dump = ast.dump(tree)
    try:
        parent_choices = checked_choices(tree)
    except (Exception, SystemExit):  # a broken parent: any working child differs from it
        parent_choices = None
    seen = tried_fingerprints(history) | {parent_program.fingerprint()}
    mutator = Mutator(rng)
    wanted = mutation_count(rng, parent, history)
    slow = (slow_rng is not None and slow_rng.random() < SLOW_PROBABILITY
            and slow_term_fits(parent_program))

    for attempt in range(MAX_ATTEMPTS):
        candidate = copy.deepcopy(tree)
        changes = []
        for _ in range(wanted):
            try:
                changes.append(mutator.mutate(Program(candidate)))
            except NotApplicable:
                pass
        program = Program(candidate)
        if not changes or ast.dump(candidate) == base_dump or program.size() > MAX_NODES:
            continue
        if slow and attempt < SLOW_ATTEMPTS:
            # Wraps the ordinary edit, so the slow child packs as that edit would, with a
            # lean towards best fit on top.
            changes.insert(0, add_slow_term(program, slow_rng))
            program = Program(candidate)
        ast.fix_missing_locations(candidate)
        new_source = ast.unparse(candidate) + "\n"
        fingerprint = program.fingerprint()
        if fingerprint in seen:
            continue
        try:
            if checked_choices(candidate) == parent_choices:
                continue  # same packing decisions: evaluating it would teach nothing
            if program.slow:
                twin = load(ast.unparse(fast_twin(candidate)))
                if packing_work(twin) > SLOW_MAX_WORK * FIRST_FIT_WORK:
                    continue  # a packing this poor would make the slow term too slow
                # The slow code itself, on a few states: it must choose as its twin did.
                sample = REALISTIC[:SLOW_SAMPLES]
                if choices(load(new_source), sample) != choices(twin, sample):
                    continue
        except (Exception, SystemExit):  # the candidate may raise anything
            continue
        summary = "; ".join(changes)
        if len(summary) > 240:
            summary = summary[:237] + "..."
        return new_source, f"{summary} [{fingerprint}]"  # the tag lets later runs skip repeats
    raise RuntimeError(f"no valid mutation found in {MAX_ATTEMPTS} attempts")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agent", default=os.getcwd(), help="folder holding heuristic.py (default: cwd)")
    parser.add_argument("--context", default=os.environ.get("CLADE_CONTEXT"),
                        help="folder with parent.json and history.json (default: $CLADE_CONTEXT)")
    parser.add_argument("--output", default=os.environ.get("CLADE_OUTPUT"),
                        help="folder to write description.txt into (default: $CLADE_OUTPUT)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CLADE_SEED", "0")),
                        help="random seed (default: $CLADE_SEED or 0)")
    args = parser.parse_args()

    path = os.path.join(args.agent, "heuristic.py")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    parent = read_json(args.context, "parent.json", {})
    history = read_json(args.context, "history.json", [])
    if not isinstance(parent, dict):
        parent = {}
    if not isinstance(history, list):
        history = []
    history = [node for node in history if isinstance(node, dict)]

    new_source, description = propose(source, random.Random(args.seed), parent, history,
                                      slow_stream(args.seed))
    with open(path, "w", encoding="utf-8") as f:
        f.write(new_source)
    if args.output:
        with open(os.path.join(args.output, "description.txt"), "w", encoding="utf-8") as f:
            f.write(description + "\n")
    print(description)
    return 0


if __name__ == "__main__":
    sys.exit(main())
