#include "engine/sandbox/SandboxResult.h"

#include <cstdio>

namespace clade::engine {
namespace {

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

} // namespace

bool SandboxResult::succeeded() const
{
    return launched && exitCode == 0 && signal == 0 && limit == LimitHit::None;
}

std::string SandboxResult::describe() const
{
    if (!launched)
        return "not launched: " + launchError;
    switch (limit) {
    case LimitHit::Wall:
        return "killed: wall-clock limit " + number(limits.wallSeconds) + " s";
    case LimitHit::Cpu:
        return "killed: CPU time limit " + number(limits.cpuSeconds) + " s";
    case LimitHit::Memory:
        return "killed: memory limit " + std::to_string(limits.memoryMb) + " MB";
    case LimitHit::Pids:
        return "killed: process limit " + std::to_string(limits.pids);
    case LimitHit::Output:
        return "killed: output limit " + std::to_string(limits.outputBytes) + " bytes per stream";
    case LimitHit::Disk: {
        const std::string what = diskLimit.empty() ? std::string("disk limit") : diskLimit;
        // Found only after the command had ended by itself: it was not killed.
        if (signal == 0)
            return "exit " + std::to_string(exitCode) + ", over " + what;
        return "killed: " + what;
    }
    case LimitHit::Cancelled:
        return "cancelled";
    case LimitHit::None:
        break;
    }
    if (signal != 0)
        return "signal " + std::to_string(signal);
    return "exit " + std::to_string(exitCode);
}

std::string PhasePlacement::describe() const
{
    if (ranHere())
        return "on this host";
    std::string text = executor + " job " + (jobId.empty() ? "?" : jobId);
    if (!stepId.empty())
        text += " step " + stepId;
    if (!host.empty())
        text += " on " + host;
    char queued[32];
    std::snprintf(queued, sizeof queued, "%.2f", queueSeconds);
    text += ", queued " + std::string(queued) + " s";
    if (!lost.empty()) {
        text += "; " + std::to_string(lost.size()) + " lost attempt" + (lost.size() == 1 ? "" : "s");
        for (size_t i = 0; i < lost.size(); ++i) {
            const LostAttempt& a = lost[i];
            text += std::string(i == 0 ? " (" : "; ") + "job " + (a.jobId.empty() ? "?" : a.jobId);
            if (!a.host.empty())
                text += " on " + a.host;
            text += ": " + a.why;
        }
        text += ")";
    }
    return text;
}

} // namespace clade::engine
