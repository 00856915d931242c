// What a sandbox adds to starting a process: /bin/true (and /usr/bin/python3 -c pass) run
// bare, through the unsafe-rlimits backend, through bubblewrap, and through bubblewrap in a
// cgroup of its own (as the engine runs commands where it can), interleaved.
// See BENCHMARKS.md.

#include "bench/BenchStats.h"

#include "engine/sandbox/BwrapSandbox.h"
#include "engine/sandbox/CgroupHost.h"
#include "engine/sandbox/RlimitSandbox.h"
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
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace clade;
using namespace clade::bench;

namespace {

enum Kind { Bare, Rlimits, Bwrap, BwrapCgroups, KindCount };
const std::array<const char*, KindCount> kKindNames = {"bare", "rlimits", "bwrap", "bwrap+cg"};

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
// all alike. One untimed warm-up round first. `gap` of idle time before each timed run
// stands for the engine's time between commands: moving a process into a v1 cgroup
// costs an RCU grace period only when the previous move is more than a few grace periods
// ago, so back-to-back runs would hide it.
void measure(Workload& w, const engine::SandboxSpec& spec,
             const std::array<std::unique_ptr<engine::Sandbox>, KindCount>& sandboxes,
             std::chrono::milliseconds gap)
{
    for (int k = 0; k < KindCount; ++k)
        timeOne(static_cast<Kind>(k), w, spec, sandboxes);
    for (int i = 0; i < w.runs; ++i)
        for (int j = 0; j < KindCount; ++j) {
            const auto kind = static_cast<Kind>((i + j) % KindCount);
            std::this_thread::sleep_for(gap);
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
           ",\"bwrap_cgroups_overhead_ms\":" + fixed(overhead(w, BwrapCgroups)) +
           ",\"rlimits_overhead_ms\":" + fixed(overhead(w, Rlimits)) + "}";
}

void printHelp()
{
    std::puts("Usage: bench_sandbox_launch [--runs R] [--python-runs P]\n\n"
              "Runs /bin/true bare (posix_spawn + waitpid), through the unsafe-rlimits sandbox\n"
              "and through the bwrap sandbox (read-write /agent, read-only /harness, workdir\n"
              "/agent), both without cgroups, and through bwrap in a cgroup of its own (memory,\n"
              "pids, CPU), round-robin, and reports each one's median and p90 and the\n"
              "sandboxes' median overhead over the bare start. Then the same for\n"
              "/usr/bin/python3 -c pass. Where the engine cannot make cgroups, bwrap+cg is\n"
              "bwrap as the engine then runs it (it says why).\n\n"
              "  --runs R          runs of /bin/true per kind (default 100)\n"
              "  --python-runs P   runs of python3 -c pass per kind (default 30)\n"
              "  --gap-ms G        idle time before each timed run, as between an engine's\n"
              "                    commands (default 50)\n"
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
    rejectUnknown(argc, argv, {"--help"}, {"--runs", "--python-runs", "--gap-ms"});
    Workload trueRuns{"/bin/true", {"/bin/true"}, intOption(argc, argv, "--runs", 100), {}};
    Workload pythonRuns{"/usr/bin/python3 -c pass",
                        {"/usr/bin/python3", "-c", "pass"},
                        intOption(argc, argv, "--python-runs", 30),
                        {}};

    std::array<std::unique_ptr<engine::Sandbox>, KindCount> sandboxes;
    try {
        sandboxes[Rlimits] = std::make_unique<engine::RlimitSandbox>(false);
        sandboxes[Bwrap] = std::make_unique<engine::BwrapSandbox>("/usr/bin/bwrap", false);
        sandboxes[BwrapCgroups] = std::make_unique<engine::BwrapSandbox>("/usr/bin/bwrap", true);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cannot create the sandboxes: %s\n", e.what());
        return 1;
    }
    const engine::CgroupHost& cgroups = engine::CgroupHost::instance();
    if (!cgroups.available()) {
        std::fprintf(stderr, "note: the engine cannot make cgroups here, so bwrap+cg is bwrap "
                             "as the engine runs it without them:");
        for (const auto& note : cgroups.notes())
            std::fprintf(stderr, " %s;", note.c_str());
        std::fprintf(stderr, "\n");
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

    const std::chrono::milliseconds gap(intOption(argc, argv, "--gap-ms", 50));
    measure(trueRuns, spec, sandboxes, gap);
    measure(pythonRuns, spec, sandboxes, gap);

    std::printf("Sandbox launch overhead (%s sandbox user uid %u; cgroups: %s)\n\n",
                engine::sandboxSwitchesUser() ? "switching to" : "running as",
                static_cast<unsigned>(engine::sandboxUid()), cgroups.summary().c_str());
    // Whether v1 moves wait for an RCU grace period decides the bwrap+cg figure on a host
    // with v1 controllers, so it is printed with the figures.
    const std::string slowMoves = cgroups.slowMoveHint();
    std::printf("cgroup v1 moves: %s\n\n",
                slowMoves.empty() ? "none, or without the grace-period wait" : slowMoves.c_str());
    printTable(trueRuns);
    printTable(pythonRuns);
    const bool met = overhead(trueRuns, Bwrap) <= 10.0;
    const bool metCgroups = overhead(trueRuns, BwrapCgroups) <= 20.0;
    std::printf("target: bwrap launch overhead (median, /bin/true) <= 10 ms: %s\n",
                met ? "met" : "NOT met");
    std::printf("target: bwrap+cgroups launch overhead (median, /bin/true) <= 20 ms: %s\n\n",
                metCgroups ? "met" : "NOT met");

    std::cout << "{\"benchmark\":\"sandbox_launch\",\"runs\":" << trueRuns.runs
              << ",\"python_runs\":" << pythonRuns.runs << ",\"true\":" << jsonOf(trueRuns)
              << ",\"python\":" << jsonOf(pythonRuns)
              << ",\"target_ms\":10,\"target_met\":" << (met ? "true" : "false")
              << ",\"cgroups_target_ms\":20,\"cgroups_target_met\":"
              << (metCgroups ? "true" : "false")
              << ",\"slow_cgroup_moves\":" << (slowMoves.empty() ? "false" : "true") << "}"
              << std::endl;
    return 0;
}
