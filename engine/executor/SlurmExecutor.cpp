#include "engine/executor/SlurmExecutor.h"

#include "engine/executor/ClientProcess.h"
#include "engine/executor/PhaseCodec.h"
#include "engine/executor/SlurmAllocation.h"
#include "engine/executor/TreePack.h"
#include "engine/util/InputError.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <unistd.h>
#include <utility>

namespace clade::engine {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// What srun needs on top of the phase's own memory limit: clade phase-run itself, the
/// phase's files in memory while they are unpacked and packed.
constexpr int kRunnerMemoryMb = 256;

std::string tail(const std::string& text, size_t bytes)
{
    std::string t = text.size() > bytes ? "..." + text.substr(text.size() - bytes) : text;
    while (!t.empty() && (t.back() == '\n' || t.back() == ' '))
        t.pop_back();
    for (char& c : t)
        if (c == '\n')
            c = ' ';
    return t;
}

/// srun's own words for a request the cluster will not take however often it is sent.
/// "Unable to allocate resources" alone is not one: it also starts transient failures
/// ("Socket timed out on send/recv operation"), which are retried like a lost job.
bool refusedBySlurm(const std::string& stderrText)
{
    for (const char* words :
         {"Invalid partition", "Invalid account", "Invalid qos", "Invalid generic resource",
          "Invalid job", "Requested node configuration is not available",
          "violates accounting/QOS policy", "More processors requested than permitted",
          "Memory required by task is not available", "Requested time limit is invalid",
          "unrecognized option", "invalid option", "unrecognized argument"})
        if (stderrText.find(words) != std::string::npos)
            return true;
    return false;
}

/// The job id srun names in its messages ("*** STEP 499.0 ON vm CANCELLED", "job 499
/// queued"), for a job lost before its phase said where it ran; empty when none.
std::string jobIdFromSrunMessages(const std::string& stderrText)
{
    static const std::regex named(R"(\b(?:STEP|JOB|[Jj]ob|jobid) (\d+))");
    std::smatch match;
    return std::regex_search(stderrText, match, named) ? match[1].str() : std::string();
}

/// srun's complaints (its error lines and slurmstepd's), without the lines --verbose adds.
std::string srunErrors(const std::string& stderrText)
{
    std::istringstream lines(stderrText);
    std::string errors;
    for (std::string line; std::getline(lines, line);)
        if (line.find("error") != std::string::npos || line.rfind("srun: ", 0) != 0)
            errors += line + "\n";
    return errors;
}

/// The step srun launched ("launching StepId=42.3"), as scancel takes it; empty when none.
std::string stepFromSrunMessages(const std::string& stderrText)
{
    static const std::regex launched(R"(StepId=(\d+)\.(\d+))");
    std::smatch match;
    return std::regex_search(stderrText, match, launched) ? match[1].str() + "." + match[2].str()
                                                           : std::string();
}

std::string exitWords(const ClientExit& exit)
{
    return exit.signal != 0 ? "srun killed by signal " + std::to_string(exit.signal)
                            : "srun exit " + std::to_string(exit.exitCode);
}

} // namespace

struct SlurmExecutor::Attempt {
    enum class Kind { Finished, Cancelled, Lost, Refused };
    Kind kind = Kind::Lost;
    SandboxResult result;
    std::map<size_t, std::vector<WireFrame>> returned; ///< writable mount -> its entries
    std::string why;
    std::string jobId, stepId, host;
    double queueSeconds = 0;
};

std::string findOnPath(const std::string& name)
{
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty())
            continue;
        const std::string candidate = dir + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return {};
}

std::vector<std::string> slurmClientEnvironment()
{
    std::vector<std::string> env;
    for (const char* name : {"PATH", "HOME", "USER", "LOGNAME", "LANG", "SLURM_CONF"})
        if (const char* value = std::getenv(name))
            env.push_back(std::string(name) + "=" + value);
    return env;
}

