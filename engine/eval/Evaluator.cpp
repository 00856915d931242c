#include "engine/eval/Evaluator.h"

#include <fstream>

#include "engine/eval/GatewayAccess.h"
#include "engine/eval/HarnessPin.h"
#include "engine/eval/PhaseLog.h"
#include "engine/eval/ScoreOutput.h"
#include "engine/git/Repository.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/ScratchSpace.h"
#include "engine/util/Utf8Text.h"

#include <chrono>
#include <optional>
#include <sstream>

namespace clade::engine {
namespace fs = std::filesystem;

std::vector<std::vector<std::string>> makeBatches(const std::vector<std::string>& tasks,
                                                  int batchSize)
{
    std::vector<std::vector<std::string>> batches;
    const size_t size = batchSize > 0 ? static_cast<size_t>(batchSize) : tasks.size();
    for (size_t i = 0; i < tasks.size(); i += size)
        batches.emplace_back(tasks.begin() + static_cast<long>(i),
                             tasks.begin() + static_cast<long>(std::min(tasks.size(), i + size)));
    return batches;
}

std::vector<std::string> expandCommand(const std::vector<std::string>& argv,
                                       const std::vector<std::string>& tasks)
{
    std::string joined;
    for (const auto& task : tasks)
        joined += (joined.empty() ? "" : ",") + task;
    std::vector<std::string> out;
    for (std::string arg : argv) {
        for (size_t at = arg.find("{tasks}"); at != std::string::npos;
             at = arg.find("{tasks}", at + joined.size()))
            arg.replace(at, 7, joined);
        out.push_back(std::move(arg));
    }
    return out;
}

namespace {

// The end of a command's stderr for an error message (stored, shown as one line of JSON):
// whole characters only, and bytes that are not UTF-8 as U+FFFD.
std::string tail(const std::string& text, size_t bytes)
{
    return toValidUtf8(text.size() <= bytes ? text : "..." + utf8Suffix(text, bytes));
}

// Live logs accumulate over batches and sessions; a header says which run of a phase follows.
void appendLiveHeader(const fs::path& file, const char* phase, const std::string& tasks)
{
    std::ofstream out(file, std::ios::app);
    out << "=== " << phase << " " << tasks << "\n";
}

} // namespace

Evaluator::Evaluator(const Manifest& manifest, Sandbox& sandbox, ScratchSpace& scratch,
                     fs::path stagedHarness, std::string harnessSha256)
    : m_manifest(manifest), m_sandbox(sandbox), m_scratch(scratch),
      m_harness(std::move(stagedHarness)), m_harnessSha256(std::move(harnessSha256))
{
}

void Evaluator::hideHarnessPaths(SandboxSpec& spec, const fs::path& emptyFolder) const
{
    const fs::path emptyDir = emptyFolder / "folder";
    const fs::path emptyFile = emptyFolder / "file";
    fs::create_directory(emptyDir);
    writeScratchFile(emptyFile, "");
    for (const std::string& entry : m_manifest.harnessHidden) {
        std::string rel = entry;
        while (!rel.empty() && rel.back() == '/')
            rel.pop_back();
        std::error_code ec;
        const auto status = fs::symlink_status(m_harness / rel, ec);
        if (ec || !fs::exists(status))
            continue; // nothing there to hide
        spec.mounts.push_back({fs::is_directory(status) ? emptyDir : emptyFile,
                               "/harness/" + rel, false});
    }
}

EvaluationOutcome Evaluator::evaluate(git::Repository& repo, const git::Oid& commit,
                                      const std::vector<std::string>& tasks,
                                      const std::atomic<bool>* cancel,
                                      const std::filesystem::path& liveLogs,
                                      GatewayAccess* gateway)
{
    const auto started = std::chrono::steady_clock::now();
    EvaluationOutcome outcome;
    std::ostringstream log;
    std::map<std::string, double> metricSums;
    size_t metricTasks = 0;
    std::string scoreCommand;
    for (const auto& arg : m_manifest.score.argv)
        scoreCommand += (scoreCommand.empty() ? "" : " ") + arg;
    const std::string scoreSource =
        (m_harnessSource.empty() ? m_harness.string() : m_harnessSource) + " (score command `" +
        scoreCommand + "`)";
    auto harnessBroken = [&](const std::string& error) {
        outcome.kind = EvaluationOutcome::Kind::HarnessBroken;
        outcome.error = error;
        log << "=== harness broke its contract: " << error << "\n";
        outcome.log = log.str();
        return outcome;
    };

    // Both folders are written in the solve phase: sized by its limits (as a tmpfs when the
    // engine is root, else held to them by the sandbox's disk watchdog).
    const SandboxLimits& solveLimits = m_manifest.solve.limits;
    const ScratchSpace::Limits scratchLimits{solveLimits.scratchMb, solveLimits.scratchInodes};
    for (const auto& batch : makeBatches(tasks, m_manifest.batchSize)) {
        const fs::path agent = m_scratch.makeFolder("agent", false, scratchLimits);
        const fs::path output = m_scratch.makeFolder("output", true, scratchLimits);
        repo.checkout(commit, agent / "tree");
        m_scratch.handOver(agent);

        const std::string taskList = expandCommand({"{tasks}"}, batch).front();
        SandboxSpec solve;
        solve.argv = expandCommand(m_manifest.solve.argv, batch);
        solve.mounts = {{agent / "tree", "/agent", true},
                        {m_harness, "/harness", false},
                        {output, "/output", true}};
        solve.workdir = "/agent";
        solve.env = {{"CLADE_TASKS", taskList},
                     {"CLADE_OUTPUT", "/output"}};
        solve.limits = m_manifest.solve.limits;
        if (!liveLogs.empty()) {
            solve.liveOutput = liveLogs / "solve.log";
            appendLiveHeader(solve.liveOutput, "solve", taskList);
        }
        fs::path hidden;
        if (!m_manifest.harnessHidden.empty()) {
            hidden = m_scratch.makeFolder("hidden", false, {1, 64});
            hideHarnessPaths(solve, hidden);
        }
        std::optional<GatewayAccess::Lease> lease;
        if (gateway && m_manifest.gatewayFor("solve"))
            lease.emplace(gateway->open(solve, "solve"));
        const SandboxResult solved = m_sandbox.run(solve, cancel);
        lease.reset();
        log << formatPhaseLog("solve", solved);
        if (!solved.placement.ranHere())
            outcome.placements.push_back({"solve", solved.placement});
        m_scratch.release(agent);
        if (!hidden.empty())
            m_scratch.release(hidden);
        // The provider refused the run's key or model: the rest would fail the same way,
        // and nothing of this evaluation is the candidate's (NodeWorker stops the run).
        if (solved.limit == LimitHit::Cancelled || (gateway && gateway->configurationRefused())) {
            m_scratch.release(output);
            outcome.kind = EvaluationOutcome::Kind::Cancelled;
            outcome.error = "cancelled";
            outcome.log = log.str();
            return outcome;
        }
        if (!solved.launched) {
            m_scratch.release(output);
            throw std::runtime_error("cannot start the sandbox: " + solved.launchError);
        }
        if (!solved.succeeded() && outcome.error.empty())
            outcome.error = "solve phase " + solved.describe() + "; scored what it wrote";
        auto& measured = outcome.metrics.values;
        measured[std::string(kSolveSeconds)] += solved.wallSeconds;
        measured[std::string(kSolveCpuSeconds)] += solved.cpuSeconds;
        double& peak = measured[std::string(kSolvePeakMemoryMb)];
        peak = std::max(peak, static_cast<double>(solved.peakMemoryKb) / 1024.0);

        // The harness must be byte-for-byte the one recorded in run.json.
        try {
            verifyHarness(m_harness, m_harnessSha256);
        } catch (const InputError& e) {
            m_scratch.release(output);
            return harnessBroken(e.what());
        }
        SandboxSpec score;
        score.argv = expandCommand(m_manifest.score.argv, batch);
        score.mounts = {{m_harness, "/harness", false}, {output, "/output", false}};
        score.workdir = "/harness";
        score.env = {{"CLADE_TASKS", taskList}};
        score.limits = m_manifest.score.limits;
        if (!liveLogs.empty()) {
            score.liveOutput = liveLogs / "score.log";
            appendLiveHeader(score.liveOutput, "score", taskList);
        }
        const SandboxResult scored = m_sandbox.run(score, cancel);
        log << formatPhaseLog("score", scored);
        if (!scored.placement.ranHere())
            outcome.placements.push_back({"score", scored.placement});
        m_scratch.release(output);
        if (scored.limit == LimitHit::Cancelled) {
            outcome.kind = EvaluationOutcome::Kind::Cancelled;
            outcome.error = "cancelled";
            outcome.log = log.str();
            return outcome;
        }
        if (!scored.succeeded()) {
            outcome.kind = EvaluationOutcome::Kind::CandidateFailed;
            outcome.error = "score phase " + scored.describe() + ": " + tail(scored.stderrText, 400);
            outcome.log = log.str();
            return outcome;
        }
        ScoreOutput parsed;
        try {
            parsed = parseScoreOutput(scored.stdoutText, batch, scoreSource);
        } catch (const InputError& e) {
            return harnessBroken(e.what());
        }
        outcome.results.insert(parsed.tasks.begin(), parsed.tasks.end());
        for (const auto& [name, value] : parsed.metrics)
            metricSums[name] += value * static_cast<double>(batch.size());
        metricTasks += batch.size();
        outcome.metrics.values[std::string(kScoreSeconds)] += scored.wallSeconds;
    }
    for (const auto& [name, sum] : metricSums)
        outcome.metrics.values[name] = sum / static_cast<double>(std::max<size_t>(metricTasks, 1));
    outcome.metrics.tasks = outcome.results.size();
    outcome.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    outcome.log = log.str();
    return outcome;
}

} // namespace clade::engine
