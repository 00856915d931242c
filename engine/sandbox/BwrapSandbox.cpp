#include "engine/sandbox/BwrapSandbox.h"

#include "engine/sandbox/CgroupHost.h"
#include "engine/sandbox/ProcessRunner.h"
#include "engine/sandbox/SystemdScope.h"
#include "engine/sandbox/TmpFolderPool.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace clade::engine {
namespace fs = std::filesystem;
namespace {

// bwrap outside the namespaces and bwrap as pid 1 inside, both in the command's cgroup.
constexpr int kBwrapProcesses = 2;

// The read-only system: /usr, and the top-level folders a merged-usr host (Debian 12)
// has as symlinks into it, bound as folders on a host that is not merged.
std::vector<std::string> systemArgs()
{
    std::vector<std::string> args = {"--ro-bind", "/usr", "/usr"};
    for (const char* name : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
        std::error_code error;
        const auto status = fs::symlink_status(name, error);
        if (fs::is_symlink(status)) {
            const fs::path target = fs::read_symlink(name, error);
            if (!error)
                args.insert(args.end(), {"--symlink", target.string(), name});
        } else if (fs::is_directory(status)) {
            args.insert(args.end(), {"--ro-bind", name, name});
        }
    }
    // What ordinary tools need from /etc; nothing that names users or holds secrets.
    for (const char* name : {"/etc/alternatives", "/etc/ld.so.cache", "/etc/localtime"}) {
        std::error_code error;
        if (fs::exists(name, error))
            args.insert(args.end(), {"--ro-bind-try", name, name});
    }
    return args;
}

bool versionAtLeast(const std::string& text, int major, int minor)
{
    int haveMajor = 0;
    int haveMinor = 0;
    if (std::sscanf(text.c_str(), "bubblewrap %d.%d", &haveMajor, &haveMinor) != 2)
        return false;
    return haveMajor > major || (haveMajor == major && haveMinor >= minor);
}

long long megabytes(int mb)
{
    return mb > 0 ? static_cast<long long>(mb) << 20 : 0;
}

// Every writable place of a run and what it may hold; /tmp and /dev/shm share one folder.
std::vector<DiskQuota> diskQuotas(const SandboxSpec& spec, const fs::path& tmpFolder)
{
    const SandboxLimits& limits = spec.limits;
    std::vector<DiskQuota> quotas = {
        {tmpFolder, "/tmp and /dev/shm", megabytes(limits.tmpMb), limits.scratchInodes}};
    for (const auto& mount : spec.mounts) {
        if (!mount.writable)
            continue;
        // bwrap follows a symlinked source; measure what it binds.
        std::error_code error;
        fs::path host = fs::canonical(mount.host, error);
        if (error)
            host = mount.host;
        quotas.push_back({host, mount.inside, megabytes(limits.scratchMb), limits.scratchInodes});
    }
    return quotas;
}

} // namespace

BwrapSandbox::~BwrapSandbox() = default;