std::string slurmRunTag(const fs::path& runFolder, double createdAt)
{
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(runFolder, ec);
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "|%.6f", createdAt);
    const std::string key = (ec ? runFolder : canonical).string() + stamp;
    // FNV-1a: stable across processes and builds, which std::hash is not.
    std::uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : key)
        hash = (hash ^ c) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return "clade-" + std::string(hex, 12);
}

namespace {

/// One squeue field (`format`) of each of the user's jobs named `runTag`.
std::vector<std::string> squeueField(const std::string& runTag, const std::string& format)
{
    const std::string squeue = findOnPath("squeue");
    if (squeue.empty())
        throw std::runtime_error("squeue: not found on PATH (Slurm's client programs are needed "
                                 "to find the run's jobs)");
    const std::vector<std::string> argv = {squeue, "--noheader", "--me", "--name=" + runTag,
                                           "--format=" + format};
    const ClientOutput out = runClient(argv, slurmClientEnvironment());
    if (!out.exit.ok())
        throw std::runtime_error("squeue failed (" + exitWords(out.exit) + "): " + tail(out.err, 300));
    std::vector<std::string> values;
    std::istringstream lines(out.out);
    for (std::string line; std::getline(lines, line);) {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
            line.pop_back();
        if (!line.empty())
            values.push_back(line);
    }
    return values;
}

} // namespace

std::vector<std::string> slurmRunJobs(const std::string& runTag)
{
    return squeueField(runTag, "%i");
}

SlurmQueueCounts slurmQueueCounts(const std::string& runTag)
{
    SlurmQueueCounts counts;
    for (const std::string& state : squeueField(runTag, "%T"))
        ++(state == "PENDING" ? counts.pending : counts.running);
    return counts;
}

std::vector<std::string> cancelSlurmRunJobs(const std::string& runTag)
{
    const auto jobs = slurmRunJobs(runTag);
    if (jobs.empty())
        return jobs;
    std::vector<std::string> argv = {findOnPath("scancel")};
    argv.insert(argv.end(), jobs.begin(), jobs.end());
    const ClientOutput out = runClient(argv, slurmClientEnvironment());
    if (!out.exit.ok())
        spdlog::warn("scancel of the run's jobs ({}): {}", exitWords(out.exit), tail(out.err, 300));
    return jobs;
}

SlurmExecutor::~SlurmExecutor() = default;

SlurmExecutor::SlurmExecutor(SlurmSettings settings, std::string backend, std::string runTag,
                             SlurmAllocationShape shape)
    : m_settings(std::move(settings)), m_backend(std::move(backend)), m_tag(std::move(runTag))
{
    m_srun = findOnPath("srun");
    m_scancel = findOnPath("scancel");
    if (m_srun.empty() || m_scancel.empty())
        throw InputError("--executor slurm: srun and scancel are not on PATH (install Slurm's "
                         "client programs, or run the engine on the cluster's login node)");
    m_clade = m_settings.cladeOnNodes;
    if (m_clade.empty()) {
        std::error_code ec;
        m_clade = fs::read_symlink("/proc/self/exe", ec).string();
    }
    if (m_settings.submit == "steps") {
        const std::string sbatch = findOnPath("sbatch"), squeue = findOnPath("squeue");
        if (sbatch.empty() || squeue.empty())
            throw InputError("--executor slurm: sbatch and squeue are not on PATH (the run's "
                             "allocation needs them; or use --slurm-submit jobs)");
        m_allocation = std::make_unique<SlurmAllocation>(sbatch, squeue, m_scancel,
                                                         allocationArguments(shape));
    }
}

std::vector<std::string> SlurmExecutor::allocationArguments(const SlurmAllocationShape& shape) const
{
    // --output: the pilot only sleeps; its log would be a file in the node's /tmp.
    std::vector<std::string> args = {"--parsable", "--job-name=" + m_tag, "--no-requeue",
                                     "--export=NONE", "--chdir=/tmp", "--output=/dev/null",
                                     "--ntasks=" + std::to_string(std::max(1, shape.tasks)),
                                     "--cpus-per-task=1",
                                     "--mem-per-cpu=" + std::to_string(shape.memoryMbPerTask)};
    appendSiteOptions(args, m_settings.time);
    return args;
}

