// How a phase reaches a Slurm cluster, measured: the same trivial phase (/bin/true in the
// bwrap sandbox, with a small writable /agent and a read-only /harness, carried as a phase
// stream to `clade phase-run`) run
//   local  - `clade phase-run` on this host, no Slurm: what the phase itself costs;
//   c1     - engine::SlurmExecutor as it is: one srun, so one job, per phase;
//   a      - the same SlurmExecutor with `--jobid=J --exact`: a job step per phase inside
//            one allocation held for the whole bench (sbatch --wrap 'sleep 3600');
//   c2     - one `sbatch --wait` per phase (the stream goes through files, so this mode
//            needs the folder shared with the node; here the node is this host).
// Latency: one phase at a time, local/c1/a interleaved. Throughput: 4 phases in flight.
// Scheduler load: slurmctld's own counters (sdiag) before and after each mode.
// Needs a cluster: `. DIR/env` from tests/cluster/slurm-cluster.sh. See BENCHMARKS.md.

#include "bench/BenchStats.h"

#include "engine/executor/ClientProcess.h"
#include "engine/executor/ExecutorSettings.h"
#include "engine/executor/PhaseCodec.h"
#include "engine/executor/SlurmExecutor.h"
#include "engine/executor/WireFrame.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/util/ScratchSpace.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace clade;
using namespace clade::bench;