BwrapSandbox::BwrapSandbox(std::string bwrap, bool cgroups)
    : m_bwrap(std::move(bwrap)), m_cgroups(cgroups)
{
    struct stat info {};
    if (::stat(m_bwrap.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
        ::access(m_bwrap.c_str(), X_OK) != 0)
        throw std::runtime_error(
            "bubblewrap is not installed (" + m_bwrap +
            " not found): install it (Debian: apt-get install bubblewrap) or choose the "
            "unsafe-rlimits sandbox for trusted code only");
    m_setuid = (info.st_mode & S_ISUID) != 0;
    m_systemArgs = systemArgs();

    ProcessRequest probe;
    probe.argv = {m_bwrap, "--version"};
    probe.env = {"PATH=/usr/bin:/bin"};
    probe.limits.wallSeconds = 10;
    probe.noNewPrivileges = !m_setuid;
    probe.cgroup = false;
    m_disableUserns = versionAtLeast(ProcessRunner(std::move(probe)).run(nullptr).stdoutText, 0, 8);
    m_tmpFolders = std::make_unique<TmpFolderPool>();
}

std::vector<std::string> BwrapSandbox::commandLine(const SandboxSpec& spec,
                                                   const fs::path& tmpFolder) const
{
    std::vector<std::string> args = {m_bwrap, "--unshare-all", "--unshare-user"};
    if (m_disableUserns)
        args.push_back("--disable-userns");
    args.insert(args.end(),
                {"--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"});
    for (const auto& [name, value] : sandboxEnvironment(spec))
        args.insert(args.end(), {"--setenv", name, value});
    args.insert(args.end(), m_systemArgs.begin(), m_systemArgs.end());
    args.insert(args.end(), {"--proc", "/proc", "--dev", "/dev"});
    // /tmp and /dev/shm from the run's limited scratch folder (see the class comment).
    // bwrap's /dev itself cannot be given a size, so it is made read-only below (device
    // nodes such as /dev/null stay usable: writing to a device is not writing to the file
    // system).
    args.insert(args.end(), {"--bind", (tmpFolder / "tmp").string(), "/tmp", "--bind",
                             (tmpFolder / "shm").string(), "/dev/shm"});
    for (const auto& mount : spec.mounts)
        args.insert(args.end(),
                    {mount.writable ? "--bind" : "--ro-bind", mount.host.string(), mount.inside});
    args.insert(args.end(), {"--chdir", spec.workdir.empty() ? "/" : spec.workdir});
    // Last of the mount operations: each makes only that mount read-only, so the writable
    // binds, /tmp and /dev/shm stay writable.
    args.insert(args.end(), {"--remount-ro", "/dev", "--remount-ro", "/"});
    args.push_back("--");
    args.insert(args.end(), spec.argv.begin(), spec.argv.end());
    return args;
}

SandboxResult BwrapSandbox::run(const SandboxSpec& spec, const std::atomic<bool>* cancel)
{
    if (const std::string error = sandboxSpecError(spec); !error.empty()) {
        SandboxResult result;
        result.limits = spec.limits;
        result.launchError = error;
        return result;
    }
    fs::path tmp;
    try {
        tmp = m_tmpFolders->acquire(spec.limits);
    } catch (const std::exception& e) {
        SandboxResult result;
        result.limits = spec.limits;
        result.launchError = std::string("cannot make the sandbox's /tmp: ") + e.what();
        return result;
    }
    struct GiveBackTmp {
        TmpFolderPool& pool;
        const fs::path& folder;
        ~GiveBackTmp() { pool.giveBack(folder); }
    } giveBackTmp{*m_tmpFolders, tmp};

    ProcessRequest request;
    request.argv = commandLine(spec, tmp);
    request.diskQuotas = diskQuotas(spec, tmp);
    request.env = {"PATH=/usr/bin:/bin"};
    request.limits = spec.limits;
    request.liveOutput = spec.liveOutput;
    request.noNewPrivileges = !m_setuid;
    request.reaper = true;
    request.signalsAsExitCodes = true;
    request.extraPids = kBwrapProcesses;
    request.cgroup = m_cgroups;
    const bool scoped = useSystemdScope();
    if (scoped) {
        const SystemdScope& scope = SystemdScope::instance();
        request.systemdScope = SystemdScope::nextUnitName();
        request.argv = scope.wrap(request.argv, spec.limits, kBwrapProcesses, request.systemdScope);
        request.env = scope.environment();
        request.limitAddressSpace = !scope.limitsMemory();
    }
    SandboxResult result = ProcessRunner(std::move(request)).run(cancel);

    // bwrap reports its own failures (a mount it cannot make, a command it cannot exec)
    // as exit status 1 with a "bwrap: " line, before the command produced anything; so
    // does systemd-run ("Failed to start transient scope unit: ...").
    const std::string& err = result.stderrText;
    if (result.launched && result.exitCode == 1 && result.limit == LimitHit::None &&
        result.stdoutBytes == 0 &&
        (err.rfind("bwrap: ", 0) == 0 || (scoped && err.rfind("Failed to ", 0) == 0))) {
        result.launched = false;
        result.launchError = result.stderrText.substr(0, result.stderrText.find('\n'));
    }
    return result;
}

bool BwrapSandbox::useSystemdScope() const
{
    return m_cgroups && !CgroupHost::instance().available() &&
           SystemdScope::instance().available();
}

std::vector<std::string> BwrapSandbox::unenforcedLimits() const
{
    if (!m_cgroups)
        return CgroupHost(CgroupHost::Options{CgroupHost::Mode::Off, {}}).gaps();
    if (!useSystemdScope())
        return CgroupHost::instance().gaps();
    const SystemdScope& scope = SystemdScope::instance();
    std::vector<std::string> missing;
    if (!scope.limitsMemory())
        missing.push_back("memory: RLIMIT_AS caps each process's address space, not the process "
                          "tree's total (systemd-run --user cannot set MemoryMax here: the "
                          "memory controller is not delegated to the user's manager)");
    else if (!scope.limitsSwap())
        missing.push_back("swap: not limited (MemorySwapMax has no effect here)");
    if (!scope.limitsPids())
        missing.push_back("pids: not limited (systemd-run --user cannot set TasksMax here)");
    if (!scope.watchesTree())
        missing.push_back("cpu: RLIMIT_CPU caps each process, not the CPU time of the tree as a "
                          "whole (the systemd scope's cgroup cannot be watched)");
    return missing;
}

} // namespace clade::engine