void SlurmExecutor::appendSiteOptions(std::vector<std::string>& args, const std::string& time) const
{
    if (!time.empty())
        args.push_back("--time=" + time);
    if (!m_settings.partition.empty())
        args.push_back("--partition=" + m_settings.partition);
    if (!m_settings.account.empty())
        args.push_back("--account=" + m_settings.account);
    args.insert(args.end(), m_settings.extraArgs.begin(), m_settings.extraArgs.end());
}

std::vector<std::string> SlurmExecutor::releaseHeld()
{
    if (!m_allocation)
        return {};
    const std::string released = m_allocation->release();
    return released.empty() ? std::vector<std::string>{} : std::vector<std::string>{released};
}

std::vector<std::string> SlurmExecutor::srunArguments(const SandboxLimits& limits,
                                                      const std::string& allocation) const
{
    // --verbose: srun names the job and step at once ("jobid 42: nodes(1)...", "launching
    // StepId=42.3"), so one lost before its phase said where it runs can still be named and
    // cancelled. --chdir: the job would start in the engine's folder, which a compute node
    // without a shared file system does not have.
    std::vector<std::string> args = {"--verbose", "--unbuffered", "--export=NONE"};
    if (allocation.empty())
        args.insert(args.end(), {"--job-name=" + m_tag, "--nodes=1"});
    else // a step of the run's allocation, with its own CPU and memory there
        args.insert(args.end(), {"--jobid=" + allocation, "--exact"});
    args.insert(args.end(), {"--ntasks=1", "--cpus-per-task=1", "--chdir=/tmp"});
    if (limits.memoryMb > 0)
        args.push_back("--mem=" + std::to_string(limits.memoryMb + kRunnerMemoryMb));
    const std::string phaseTime =
        limits.wallSeconds > 0
            ? std::to_string(static_cast<long>(std::ceil(limits.wallSeconds / 60.0)) + 1)
            : std::string();
    if (!allocation.empty()) {
        // The allocation carries the partition, account, the user's time and options.
        if (!phaseTime.empty())
            args.push_back("--time=" + phaseTime);
        return args;
    }
    appendSiteOptions(args, m_settings.time.empty() ? phaseTime : m_settings.time);
    return args;
}

std::vector<std::string> SlurmExecutor::takeCancelledJobs()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_cancelledJobs, {});
}

void SlurmExecutor::noteNodeSandbox(const std::string& host, const std::string& payload)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_hostsSeen.insert(host).second)
            return;
    }
    const auto info = json::parse(payload, nullptr, false);
    if (!info.is_object())
        return;
    for (const auto& gap : info.value("unenforced", std::vector<std::string>{}))
        spdlog::warn("sandbox {} on {}: {}", info.value("sandbox", m_backend), host, gap);
}

