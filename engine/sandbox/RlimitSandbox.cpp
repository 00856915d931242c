#include "engine/sandbox/RlimitSandbox.h"

#include "engine/sandbox/CgroupHost.h"
#include "engine/sandbox/ProcessRunner.h"
#include "engine/sandbox/SandboxHost.h"

#include <optional>

namespace clade::engine {
namespace {

// The host path for an inside path, if it lies in a mount.
std::optional<std::string> toHost(const std::string& value, const std::vector<Mount>& mounts)
{
    const Mount* best = nullptr;
    for (const auto& mount : mounts) {
        const std::string& inside = mount.inside;
        const bool under = value.compare(0, inside.size(), inside) == 0 &&
                           (value.size() == inside.size() || value[inside.size()] == '/');
        if (under && (!best || inside.size() > best->inside.size()))
            best = &mount;
    }
    if (!best)
        return std::nullopt;
    return best->host.string() + value.substr(best->inside.size());
}

std::string translated(const std::string& value, const std::vector<Mount>& mounts)
{
    return toHost(value, mounts).value_or(value);
}

} // namespace

SandboxResult RlimitSandbox::run(const SandboxSpec& spec, const std::atomic<bool>* cancel)
{
    SandboxResult refused;
    refused.limits = spec.limits;
    if (const std::string error = sandboxSpecError(spec); !error.empty()) {
        refused.launchError = error;
        return refused;
    }
    ProcessRequest request;
    if (!spec.workdir.empty() && spec.workdir != "/") {
        const auto cwd = toHost(spec.workdir, spec.mounts);
        if (!cwd) {
            refused.launchError = "workdir " + spec.workdir + " is not inside any mount";
            return refused;
        }
        request.cwd = *cwd;
    }
    for (const auto& arg : spec.argv)
        request.argv.push_back(translated(arg, spec.mounts));
    for (const auto& [name, value] : sandboxEnvironment(spec))
        request.env.push_back(name + "=" + translated(value, spec.mounts));
    request.limits = spec.limits;
    request.liveOutput = spec.liveOutput;
    request.cgroup = m_cgroups;
    return ProcessRunner(std::move(request)).run(cancel);
}

std::vector<std::string> RlimitSandbox::unenforcedLimits() const
{
    std::vector<std::string> missing = {
        "network: not isolated",
        "filesystem: not isolated; the command sees the host and can write wherever its "
        "user can, read-only mounts included; /tmp is the host's (tmpMb is not applied)",
        "disk: not limited (scratchMb and scratchInodes are not applied: the command can "
        "write anywhere its user can)",
    };
    const CgroupHost off(CgroupHost::Options{CgroupHost::Mode::Off, {}});
    const CgroupHost& cgroups = m_cgroups ? CgroupHost::instance() : off;
    const auto gaps = cgroups.gaps();
    missing.insert(missing.end(), gaps.begin(), gaps.end());
    // Without a cgroup, only a root engine that is a child subreaper finds a process that
    // left the process group: re-parented to the engine, running as the sandbox uid.
    if (!cgroups.available() && !(sandboxSwitchesUser() && isChildSubreaper()))
        missing.push_back("process tree: a process that starts its own session escapes the kill");
    if (!sandboxSwitchesUser())
        missing.push_back("secrets: the command runs as the engine's own user and can read "
                          "the engine's environment through /proc");
    return missing;
}

} // namespace clade::engine
