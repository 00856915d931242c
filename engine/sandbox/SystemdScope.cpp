#include "engine/sandbox/SystemdScope.h"

#include "engine/sandbox/CgroupFiles.h"
#include "engine/sandbox/CgroupHost.h"
#include "engine/sandbox/ProcessRunner.h"

#include <atomic>
#include <cstdlib>
#include <unistd.h>

namespace clade::engine {
namespace {

std::string findSystemdRun()
{
    for (const char* path : {"/usr/bin/systemd-run", "/bin/systemd-run"})
        if (::access(path, X_OK) == 0)
            return path;
    return {};
}

std::vector<std::string> busEnvironment()
{
    std::vector<std::string> env = {"PATH=/usr/bin:/bin"};
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    env.push_back("XDG_RUNTIME_DIR=" +
                  (runtime && *runtime ? std::string(runtime)
                                       : "/run/user/" + std::to_string(::geteuid())));
    if (const char* bus = std::getenv("DBUS_SESSION_BUS_ADDRESS"); bus && *bus)
        env.push_back(std::string("DBUS_SESSION_BUS_ADDRESS=") + bus);
    return env;
}

} // namespace

const SystemdScope& SystemdScope::instance()
{
    static const SystemdScope scope;
    return scope;
}

SystemdScope::SystemdScope()
{
    m_systemdRun = findSystemdRun();
    const std::string mount = CgroupHost::v2Mount();
    if (::geteuid() == 0) {
        m_note = "systemd-run --user: not used as root";
        return;
    }
    if (m_systemdRun.empty()) {
        m_note = "systemd-run is not installed";
        return;
    }
    if (mount.empty()) {
        m_note = "systemd-run --user: no cgroup v2 hierarchy mounted";
        return;
    }
    m_environment = busEnvironment();

    // What the scope's own cgroup says, read from inside it.
    const std::string script =
        "d=" + mount + "$(sed -n 's/^0:://p' /proc/self/cgroup)\n"
        "echo \"memory=$(cat $d/memory.max 2>/dev/null)\"\n"
        "echo \"swap=$(cat $d/memory.swap.max 2>/dev/null)\"\n"
        "echo \"pids=$(cat $d/pids.max 2>/dev/null)\"\n"
        "test -r $d/cpu.stat && test -w $d/cgroup.kill && echo watch=yes\n";
    SandboxLimits limits;
    limits.memoryMb = 64;
    limits.pids = 14;
    limits.wallSeconds = 20;
    ProcessRequest probe;
    probe.argv = wrap({"/bin/sh", "-c", script}, limits, 2, nextUnitName());
    probe.env = m_environment;
    probe.limits = limits;
    probe.limitAddressSpace = false;
    probe.cgroup = false;
    const SandboxResult r = ProcessRunner(std::move(probe)).run(nullptr);
    if (!r.succeeded()) {
        m_note = "systemd-run --user --scope does not work here (" + r.describe() + ": " +
                 r.stderrText.substr(0, r.stderrText.find('\n')) + ")";
        return;
    }
    const std::string& out = r.stdoutText;
    m_available = true;
    m_memory = out.find("memory=67108864\n") != std::string::npos;
    m_swap = out.find("swap=0\n") != std::string::npos;
    m_pids = out.find("pids=16\n") != std::string::npos;
    m_watch = out.find("watch=yes\n") != std::string::npos;
    m_note = std::string("systemd-run --user --scope: memory ") + (m_memory ? "yes" : "no") +
             ", swap " + (m_swap ? "yes" : "no") + ", pids " + (m_pids ? "yes" : "no") +
             ", cpu/kill " + (m_watch ? "yes" : "no");
}

std::vector<std::string> SystemdScope::wrap(const std::vector<std::string>& command,
                                            const SandboxLimits& limits, int extraPids,
                                            const std::string& unit) const
{
    std::vector<std::string> argv = {m_systemdRun, "--user",  "--scope", "--quiet",
                                     "--collect",  "--unit=" + unit};
    if (limits.memoryMb > 0)
        argv.insert(argv.end(),
                    {"-p", "MemoryMax=" + std::to_string(static_cast<long long>(limits.memoryMb) << 20),
                     "-p", "MemorySwapMax=0"});
    if (limits.pids > 0)
        argv.insert(argv.end(), {"-p", "TasksMax=" + std::to_string(limits.pids + extraPids)});
    argv.insert(argv.end(), {"--", "/usr/bin/env", "-i", "PATH=/usr/bin:/bin"});
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

std::string SystemdScope::nextUnitName()
{
    static std::atomic<int> counter{0};
    return "clade-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

} // namespace clade::engine