SlurmExecutor::Attempt SlurmExecutor::runOnce(const std::string& request, const SandboxSpec& spec,
                                              const std::atomic<bool>* cancel)
{
    Attempt attempt;
    std::string allocation;
    if (m_allocation) {
        const auto waited = std::chrono::steady_clock::now();
        try {
            allocation = m_allocation->acquire(cancel);
        } catch (const AllocationLost& e) {
            attempt.kind = Attempt::Kind::Lost;
            attempt.why = e.what();
            return attempt;
        } catch (const std::exception& e) {
            attempt.kind = Attempt::Kind::Refused;
            attempt.why = e.what();
            return attempt;
        }
        if (allocation.empty()) {
            attempt.kind = Attempt::Kind::Cancelled;
            return attempt;
        }
        attempt.queueSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - waited).count();
    }
    std::vector<std::string> argv = {m_srun};
    for (auto& a : srunArguments(spec.limits, allocation))
        argv.push_back(std::move(a));
    argv.push_back(m_clade);
    argv.push_back("phase-run");

    std::ofstream live;
    if (!spec.liveOutput.empty())
        live.open(spec.liveOutput, std::ios::app | std::ios::binary);
    FrameDecoder decoder;
    bool placed = false, gotResult = false, ended = false, failed = false;
    size_t mount = 0;
    const auto submitted = std::chrono::steady_clock::now();
    auto handle = [&](const WireFrame& frame) {
        switch (frame.type) {
        case PhaseFrame::Placement: {
            const auto where = json::parse(frame.payload, nullptr, false);
            if (where.is_object()) {
                attempt.jobId = where.value("job_id", "");
                attempt.stepId = where.value("step_id", "");
                attempt.host = where.value("host", "");
            }
            attempt.queueSeconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - submitted).count();
            placed = true;
            break;
        }
        case PhaseFrame::SandboxGaps:
            noteNodeSandbox(attempt.host, frame.payload);
            break;
        case PhaseFrame::Output:
            if (live.is_open())
                live.write(frame.payload.data(), static_cast<std::streamsize>(frame.payload.size())).flush();
            break;
        case PhaseFrame::Result:
            attempt.result = resultFromJson(json::parse(frame.payload));
            gotResult = true;
            break;
        case PhaseFrame::Stdout:
            attempt.result.stdoutText = frame.payload;
            break;
        case PhaseFrame::Stderr:
            attempt.result.stderrText = frame.payload;
            break;
        case PhaseFrame::Mount:
            mount = json::parse(frame.payload).at("index").get<size_t>();
            attempt.returned[mount];
            break;
        case PhaseFrame::Failure:
            failed = true;
            attempt.why = frame.payload;
            break;
        case PhaseFrame::End:
            ended = true;
            break;
        default:
            if (!TreeUnpacker::isEntry(frame.type))
                throw std::runtime_error(std::string("unexpected frame '") + frame.type + "'");
            attempt.returned[mount].push_back(frame);
        }
    };
    std::string corrupt;
    ClientProcess srun(argv, slurmClientEnvironment());
    try {
        srun.start();
    } catch (const std::exception& e) {
        attempt.kind = Attempt::Kind::Refused;
        attempt.why = std::string("cannot start srun: ") + e.what();
        return attempt;
    }
    const ClientExit exit = srun.pump(
        request,
        [&](std::string_view bytes) {
            if (!corrupt.empty())
                return;
            try {
                decoder.feed(bytes);
                while (auto frame = decoder.next())
                    handle(*frame);
            } catch (const std::exception& e) {
                corrupt = e.what();
            }
        },
        cancel,
        [&] {
            // srun forwards SIGTERM to a running step, but a job it no longer reaches (a
            // node that stopped answering) is cancelled only by the controller.
            // A step is cancelled alone ("42.3"); srun names it as it launches.
            std::string job =
                attempt.jobId.empty() ? jobIdFromSrunMessages(srun.stderrText()) : attempt.jobId;
            if (!allocation.empty())
                job = attempt.stepId.empty() ? stepFromSrunMessages(srun.stderrText())
                                             : allocation + "." + attempt.stepId;
            if (!job.empty()) {
                runClient({m_scancel, job}, slurmClientEnvironment());
                std::lock_guard lock(m_mutex);
                m_cancelledJobs.push_back(job);
            }
        });

    const bool engineCancelled = cancel && cancel->load();
    if (ended && gotResult && corrupt.empty() && attempt.result.limit == LimitHit::Cancelled &&
        !engineCancelled) {
        // Slurm stopped the job (scancel, its time limit, preemption): the node's sandbox
        // cancelled the command cleanly, but the engine asked for nothing.
        attempt.kind = Attempt::Kind::Lost;
        attempt.why = "the job was stopped on its node (scancel, time limit or preemption)";
    } else if (ended && gotResult && corrupt.empty()) {
        attempt.kind = Attempt::Kind::Finished;
    } else if (failed) {
        attempt.kind = Attempt::Kind::Refused;
        attempt.why = "on " + (attempt.host.empty() ? std::string("the compute node") : attempt.host) +
                      ": " + attempt.why;
    } else if (engineCancelled) {
        attempt.kind = Attempt::Kind::Cancelled;
    } else if (!placed && (refusedBySlurm(srun.stderrText()) || exit.exitCode == 127)) {
        attempt.kind = Attempt::Kind::Refused;
        attempt.why = "srun refused the job (" + exitWords(exit) + "): " + tail(srunErrors(srun.stderrText()), 400);
    } else {
        attempt.kind = Attempt::Kind::Lost;
        if (attempt.jobId.empty())
            attempt.jobId = allocation.empty() ? jobIdFromSrunMessages(srun.stderrText()) : allocation;
        if (m_allocation)
            m_allocation->forgetIfGone(allocation);
        attempt.why = !corrupt.empty() ? "the phase stream was corrupt: " + corrupt
                                       : exitWords(exit) + (srunErrors(srun.stderrText()).empty() ? "" : ": ") +
                                             tail(srunErrors(srun.stderrText()), 300);
    }
    return attempt;
}

