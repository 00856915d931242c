#include "engine/eval/PhaseLog.h"

#include <sstream>

namespace clade::engine {

std::string formatPhaseLog(const std::string& phase, const SandboxResult& r)
{
    std::ostringstream log;
    log << "=== " << phase << ": " << r.describe() << " in " << r.wallSeconds << " s (cpu "
        << r.cpuSeconds << " s, peak " << r.peakMemoryKb / 1024 << " MB)\n";
    if (!r.placement.ranHere())
        log << "--- ran on " << r.placement.describe() << "\n";
    if (!r.stdoutText.empty())
        log << "--- stdout\n" << r.stdoutText << (r.stdoutText.back() == '\n' ? "" : "\n");
    if (!r.stderrText.empty())
        log << "--- stderr\n" << r.stderrText << (r.stderrText.back() == '\n' ? "" : "\n");
    return log.str();
}

} // namespace clade::engine