namespace {

/// A phase's memory limit; the executor asks Slurm for it plus its runner's share, so 4
/// steps fit in the held allocation.
constexpr int kPhaseMemoryMb = 256;
constexpr int kInFlight = 4;

/// The held allocation of mode a, once submitted: a failing bench must not leave it
/// sleeping on the cluster for an hour.
std::string g_pilotJob;

[[noreturn]] void die(const std::string& why)
{
    std::fprintf(stderr, "bench_slurm_submit: %s\n", why.c_str());
    if (!g_pilotJob.empty())
        engine::runClient({engine::findOnPath("scancel"), g_pilotJob},
                          engine::slurmClientEnvironment());
    std::exit(1);
}

std::string client(const std::string& program)
{
    const std::string path = engine::findOnPath(program);
    if (path.empty())
        die(program + " is not on PATH (install Slurm's client programs)");
    return path;
}

/// Runs a Slurm client program to its end; dies with its words when it fails.
std::string mustRun(std::vector<std::string> argv)
{
    argv[0] = client(argv[0]);
    const engine::ClientOutput out = engine::runClient(argv, engine::slurmClientEnvironment());
    if (!out.exit.ok())
        die(argv[0] + " failed: " + out.err);
    return out.out;
}

/// The trivial phase: /bin/true with the folders a harness run mounts (own /agent per
/// thread, since the executor writes the returned /agent back into it).
engine::SandboxSpec trivialPhase(engine::ScratchSpace& scratch)
{
    const fs::path agent = scratch.makeFolder("agent", true);
    const fs::path harness = scratch.makeFolder("harness", false);
    std::ofstream(agent / "heuristic.py") << "def priority(item, bins):\n    return bins\n";
    std::ofstream(harness / "solve.py") << "print('solved')\n";
    scratch.handOver(agent);
    engine::SandboxSpec spec;
    spec.argv = {"/bin/true"};
    spec.mounts = {{agent, "/agent", true}, {harness, "/harness", false}};
    spec.workdir = "/agent";
    spec.limits.wallSeconds = 60;
    spec.limits.memoryMb = kPhaseMemoryMb;
    return spec;
}

/// Reads a node's answer (frames of `stream`) and dies unless it ended with a successful
/// result: a failed phase would time something else.
void checkAnswer(const std::string& stream, const char* mode)
{
    engine::FrameDecoder decoder;
    decoder.feed(stream);
    bool ended = false;
    std::string failure;
    engine::SandboxResult result;
    while (auto frame = decoder.next()) {
        if (frame->type == engine::PhaseFrame::Result)
            result = engine::resultFromJson(nlohmann::json::parse(frame->payload));
        else if (frame->type == engine::PhaseFrame::Failure)
            failure = frame->payload;
        else if (frame->type == engine::PhaseFrame::End)
            ended = true;
    }
    if (!ended || !result.succeeded())
        die(std::string(mode) + ": the phase did not succeed: " +
            (failure.empty() ? result.describe() : failure));
}

struct Bench {
    std::string clade;
    std::string tag;
    std::string pilotJob;
    fs::path shared; ///< folder for c2's request and answer files
    std::atomic<int> fileCounter{0};
    std::unique_ptr<engine::SlurmExecutor> perJob;  ///< c1
    std::unique_ptr<engine::SlurmExecutor> inPilot; ///< a
};

enum Mode { Local, PerJob, Step, Sbatch, ModeCount };
const std::array<const char*, ModeCount> kModeNames = {"local", "c1 srun job", "a step",
                                                       "c2 sbatch"};

void runLocal(Bench& b, const engine::SandboxSpec& spec)
{
    engine::ClientProcess process({b.clade, "phase-run"}, engine::slurmClientEnvironment());
    process.start();
    std::string answer;
    const engine::ClientExit exit =
        process.pump(engine::encodePhaseRequest(spec, "bwrap"),
                     [&](std::string_view bytes) { answer.append(bytes); });
    if (!exit.ok())
        die("local clade phase-run failed: " + process.stderrText());
    checkAnswer(answer, "local");
}

/// Returns the phase's queue wait in ms: from srun's start until the phase said where it
/// runs (PhasePlacement::queueSeconds).
double runExecutor(engine::SlurmExecutor& executor, const engine::SandboxSpec& spec, const char* mode)
{
    const engine::SandboxResult r = executor.run(spec);
    if (!r.succeeded())
        die(std::string(mode) + ": the phase did not succeed: " + r.describe() + " " +
            r.launchError + " " + r.stderrText.substr(0, 300));
    return r.placement.queueSeconds * 1000.0;
}

void runSbatch(Bench& b, const engine::SandboxSpec& spec)
{
    const std::string base = (b.shared / ("phase-" + std::to_string(b.fileCounter++))).string();
    std::ofstream(base + ".in", std::ios::binary) << engine::encodePhaseRequest(spec, "bwrap");
    mustRun({"sbatch", "--wait", "--quiet", "--export=NONE", "--job-name=" + b.tag, "--nodes=1",
             "--ntasks=1", "--cpus-per-task=1", "--chdir=/tmp",
             "--mem=" + std::to_string(kPhaseMemoryMb + 256), "--time=2", "--input=" + base + ".in",
             "--output=" + base + ".out", "--error=" + base + ".err",
             "--wrap=exec " + b.clade + " phase-run"});
    std::ifstream in(base + ".out", std::ios::binary);
    checkAnswer(std::string(std::istreambuf_iterator<char>(in), {}), "c2");
}

/// Runs one phase; returns its queue wait in ms where the mode tells it (c1, a), else 0.
double runOne(Bench& b, Mode mode, const engine::SandboxSpec& spec)
{
    switch (mode) {
    case Local: runLocal(b, spec); return 0;
    case PerJob: return runExecutor(*b.perJob, spec, "c1");
    case Step: return runExecutor(*b.inPilot, spec, "a");
    case Sbatch: runSbatch(b, spec); return 0;
    case ModeCount: break;
    }
    return 0;
}

struct Timed {
    double ms = 0;
    double queueMs = 0;
};

Timed timeOne(Bench& b, Mode mode, const engine::SandboxSpec& spec)
{
    const auto start = Clock::now();
    const double queueMs = runOne(b, mode, spec);
    return {millisecondsSince(start), queueMs};
}

/// slurmctld's counters from sdiag: "jobs submitted", and RPCs by message type.
struct ControllerCounters {
    long jobsSubmitted = 0;
    std::map<std::string, long> rpcs;
};

ControllerCounters readCounters()
{
    ControllerCounters c;
    std::istringstream lines(mustRun({"sdiag"}));
    bool byType = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.find("Jobs submitted:") != std::string::npos)
            c.jobsSubmitted = std::stol(line.substr(line.find(':') + 1));
        if (line.find("statistics by message type") != std::string::npos)
            byType = true;
        else if (line.find("statistics by user") != std::string::npos)
            byType = false;
        const size_t count = line.find("count:");
        if (!byType || count == std::string::npos)
            continue;
        std::istringstream words(line);
        std::string name;
        words >> name;
        c.rpcs[name] = std::stol(line.substr(count + 6));
    }
    return c;
}