SandboxResult SlurmExecutor::run(const SandboxSpec& spec, const std::atomic<bool>* cancel)
{
    SandboxResult failed;
    failed.limits = spec.limits;
    failed.placement.executor = "slurm";
    if (const std::string problem = sandboxSpecError(spec); !problem.empty()) {
        failed.launchError = problem;
        return failed;
    }
    std::string request;
    try {
        request = encodePhaseRequest(spec, m_backend);
    } catch (const std::exception& e) {
        failed.launchError = std::string("cannot pack the phase's files: ") + e.what();
        return failed;
    }
    PhasePlacement& placement = failed.placement;
    for (int number = 1;; ++number) {
        Attempt attempt = runOnce(request, spec, cancel);
        placement.jobId = attempt.jobId;
        placement.stepId = attempt.stepId;
        placement.host = attempt.host;
        placement.queueSeconds = attempt.queueSeconds;
        switch (attempt.kind) {
        case Attempt::Kind::Finished:
            try {
                for (size_t i = 0; i < spec.mounts.size(); ++i) {
                    const Mount& m = spec.mounts[i];
                    if (!m.writable)
                        continue;
                    const auto returned = attempt.returned.find(i);
                    if (returned == attempt.returned.end())
                        throw std::runtime_error("the node did not send back " + m.inside);
                    emptyFolder(m.host);
                    TreeUnpacker unpacker(m.host);
                    for (const WireFrame& entry : returned->second)
                        unpacker.add(entry);
                }
            } catch (const std::exception& e) {
                failed.launchError = std::string("cannot take back the phase's files: ") + e.what();
                return failed;
            }
            attempt.result.placement = placement;
            return attempt.result;
        case Attempt::Kind::Cancelled:
            failed.launched = true;
            failed.limit = LimitHit::Cancelled;
            return failed;
        case Attempt::Kind::Refused:
            failed.launchError = attempt.why;
            return failed;
        case Attempt::Kind::Lost:
            placement.lost.push_back({attempt.jobId, attempt.host, attempt.why});
            if (number >= m_settings.attempts || (cancel && cancel->load())) {
                failed.launchError = "the phase's Slurm job was lost " + std::to_string(number) +
                                     " time(s); the last: " + attempt.why;
                return failed;
            }
            spdlog::warn("slurm job {} lost ({}); running the phase again (attempt {} of {})",
                         attempt.jobId.empty() ? "?" : attempt.jobId, attempt.why, number + 1,
                         m_settings.attempts);
            if (!spec.liveOutput.empty()) {
                std::ofstream live(spec.liveOutput, std::ios::app);
                live << "\n=== slurm job " << (attempt.jobId.empty() ? "?" : attempt.jobId)
                     << " lost (" << attempt.why << "); running the phase again\n";
            }
            break;
        }
    }
}

} // namespace clade::engine
