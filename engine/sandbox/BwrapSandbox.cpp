#include "engine/sandbox/BwrapSandbox.h"

#include "engine/sandbox/ProcessRunner.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace clade::engine {
namespace fs = std::filesystem;
namespace {

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

} // namespace

BwrapSandbox::BwrapSandbox(std::string bwrap) : m_bwrap(std::move(bwrap))
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
    m_disableUserns = versionAtLeast(ProcessRunner(std::move(probe)).run(nullptr).stdoutText, 0, 8);
}

std::vector<std::string> BwrapSandbox::commandLine(const SandboxSpec& spec) const
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
    if (spec.limits.tmpMb > 0)
        args.insert(args.end(),
                    {"--size", std::to_string(static_cast<long long>(spec.limits.tmpMb) << 20)});
    args.insert(args.end(), {"--tmpfs", "/tmp"});
    for (const auto& mount : spec.mounts)
        args.insert(args.end(),
                    {mount.writable ? "--bind" : "--ro-bind", mount.host.string(), mount.inside});
    args.insert(args.end(), {"--chdir", spec.workdir.empty() ? "/" : spec.workdir});
    // Last of the mount operations: it makes only the root tmpfs read-only, so the
    // writable binds, /tmp and /dev stay writable.
    args.insert(args.end(), {"--remount-ro", "/"});
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
    ProcessRequest request;
    request.argv = commandLine(spec);
    request.env = {"PATH=/usr/bin:/bin"};
    request.limits = spec.limits;
    request.noNewPrivileges = !m_setuid;
    request.reaper = true;
    request.signalsAsExitCodes = true;
    SandboxResult result = ProcessRunner(std::move(request)).run(cancel);

    // bwrap reports its own failures (a mount it cannot make, a command it cannot exec)
    // as exit status 1 with a "bwrap: " line, before the command produced anything.
    if (result.launched && result.exitCode == 1 && result.limit == LimitHit::None &&
        result.stdoutBytes == 0 && result.stderrText.rfind("bwrap: ", 0) == 0) {
        result.launched = false;
        result.launchError = result.stderrText.substr(0, result.stderrText.find('\n'));
    }
    return result;
}

std::vector<std::string> BwrapSandbox::unenforcedLimits() const
{
    return {
        "memory: RLIMIT_AS caps each process's address space, not the process tree's total; "
        "a program over it sees its own allocation fail (no LimitHit::Memory)",
        "cpu: RLIMIT_CPU caps each process, not the CPU time of the tree as a whole",
        "pids: not limited (RLIMIT_NPROC would count every process of the sandbox user, "
        "across all sandboxes)",
    };
}

} // namespace clade::engine
