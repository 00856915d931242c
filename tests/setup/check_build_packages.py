#!/usr/bin/python3
"""Fails when the build used a file from a Debian package that scripts/install-deps.sh does
not bring in.

A package missing from install-deps.sh goes unnoticed on any machine that already has it:
Debian 12's qt6-charts-dev does not pull in libqt6opengl6-dev, install-deps.sh did not list
it, and CI stayed green because its machine had it anyway. Rather than needing a fresh
machine, this asks a finished build which system files it used, asks dpkg which packages own
them, and checks that each package is one a fresh machine would have after install-deps.sh:
its list plus what every Debian system has, closed over Depends and Pre-Depends.

usage: check_build_packages.py [--verbose] BUILD_DIR [SOURCE_DIR]
Exits 0 when every package is guaranteed, 1 when one is not (one line each), 77 when this
machine or build dir cannot be checked (ctest reports a skip).
"""

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import defaultdict
from pathlib import Path

SKIP = 77

# The code probes for these and works without them (engine/sandbox/SystemdScope.cpp), so
# neither their absence nor their package makes the check fail.
OPTIONAL_PROGRAMS = {"/usr/bin/systemd-run", "/bin/systemd-run"}

SOURCE_FOLDERS = ("engine", "app", "models", "ui", "tests")
SOURCE_SUFFIXES = {".cpp", ".cc", ".cxx", ".h", ".hpp", ".py", ".sh"}
PROGRAM_LITERAL = re.compile(r"""(["'])((?:/usr(?:/local)?)?/s?bin/[\w.+-]+)\1""")

# Debian 12 merges /usr, and dpkg records whichever spelling the package shipped.
MERGED_USR = (("/usr/lib64/", "/lib64/"), ("/usr/lib/", "/lib/"),
              ("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/"))

# Cache entries naming programs CMake or the build runs (ccache and ar come from rules.ninja).
CACHE_PROGRAMS = ("CMAKE_COMMAND", "CMAKE_CTEST_COMMAND", "CMAKE_MAKE_PROGRAM",
                  "CMAKE_CXX_COMPILER", "CMAKE_C_COMPILER", "PKG_CONFIG_EXECUTABLE")

LIBRARY_NAME = re.compile(r"\.(so(\.[0-9.]+)?|a)$")
MULTIARCH = sysconfig.get_config_var("MULTIARCH") or ""
LIBRARY_DIRS = ("/usr/local/lib", f"/usr/lib/{MULTIARCH}", f"/lib/{MULTIARCH}", "/usr/lib", "/lib")
LDCONFIG_ARCH = {"x86_64": "x86-64", "aarch64": "AArch64"}
ARG_BYTES = 100_000  # per dpkg-query call, well under the kernel's argument limit


class CannotCheck(Exception):
    """This machine or build dir cannot be checked; not a failure of the project."""


def run(argv, ok_codes=(0,)):
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode not in ok_codes:
        raise RuntimeError(f"`{shlex.join(argv[:3])} ...` exited with {done.returncode}: "
                           f"{done.stderr.strip()[:500]}")
    return done.stdout


def find_tool(name, *fallbacks):
    # sbin is not on every PATH (ldconfig for a non-root user).
    found = shutil.which(name) or next((f for f in fallbacks if os.access(f, os.X_OK)), None)
    if not found:
        raise CannotCheck(f"`{name}` is not installed, so the build's packages cannot be checked")
    return found


def merged_alias(path):
    for usr, root in MERGED_USR:
        if path.startswith(usr):
            return root + path[len(usr):]
        if path.startswith(root):
            return usr + path[len(root):]
    return None


def link_chain(path):
    """path, each symlink hop after it, and its realpath: /usr/bin/c++ is owned by no
    package, /usr/bin/g++ on the way by g++, the compiler at the end by g++-12."""
    chain = [path]
    for _ in range(16):
        try:
            target = os.readlink(chain[-1])
        except OSError:
            break
        chain.append(os.path.normpath(os.path.join(os.path.dirname(chain[-1]), target)))
    chain.append(os.path.realpath(path))
    return list(dict.fromkeys(chain))


def is_program(path):
    return (os.path.isfile(path) and os.access(path, os.X_OK)
            and not LIBRARY_NAME.search(os.path.basename(path)))


