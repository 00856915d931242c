// What a sandbox adds to starting a process: /bin/true (and /usr/bin/python3 -c pass) run
// bare, through the unsafe-rlimits backend and through bubblewrap, interleaved.
// See BENCHMARKS.md.

#include "bench/BenchStats.h"

#include "engine/sandbox/Sandbox.h"
#include "engine/util/ScratchSpace.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace clade;
using namespace clade::bench;

namespace {

enum Kind { Bare, Rlimits, Bwrap, KindCount };
const std::array<const char*, KindCount> kKindNames = {"bare", "rlimits", "bwrap"};

struct Workload {
    std::string name;
    std::vector<std::string> argv;
    int runs = 0;
    std::array<std::vector<double>, KindCount> samples;
};

// fork + exec + wait through posix_spawn, output to /dev/null, minimal environment.
bool runBare(const std::vector<std::string>& args)
{
    std::vector<char*> argv;
    for (const auto& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    char path[] = "PATH=/usr/bin:/bin";
    char* envp[] = {path, nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return false;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// One timed run of `kind`; exits the program if the command does not succeed, since a
// failed launch would time something else.
double timeOne(Kind kind, const Workload& w, engine::SandboxSpec spec,
               const std::array<std::unique_ptr<engine::Sandbox>, KindCount>& sandboxes)
{
    spec.argv = w.argv;
    const auto start = Clock::now();
    bool ok = true;
    std::string why;
    if (kind == Bare) {
        ok = runBare(w.argv);
    } else {
        const engine::SandboxResult r = sandboxes[kind]->run(spec);
        ok = r.succeeded();
        why = r.describe() + " " + r.stderrText.substr(0, 300);
    }
    const double ms = millisecondsSince(start);
    if (!ok) {
        std::fprintf(stderr, "%s via %s failed: %s\n", w.name.c_str(), kKindNames[kind],
                     why.c_str());
        std::exit(1);
    }
    return ms;
}

// Round-robin over the kinds, rotating which goes first, so noise and cache effects hit
// all three alike. One untimed warm-up round first.
void measure(Workload& w, const engine::SandboxSpec& spec,
             const std::array<std::unique_ptr<engine::Sandbox>, KindCount>& sandboxes)
{
    for (int k = 0; k < KindCount; ++k)
        timeOne(static_cast<Kind>(k), w, spec, sandboxes);
    for (int i = 0; i < w.runs; ++i)
        for (int j = 0; j < KindCount; ++j) {
            const auto kind = static_cast<Kind>((i + j) % KindCount);
            w.samples[kind].push_back(timeOne(kind, w, spec, sandboxes));
        }
}

double overhead(const Workload& w, Kind kind)
{
    return median(w.samples[kind]) - median(w.samples[Bare]);
}

void printTable(const Workload& w)
{
    std::printf("%s (%d runs each, interleaved)\n", w.name.c_str(), w.runs);
    std::printf("  %-8s %9s %9s %9s %18s\n", "", "median", "p90", "mean", "median over bare");
    for (int k = 0; k < KindCount; ++k) {
        const auto& s = w.samples[static_cast<size_t>(k)];
        std::printf("  %-8s %6.2f ms %6.2f ms %6.2f ms", kKindNames[static_cast<size_t>(k)],
                    median(s), percentile(s, 90), mean(s));
        if (k == Bare)
            std::printf("\n");
        else
            std::printf("    %+7.2f ms\n", overhead(w, static_cast<Kind>(k)));
    }
    std::printf("\n");
}

std::string jsonOf(const Workload& w)
{
    std::string json = "{";
    for (int k = 0; k < KindCount; ++k) {
        const auto& s = w.samples[static_cast<size_t>(k)];
        json += std::string(k ? "," : "") + "\"" + kKindNames[static_cast<size_t>(k)] +
                "\":{\"median_ms\":" + fixed(median(s)) +
                ",\"p90_ms\":" + fixed(percentile(s, 90)) + "}";
    }
    return json + ",\"bwrap_overhead_ms\":" + fixed(overhead(w, Bwrap)) +
           ",\"rlimits_overhead_ms\":" + fixed(overhead(w, Rlimits)) + "}";
}

void printHelp()
{
    std::puts("Usage: bench_sandbox_launch [--runs R] [--python-runs P]\n\n"
              "Runs /bin/true bare (posix_spawn + waitpid), through the unsafe-rlimits sandbox\n"
              "and through the bwrap sandbox (read-write /agent, read-only /harness, workdir\n"
              "/agent), round-robin, and reports each one's median and p90 and the sandboxes'\n"
              "median overhead over the bare start. Then the same for /usr/bin/python3 -c pass.\n\n"
              "  --runs R          runs of /bin/true per kind (default 100)\n"
              "  --python-runs P   runs of python3 -c pass per kind (default 30)\n"
              "  --help            this text\n\n"
              "Prints a table, then one JSON line.");
}

} // namespace

int main(int argc, char** argv)
{
    if (hasFlag(argc, argv, "--help")) {
        printHelp();
        return 0;
    }
    rejectUnknown(argc, argv, {"--help"}, {"--runs", "--python-runs"});
    Workload trueRuns{"/bin/true", {"/bin/true"}, intOption(argc, argv, "--runs", 100), {}};
    Workload pythonRuns{"/usr/bin/python3 -c pass",
                        {"/usr/bin/python3", "-c", "pass"},
                        intOption(argc, argv, "--python-runs", 30),
                        {}};

    std::array<std::unique_ptr<engine::Sandbox>, KindCount> sandboxes;
    try {
        sandboxes[Rlimits] = engine::makeSandbox("unsafe-rlimits");
        sandboxes[Bwrap] = engine::makeSandbox("bwrap");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cannot create the sandboxes: %s\n", e.what());
        return 1;
    }

    // The folders a harness run mounts, reachable by the sandbox user (it is not root).
    engine::ScratchSpace scratch(engine::sandboxUid(), engine::sandboxGid());
    const fs::path agent = scratch.makeFolder("agent", true);
    const fs::path harness = scratch.makeFolder("harness", false);
    std::ofstream(agent / "heuristic.py") << "def priority(item, bins):\n    return bins\n";
    std::ofstream(harness / "solve.py") << "print('solved')\n";
    scratch.handOver(agent);

    engine::SandboxSpec spec;
    spec.mounts = {{agent, "/agent", true}, {harness, "/harness", false}};
    spec.workdir = "/agent";
    spec.limits.wallSeconds = 30;

    measure(trueRuns, spec, sandboxes);
    measure(pythonRuns, spec, sandboxes);

    std::printf("Sandbox launch overhead (%s sandbox user uid %u)\n\n",
                engine::sandboxSwitchesUser() ? "switching to" : "running as",
                static_cast<unsigned>(engine::sandboxUid()));
    printTable(trueRuns);
    printTable(pythonRuns);
    const bool met = overhead(trueRuns, Bwrap) <= 10.0;
    std::printf("target: bwrap launch overhead (median, /bin/true) <= 10 ms: %s\n\n",
                met ? "met" : "NOT met");

    std::cout << "{\"benchmark\":\"sandbox_launch\",\"runs\":" << trueRuns.runs
              << ",\"python_runs\":" << pythonRuns.runs << ",\"true\":" << jsonOf(trueRuns)
              << ",\"python\":" << jsonOf(pythonRuns)
              << ",\"target_ms\":10,\"target_met\":" << (met ? "true" : "false") << "}"
              << std::endl;
    return 0;
}