/// What slurmctld did between two readings, per 100 phases; sdiag's own request is left out.
struct Load {
    double jobsPer100 = 0;
    double rpcsPer100 = 0;
    std::vector<std::pair<std::string, double>> topRpcs; ///< per 100 phases, most first
};

Load loadBetween(const ControllerCounters& before, const ControllerCounters& after, int phases)
{
    Load load;
    const double scale = 100.0 / phases;
    load.jobsPer100 = static_cast<double>(after.jobsSubmitted - before.jobsSubmitted) * scale;
    for (const auto& [name, count] : after.rpcs) {
        if (name == "REQUEST_STATS_INFO")
            continue;
        const auto was = before.rpcs.find(name);
        const long delta = count - (was == before.rpcs.end() ? 0 : was->second);
        if (delta <= 0)
            continue;
        load.rpcsPer100 += static_cast<double>(delta) * scale;
        load.topRpcs.emplace_back(name, static_cast<double>(delta) * scale);
    }
    std::sort(load.topRpcs.begin(), load.topRpcs.end(),
              [](const auto& x, const auto& y) { return x.second > y.second; });
    if (load.topRpcs.size() > 6)
        load.topRpcs.resize(6);
    return load;
}

struct Figures {
    std::vector<double> latency;       ///< one phase at a time
    std::vector<double> queue;         ///< their queue waits (c1, a)
    std::vector<double> busyLatency;   ///< each phase's, kInFlight in flight
    std::vector<double> busyQueue;
    double perSecond = 0; ///< with kInFlight in flight; 0 when not measured
    int throughputPhases = 0;
    Load load;
    bool loadMeasured = false;
};

/// `phases` phases through `mode`, kInFlight at a time; the controller's load around it.
void measureThroughput(Bench& b, Mode mode, const std::vector<engine::SandboxSpec>& specs,
                       int phases, Figures& f)
{
    const ControllerCounters before = readCounters();
    std::atomic<int> next{0};
    std::array<std::vector<Timed>, kInFlight> timed;
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kInFlight; ++t)
        threads.emplace_back([&, t] {
            while (next++ < phases)
                timed[static_cast<size_t>(t)].push_back(timeOne(b, mode, specs[static_cast<size_t>(t)]));
        });
    for (auto& thread : threads)
        thread.join();
    for (const auto& list : timed)
        for (const Timed& one : list) {
            f.busyLatency.push_back(one.ms);
            f.busyQueue.push_back(one.queueMs);
        }
    const double seconds = millisecondsSince(start) / 1000.0;
    f.perSecond = phases / seconds;
    f.throughputPhases = phases;
    f.load = loadBetween(before, readCounters(), phases);
    f.loadMeasured = true;
}