def relative(path, base):
    try:
        return os.path.relpath(path, base) if Path(path).is_relative_to(base) else path
    except ValueError:
        return path


class Uses:
    """Each system file the build used with the first reason seen for it. Sources are read
    in build order (configure, compile, link, run), so that reason is the earliest place a
    fresh machine would fail."""

    def __init__(self, own_dirs):
        self.own_dirs = ({os.path.realpath(d) for d in own_dirs}
                         | {os.path.abspath(d) for d in own_dirs})
        self.why = {}

    def add(self, path, why):
        if not path or not os.path.isabs(path):
            return
        path = os.path.normpath(path)
        if any(path == d or path.startswith(d + os.sep) for d in self.own_dirs):
            return
        self.why.setdefault(path, why)


# --- build.ninja -----------------------------------------------------------------------------

class Statement:
    def __init__(self, outputs, rule, inputs, implicit):
        self.outputs, self.rule, self.inputs, self.implicit = outputs, rule, inputs, implicit
        self.variables = {}


def ninja_tokens(text):
    """A build line split on unescaped blanks, with unescaped colons as their own token."""
    tokens, current, i = [], [], 0
    while i < len(text):
        c = text[i]
        if c == "$" and i + 1 < len(text) and text[i + 1] in " :$":
            current.append(text[i + 1])
            i += 2
            continue
        if c in " \t:":
            if current:
                tokens.append("".join(current))
                current = []
            if c == ":":
                tokens.append(":")
        else:
            current.append(c)
        i += 1
    if current:
        tokens.append("".join(current))
    return tokens


class NinjaFiles:
    """The build statements and rule commands of build.ninja and the files it includes."""

    def __init__(self, build_dir):
        self.build_dir = build_dir
        self.statements, self.rule_commands, self.files = [], [], []
        self._read(build_dir / "build.ninja")

    def _read(self, path):
        self.files.append(path)
        text = re.sub(r"\$\n[ \t]*", "", path.read_text(errors="replace"))
        current = None
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line[0] in " \t":
                name, _, value = line.strip().partition("=")
                if isinstance(current, Statement):
                    current.variables[name.strip()] = value.strip()
                elif isinstance(current, str) and name.strip() == "command":
                    self.rule_commands.append(value.strip())
                continue
            current = None
            if line.startswith("build "):
                current = self._statement(ninja_tokens(line[len("build "):]))
                self.statements.append(current)
            elif line.startswith("rule "):
                current = line[len("rule "):].strip()
            elif line.startswith(("include ", "subninja ")):
                # Relative to the build dir (ninja's working directory), not to this file.
                self._read(self.build_dir / line.split(None, 1)[1].strip())

    @staticmethod
    def _statement(tokens):
        colon = tokens.index(":")
        outputs = [t for t in tokens[:colon] if t != "|"]
        rule = tokens[colon + 1]
        inputs, implicit, section = [], [], "explicit"
        for t in tokens[colon + 2:]:
            if t in ("|", "||", "|@"):
                section = t
            elif section == "explicit":
                inputs.append(t)
            elif section == "|":
                implicit.append(t)
        return Statement(outputs, rule, inputs, implicit)

    def with_rule(self, prefix):
        return [s for s in self.statements if s.rule.startswith(prefix)]


def read_cache(build_dir):
    cache = {}
    for line in (build_dir / "CMakeCache.txt").read_text(errors="replace").splitlines():
        m = re.match(r"([^#/][^:=]*):[A-Z]+=(.*)$", line)
        if m:
            cache[m.group(1)] = m.group(2)
    return cache


# --- what the build used ---------------------------------------------------------------------

def cmake_inputs(ninja, uses):
    rerun = ninja.with_rule("RERUN_CMAKE")
    if not rerun:
        raise CannotCheck(f"{ninja.files[0]} has no RERUN_CMAKE edge: not a CMake Ninja build dir")
    files = [f for s in rerun for f in s.inputs + s.implicit]
    # A package's *Config.cmake is what find_package() names, so it makes the best example.
    files.sort(key=lambda f: not re.search(r"(Config|-config)\.cmake$", f))
    for f in files:
        uses.add(f, "read by CMake at configure time")


