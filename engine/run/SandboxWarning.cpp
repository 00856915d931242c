#include "engine/run/SandboxWarning.h"

namespace clade::engine {
namespace {

std::string joined(const std::vector<std::string>& parts)
{
    std::string text;
    for (const auto& part : parts)
        text += (text.empty() ? "" : ", ") + part;
    return text;
}

// "memory: RLIMIT_AS caps ..." -> "memory": what a person scans for; the line explains.
std::string limitName(const std::string& line)
{
    const auto colon = line.find(':');
    return colon == std::string::npos ? line : line.substr(0, colon);
}

} // namespace

SandboxWarning sandboxWarning(const std::string& backend,
                              const std::optional<SandboxSession>& latest)
{
    SandboxWarning w;
    w.unsafe = backend == "unsafe-rlimits";
    if (latest) {
        w.unenforced = latest->unenforced;
        w.host = latest->host;
    }
    for (const auto& line : w.unenforced)
        w.limitNames.push_back(limitName(line));
    const std::string names = joined(w.limitNames);
    const std::string where = w.host.empty() ? "" : " on " + w.host;
    if (w.unsafe) {
        w.title = "Unsafe sandbox";
        w.tag = "UNSAFE: no isolation";
        w.headline = "Agent code in this run is not isolated (sandbox unsafe-rlimits): it can "
                     "reach the network and the host's files. Use it only for trusted code.";
        if (!names.empty())
            w.headline += " Not enforced" + where + ": " + names + ".";
    } else if (!names.empty()) {
        w.title = "Sandbox limits not enforced";
        w.tag = "not enforced: " + names;
        w.headline = "Agent code in this run is isolated, but" + where +
                     " these limits do not hold as the manifest sets them: " + names + ".";
    }
    return w;
}

} // namespace clade::engine