/// Holds the allocation of mode a: returns its job id once it runs, and how long that took.
std::string startPilot(const std::string& tag, double* msToRunning)
{
    const auto start = Clock::now();
    std::string job = mustRun({"sbatch", "--parsable", "--export=NONE", "--job-name=" + tag + "-pilot",
                               "--ntasks=" + std::to_string(kInFlight), "--cpus-per-task=1",
                               "--mem=" + std::to_string(kInFlight * (kPhaseMemoryMb + 256)),
                               "--time=60", "--chdir=/tmp", "--output=/dev/null",
                               "--wrap=exec sleep 3600"});
    job = job.substr(0, job.find_first_of(";\n"));
    g_pilotJob = job;
    for (int i = 0; i < 600; ++i) {
        std::string state = mustRun({"squeue", "--noheader", "--jobs=" + job, "--format=%T"});
        if (state.rfind("RUNNING", 0) == 0) {
            *msToRunning = millisecondsSince(start);
            return job;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    die("the pilot allocation " + job + " did not start within 30 s");
}

void printHelp()
{
    std::puts("Usage: bench_slurm_submit [--runs R] [--sbatch-runs S] [--phases P]\n"
              "                          [--clade PATH]\n\n"
              "Runs one trivial phase (/bin/true in the bwrap sandbox, small /agent and\n"
              "/harness, as a phase stream to `clade phase-run`) through: local (clade\n"
              "phase-run here, no Slurm), c1 (SlurmExecutor: one srun job per phase), a\n"
              "(SlurmExecutor with --jobid=J --exact: one step per phase in one allocation\n"
              "held by the bench) and c2 (one sbatch --wait per phase). Needs SLURM_CONF\n"
              "(`. DIR/env` of tests/cluster/slurm-cluster.sh) and root for the sandbox user.\n\n"
              "  --runs R         phases one at a time per mode, local/c1/a interleaved (40)\n"
              "  --sbatch-runs S  phases one at a time through c2, which takes ~10 s each (8)\n"
              "  --phases P       phases per mode with 4 in flight, local/c1/a (100)\n"
              "  --clade PATH     the clade program to run on the node (default: the build's)\n"
              "  --help           this text\n\n"
              "Prints a table, then one JSON line.");
}

} // namespace

int main(int argc, char** argv)
{
    if (hasFlag(argc, argv, "--help")) {
        printHelp();
        return 0;
    }
    rejectUnknown(argc, argv, {"--help"}, {"--runs", "--sbatch-runs", "--phases", "--clade"});
    const int runs = intOption(argc, argv, "--runs", 40);
    const int sbatchRuns = intOption(argc, argv, "--sbatch-runs", 8);
    const int phases = intOption(argc, argv, "--phases", 100);
    if (!std::getenv("SLURM_CONF"))
        die("SLURM_CONF is not set: start a cluster (tests/cluster/slurm-cluster.sh start DIR) "
            "and `. DIR/env`");

    Bench b;
    b.clade = fs::absolute(stringOption(argc, argv, "--clade", CLADE_BINARY)).string();
    b.tag = engine::slurmRunTag(fs::current_path(), static_cast<double>(::getpid()));
    engine::ScratchSpace scratch(engine::sandboxUid(), engine::sandboxGid());
    b.shared = scratch.makeFolder("sbatch-files", false);
    std::vector<engine::SandboxSpec> specs;
    for (int t = 0; t < kInFlight; ++t)
        specs.push_back(trivialPhase(scratch));

    engine::SlurmSettings settings;
    settings.submit = "jobs"; // both modes as the bench measured them: (a) through --jobid
    settings.cladeOnNodes = b.clade;
    b.perJob = std::make_unique<engine::SlurmExecutor>(settings, "bwrap", b.tag);
    double pilotMs = 0;
    b.pilotJob = startPilot(b.tag, &pilotMs);
    settings.extraArgs = {"--jobid=" + b.pilotJob, "--exact"};
    b.inPilot = std::make_unique<engine::SlurmExecutor>(settings, "bwrap", b.tag);

    std::array<Figures, ModeCount> figures;
    // Latency: round-robin over local, c1 and a, rotating which goes first, after one
    // untimed warm-up each.
    const std::array<Mode, 3> interleaved = {Local, PerJob, Step};
    for (Mode m : interleaved)
        runOne(b, m, specs[0]);
    for (int i = 0; i < runs; ++i)
        for (size_t j = 0; j < interleaved.size(); ++j) {
            const Mode m = interleaved[(static_cast<size_t>(i) + j) % interleaved.size()];
            const Timed one = timeOne(b, m, specs[0]);
            figures[m].latency.push_back(one.ms);
            figures[m].queue.push_back(one.queueMs);
        }
    for (Mode m : interleaved)
        measureThroughput(b, m, specs, phases, figures[m]);
    {
        const ControllerCounters before = readCounters();
        for (int i = 0; i < sbatchRuns; ++i)
            figures[Sbatch].latency.push_back(timeOne(b, Sbatch, specs[0]).ms);
        figures[Sbatch].load = loadBetween(before, readCounters(), sbatchRuns);
        figures[Sbatch].loadMeasured = true;
    }
    mustRun({"scancel", b.pilotJob});
    g_pilotJob.clear();

    std::printf("Slurm submission modes: the same trivial phase (/bin/true in bwrap through "
                "clade phase-run); pilot allocation %s RUNNING after %.0f ms\n\n",
                b.pilotJob.c_str(), pilotMs);
    std::printf("  %-12s %6s %10s %10s %10s %14s %12s %10s\n", "mode", "runs", "median", "p90",
                "over local", "phases/s (x4)", "jobs / 100", "RPCs / 100");
    const double localMedian = median(figures[Local].latency);
    for (int m = 0; m < ModeCount; ++m) {
        const Figures& f = figures[static_cast<size_t>(m)];
        std::printf("  %-12s %6zu %7.1f ms %7.1f ms %+7.1f ms", kModeNames[static_cast<size_t>(m)],
                    f.latency.size(), median(f.latency), percentile(f.latency, 90),
                    median(f.latency) - localMedian);
        const std::string perSecond = f.perSecond > 0 ? fixed(f.perSecond, 2) : "-";
        std::printf(" %14s", perSecond.c_str());
        std::printf(" %12.1f %10.0f\n", f.load.jobsPer100, f.load.rpcsPer100);
    }
    std::printf("\nWith %d in flight (%d phases per mode), each phase's latency and queue wait "
                "(srun start until the phase runs on its node):\n", kInFlight, phases);
    std::printf("  %-12s %10s %10s %12s %12s\n", "mode", "median", "p90", "queue med", "queue p90");
    for (Mode m : interleaved) {
        const Figures& f = figures[m];
        std::printf("  %-12s %7.1f ms %7.1f ms %9.1f ms %9.1f ms\n", kModeNames[m],
                    median(f.busyLatency), percentile(f.busyLatency, 90), median(f.busyQueue),
                    percentile(f.busyQueue, 90));
    }
    std::printf("One at a time, queue wait median: c1 %.1f ms, a %.1f ms\n",
                median(figures[PerJob].queue), median(figures[Step].queue));
    std::printf("\nslurmctld RPCs per 100 phases, by type (most first):\n");
    for (int m = PerJob; m < ModeCount; ++m) {
        std::printf("  %-12s", kModeNames[static_cast<size_t>(m)]);
        for (const auto& [name, count] : figures[static_cast<size_t>(m)].load.topRpcs)
            std::printf(" %s %.0f;", name.c_str(), count);
        std::printf("\n");
    }
    std::printf("\n");

    std::cout << "{\"benchmark\":\"slurm_submit\",\"runs\":" << runs
              << ",\"sbatch_runs\":" << sbatchRuns << ",\"phases\":" << phases
              << ",\"pilot_start_ms\":" << fixed(pilotMs, 1);
    const std::array<const char*, ModeCount> keys = {"local", "c1_srun_job", "a_step", "c2_sbatch"};
    for (int m = 0; m < ModeCount; ++m) {
        const Figures& f = figures[static_cast<size_t>(m)];
        std::cout << ",\"" << keys[static_cast<size_t>(m)] << "\":{\"median_ms\":"
                  << fixed(median(f.latency), 1) << ",\"p90_ms\":" << fixed(percentile(f.latency, 90), 1)
                  << ",\"per_second_4\":" << fixed(f.perSecond, 2)
                  << ",\"busy_median_ms\":" << fixed(median(f.busyLatency), 1)
                  << ",\"busy_p90_ms\":" << fixed(percentile(f.busyLatency, 90), 1)
                  << ",\"jobs_per_100\":" << fixed(f.load.jobsPer100, 1)
                  << ",\"rpcs_per_100\":" << fixed(f.load.rpcsPer100, 0) << "}";
    }
    std::cout << "}" << std::endl;
    return 0;
}