def pkg_config_inputs(cache, uses):
    """The .pc files pkg_check_modules() read: they are no RERUN_CMAKE input."""
    pkg_config = cache.get("PKG_CONFIG_EXECUTABLE", "")
    if not os.access(pkg_config, os.X_OK):
        return
    keywords = {"REQUIRED", "QUIET", "IMPORTED_TARGET", "GLOBAL", "NO_CMAKE_PATH",
                "NO_CMAKE_ENVIRONMENT_PATH"}
    for key, value in sorted(cache.items()):
        if not key.startswith("__pkg_config_arguments_"):
            continue
        for module in value.split(";"):
            module = re.split(r"[<>=!]", module)[0].strip()
            if module and module not in keywords:
                folder = run([pkg_config, "--variable=pcfiledir", module], ok_codes=(0, 1)).strip()
                if folder:
                    uses.add(os.path.join(folder, module + ".pc"),
                             "read by pkg-config at configure time")


def headers(ninja_path, ninja, build_dir, uses):
    # `ninja -t deps` truncates .ninja_deps where it meets a record a running build has not
    # finished writing, and may recompact it, so it reads a copy: the build dir is only read.
    with tempfile.TemporaryDirectory(prefix="clade-deps-") as copy:
        for f in ninja.files:
            if not f.is_relative_to(build_dir):
                continue  # an absolute include, which the copy reads in place
            target = Path(copy) / f.relative_to(build_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
        shutil.copyfile(build_dir / ".ninja_deps", Path(copy) / ".ninja_deps")
        out = run([ninja_path, "-C", copy, "-t", "deps"])
    obj = None
    for line in out.splitlines():
        if line.startswith((" ", "\t")):
            if obj:
                uses.add(line.strip(), f"included by {obj}")
        elif ": #deps" in line:
            obj = line.split(": #deps")[0]


def tools(ninja, cache, build_dir, uses):
    for key in CACHE_PROGRAMS:
        if cache.get(key, "").startswith("/"):
            uses.add(cache[key], f"run by the build (CMakeCache.txt {key})")
    for command in ninja.rule_commands + [s.variables.get("COMMAND", "") for s in ninja.statements]:
        for token in command.split():
            if token.startswith("/") and is_program(token):
                uses.add(token, "run by the build (a command in build.ninja)")
    for s in ninja.with_rule("CUSTOM_COMMAND"):
        for f in s.inputs + s.implicit:
            if f.startswith("/") and is_program(f):
                uses.add(f, f"run by the build to make {s.outputs[0]}")
    for info in build_dir.glob("**/CMakeFiles/*_autogen.dir/*Info.json"):
        for key, value in json.loads(info.read_text()).items():
            if key.endswith("_EXECUTABLE") and isinstance(value, str) and value.startswith("/"):
                uses.add(value, f"run by AUTOMOC/AUTOUIC/AUTORCC ({relative(info, build_dir)})")
    compiler = cache.get("CMAKE_CXX_COMPILER", "")
    if os.access(compiler, os.X_OK):
        for prog in ("cc1plus", "as", "ld"):
            name = run([compiler, f"-print-prog-name={prog}"]).strip()
            path = name if name.startswith("/") else shutil.which(name)
            uses.add(path, f"run by the compiler ({compiler} -print-prog-name={prog})")
    for testfile in build_dir.glob("**/CTestTestfile.cmake"):
        for m in re.finditer(r'add_test\(\s*\S+\s+"(/[^"]+)"', testfile.read_text()):
            if is_program(m.group(1)):
                uses.add(m.group(1), f"run by ctest ({relative(testfile, build_dir)})")


def resolve_l(name, search):
    if name.startswith(":"):
        candidates = [name[1:]]
    else:
        candidates = [f"lib{name}.so", f"lib{name}.a"]
    for d in search:
        for c in candidates:
            if os.path.exists(os.path.join(d, c)):
                return os.path.join(d, c)
    return None


def linked(ninja, uses):
    for s in ninja.statements:
        libs = s.variables.get("LINK_LIBRARIES")
        if libs is None:
            continue
        target = s.outputs[0] if s.outputs else "?"
        flags = " ".join(s.variables.get(v, "") for v in ("LINK_PATH", "LINK_FLAGS"))
        try:
            tokens = shlex.split(libs + " " + flags)
        except ValueError:
            tokens = (libs + " " + flags).split()
        search = [t[2:] for t in tokens if t.startswith("-L")] + list(LIBRARY_DIRS)
        for t in tokens:
            if t.startswith("/"):
                uses.add(t, f"linked into {target}")
            elif t.startswith("-l"):
                uses.add(resolve_l(t[2:], search), f"linked into {target} (as {t})")


def read_dynamic(readelf, files):
    """NEEDED sonames and RUNPATH dirs of each ELF file, in one readelf call."""
    out = run([readelf, "-d", "-W", *files], ok_codes=(0, 1))
    needed, runpath = defaultdict(list), defaultdict(list)
    current = files[0] if len(files) == 1 else None
    for line in out.splitlines():
        if line.startswith("File: "):
            current = line[len("File: "):].strip()
        elif current and "(NEEDED)" in line:
            needed[current].append(line.rsplit("[", 1)[1].rstrip("]"))
        elif current and ("(RUNPATH)" in line or "(RPATH)" in line):
            origin = os.path.dirname(current)
            paths = line.rsplit("[", 1)[1].rstrip("]").replace("$ORIGIN", origin)
            runpath[current].extend(p for p in paths.split(":") if p)
    return needed, runpath


def ldconfig_map(ldconfig):
    arch = LDCONFIG_ARCH.get(platform.machine())
    sonames = {}
    for line in run([ldconfig, "-p"]).splitlines()[1:]:
        m = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if m and (arch is None or arch in m.group(2).split(",")):
            sonames.setdefault(m.group(1), m.group(3))
    return sonames


def loaded(ninja, build_dir, uses):
    """Shared libraries the built programs load, following NEEDED through the libraries."""
    readelf = find_tool("readelf")
    sonames = ldconfig_map(find_tool("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"))
    programs = [build_dir / o for s in ninja.statements
                if re.search(r"(EXECUTABLE|SHARED_LIBRARY|MODULE_LIBRARY)_LINKER", s.rule)
                for o in s.outputs[:1] if (build_dir / o).is_file()]
    root_of = {str(p): relative(p, build_dir) for p in programs}
    built = set(root_of)
    seen, frontier = set(root_of), list(root_of)
    while frontier:
        needed, runpath = read_dynamic(readelf, frontier)
        frontier = []
        for elf in needed:
            root = root_of[elf]
            via = "" if elf in built else f" (needed by {os.path.basename(elf)})"
            for soname in needed[elf]:
                lib = next((os.path.join(d, soname) for d in runpath.get(elf, [])
                            if os.path.exists(os.path.join(d, soname))), sonames.get(soname))
                if lib is None:
                    continue
                uses.add(lib, f"loaded by {root}{via}")
                if lib not in seen:
                    seen.add(lib)
                    root_of[lib] = root
                    frontier.append(lib)
    return len(programs)


def programs_in_sources(source_dir, uses):
    """Programs the code starts by absolute path; returns the ones this machine lacks."""
    missing, optional = [], {}
    for folder in SOURCE_FOLDERS:
        for path in sorted((source_dir / folder).rglob("*")):
            # This file names the optional programs too.
            if (path.suffix not in SOURCE_SUFFIXES or not path.is_file()
                    or path == Path(__file__).resolve()):
                continue
            rel = path.relative_to(source_dir)
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                for m in PROGRAM_LITERAL.finditer(line):
                    program, where = m.group(2), f"{rel}:{number}"
                    if program in OPTIONAL_PROGRAMS:
                        optional.setdefault(program, where)
                    elif not os.access(program, os.X_OK):
                        missing.append((program, where))
                    else:
                        uses.add(program, f"started by {where}")
    return missing, optional


# --- packages --------------------------------------------------------------------------------

def owners(dpkg_query, paths):
    """Packages owning each path, found with a few batched `dpkg-query -S` calls."""
    candidates = {}
    for p in paths:
        chain = link_chain(p)
        candidates[p] = chain + [a for a in map(merged_alias, chain) if a]
    queries = sorted(set().union(*candidates.values()))
    owned = defaultdict(set)
    batch, size = [], 0
    for q in queries + [None]:
        if q is not None and size + len(q) < ARG_BYTES:
            batch.append(q)
            size += len(q) + 1
            continue
        if batch:
            # Exit code 1 only says that some paths belong to no package.
            for line in run([dpkg_query, "-S", *batch], ok_codes=(0, 1)).splitlines():
                if line.startswith(("diversion by", "local diversion")) or ": " not in line:
                    continue
                names, path = line.split(": ", 1)
                owned[path].update(n.strip().split(":")[0] for n in names.split(","))
        batch, size = ([q], len(q) + 1) if q else ([], 0)
    return {p: set().union(*(owned.get(c, set()) for c in cands))
            for p, cands in candidates.items()}


def relation_names(field):
    """A Depends-style field as groups of alternative package names, versions and
    architecture qualifiers dropped."""
    groups = []
    for group in field.split(","):
        names = []
        for alt in group.split("|"):
            alt = re.sub(r"\([^)]*\)|\[[^]]*\]|<[^>]*>", "", alt).strip()
            if alt:
                names.append(alt.split()[0].split(":")[0])
        if names:
            groups.append(names)
    return groups


def installed_database(dpkg_query):
    fmt = ("${binary:Package}\\t${db:Status-Status}\\t${Essential}\\t${Priority}\\t"
           "${Provides}\\t${Pre-Depends}, ${Depends}\\n")
    depends, providers, base = defaultdict(list), defaultdict(set), set()
    for line in run([dpkg_query, "-W", "-f", fmt]).splitlines():
        fields = line.split("\t")
        if len(fields) != 6 or fields[1] != "installed":
            continue
        name = fields[0].split(":")[0]
        depends[name] += relation_names(fields[5])
        for provided in relation_names(fields[4]):
            providers[provided[0]].add(name)
        if fields[2] == "yes" or fields[3] == "required":
            base.add(name)
    return depends, providers, base


def guaranteed(roots, depends, providers):
    """The installed packages a fresh machine has once roots are installed.

    A dependency with one choice is followed at once. One with alternatives waits until the
    plain ones are all in: apt counts it as met by any alternative already chosen, and
    otherwise takes the first alternative installed here."""

    def choices(name):
        if name in depends:
            return [name]
        return sorted(providers.get(name, ()))

    have, queue, waiting = set(), [], []

    def take(names):
        for n in names:
            if n not in have:
                have.add(n)
                queue.append(n)

    for r in roots:
        take(choices(r))
    while True:
        while queue:
            for group in depends[queue.pop()]:
                if len(group) == 1 and len(choices(group[0])) <= 1:
                    take(choices(group[0]))
                else:
                    waiting.append(group)
        open_group = next((g for g in waiting
                           if not any(set(choices(n)) & have for n in g)), None)
        if open_group is None:
            return have
        waiting.remove(open_group)
        first = next((choices(n) for n in open_group if choices(n)), [])
        # A virtual name with several providers installed here: any of them may be the one
        # apt picks on a fresh machine, so all count rather than fail the build on a guess.
        take(first)


def fixes(missing, depends, providers):
    """Each missing package with the missing package whose Depends bring it in, if any, so
    the advice names what to add to the list rather than a runtime library of it."""
    reach = {m: guaranteed([m], depends, providers) & set(missing) for m in missing}
    order = sorted(missing, key=lambda m: (-len(reach[m]), m))
    lines, done = [], set()
    for root in order:
        if root in done:
            continue
        done.add(root)
        lines.append((root, None))
        for dependent in sorted(reach[root] - done):
            done.add(dependent)
            lines.append((dependent, root))
    return lines


# --- main ------------------------------------------------------------------------------------

def used_files(build_dir, source_dir, cache, ninja_path):
    """Every system file the build used, the number of built programs whose libraries were
    followed, and the programs the code names: (missing here, optional)."""
    uses = Uses([build_dir, source_dir])
    ninja = NinjaFiles(build_dir)
    cmake_inputs(ninja, uses)
    pkg_config_inputs(cache, uses)
    headers(ninja_path, ninja, build_dir, uses)
    tools(ninja, cache, build_dir, uses)
    linked(ninja, uses)
    program_count = loaded(ninja, build_dir, uses)
    missing_programs, optional = programs_in_sources(source_dir, uses)
    return uses, program_count, missing_programs, optional


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_notes(listed, depends, providers, optional, unowned, uses):
    not_installed = [p for p in listed if p not in depends and p not in providers]
    if not_installed:
        print("note: listed in scripts/install-deps.sh but not installed here, so their "
              f"dependencies are not followed: {' '.join(not_installed)}")
    if optional:
        print("note: optional programs not checked: "
              + ", ".join(f"{p} ({where})" for p, where in optional.items()))
    if unowned:
        shown = ", ".join(f"{p}, {uses.why[p]}" for p in sorted(unowned)[:5])
        verb = "belongs" if len(unowned) == 1 else "belong"
        print(f"note: {plural(len(unowned), 'file')} the build used {verb} to no package "
              f"(generated, or installed by hand): {shown}{', ...' if len(unowned) > 5 else ''}")


def check(build_dir, source_dir, verbose):
    started = time.monotonic()
    if not (build_dir / "build.ninja").is_file():
        raise CannotCheck(f"{build_dir} is not a Ninja build dir (no build.ninja); "
                          "this check reads Ninja's files")
    if not (build_dir / ".ninja_deps").is_file():
        raise CannotCheck(f"{build_dir} has not been built yet (no .ninja_deps)")
    dpkg_query = find_tool("dpkg-query")
    cache = read_cache(build_dir)
    ninja_path = cache.get("CMAKE_MAKE_PROGRAM")
    if not (ninja_path and os.access(ninja_path, os.X_OK)):
        ninja_path = find_tool("ninja")
    listed = run(["bash", str(source_dir / "scripts/install-deps.sh"), "--list"]).split()
    if not listed:
        raise RuntimeError("scripts/install-deps.sh --list printed no packages")

    uses, program_count, missing_programs, optional = used_files(build_dir, source_dir, cache,
                                                                 ninja_path)
    owned = owners(dpkg_query, uses.why)
    depends, providers, base = installed_database(dpkg_query)
    have = guaranteed(listed + sorted(base), depends, providers)
    files_of = defaultdict(list)
    for path in uses.why:
        for pkg in sorted(owned[path]):
            files_of[pkg].append(path)
    unowned = [p for p in uses.why if not owned[p]]
    missing = sorted(p for p in files_of if p not in have)
    elapsed = time.monotonic() - started

    print_notes(listed, depends, providers, optional, unowned, uses)
    if verbose:
        for pkg in sorted(files_of):
            source = ("listed" if pkg in listed else "on every Debian system" if pkg in base
                      else "a dependency" if pkg in have else "NOT GUARANTEED")
            example = files_of[pkg][0]
            print(f"{pkg} ({source}): {plural(len(files_of[pkg]), 'file')}, e.g. {example}, "
                  f"{uses.why[example]}")
    for pkg, brought_by in fixes(missing, depends, providers):
        example = files_of[pkg][0]
        more = len(files_of[pkg]) - 1
        others = f"; {more} more {'file' if more == 1 else 'files'} from it" if more else ""
        fix = (f"it comes with {brought_by} once that is added" if brought_by
               else "add it to scripts/install-deps.sh")
        print(f"MISSING {pkg}: {example} was {uses.why[example]}{others}; {fix}")
    for program, where in missing_programs:
        print(f"MISSING program {program}, started by {where}, does not exist on this machine; "
              "install the package providing it and add that package to scripts/install-deps.sh")

    summary = (f"{plural(len(uses.why), 'file')} the build used, from "
               f"{plural(len(files_of), 'package')}, libraries of "
               f"{plural(program_count, 'built program')}; {elapsed:.1f} s")
    if missing or missing_programs:
        what = [f"{plural(len(missing), 'package')} the build used "
                f"{'is' if len(missing) == 1 else 'are'} not installed by "
                "scripts/install-deps.sh"] if missing else []
        what += [f"{plural(len(missing_programs), 'program')} the code starts "
                 f"{'is' if len(missing_programs) == 1 else 'are'} not on this machine"
                 ] if missing_programs else []
        print(f"FAIL: {', '.join(what)} ({summary})")
        return 1
    print(f"ok: every package the build used is installed by scripts/install-deps.sh ({summary})")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build_dir", type=Path)
    parser.add_argument("source_dir", type=Path, nargs="?",
                        default=Path(__file__).resolve().parents[2])
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list every package the build used, with an example file")
    args = parser.parse_args()
    try:
        return check(args.build_dir.resolve(), args.source_dir.resolve(), args.verbose)
    except CannotCheck as e:
        print(f"SKIP: {e}")
        return SKIP
    except RuntimeError as e:
        print(f"ERROR: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
