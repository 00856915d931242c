// clade sandbox: one command in exactly the sandbox the engine uses, and how it ended.
#include "app/ExitCode.h"
#include "app/OptionChoices.h"
#include "app/VerbParser.h"
#include "app/Verbs.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/util/InputError.h"
#include "engine/util/ScratchSpace.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

namespace clade::app {

using engine::InputError;
namespace fs = std::filesystem;

namespace {

// The sandbox's PATH is /usr/bin:/bin; resolve a bare name the same way so the report
// names the program that ran.
std::string resolveProgram(const std::string& name)
{
    if (name.find('/') != std::string::npos)
        return name;
    for (const char* dir : {"/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"})
        if (::access((std::string(dir) + name).c_str(), X_OK) == 0)
            return std::string(dir) + name;
    throw InputError(name + ": no such program in /usr/bin or /bin (expected a program the "
                            "sandbox can see; give an absolute path)");
}

engine::Mount parseMount(const QString& text, bool writable)
{
    const auto colon = text.indexOf(':');
    if (colon <= 0 || colon == text.size() - 1)
        throw InputError("--" + std::string(writable ? "bind" : "ro-bind") +
                         ": expected HOST:INSIDE, got '" + text.toStdString() + "'");
    const fs::path host = fs::absolute(text.left(colon).toStdString());
    if (!fs::exists(host))
        throw InputError(host.string() + ": no such file or folder to mount");
    return {host, text.mid(colon + 1).toStdString(), writable};
}

} // namespace

void declareSandbox(VerbSpec& s)
{
    s.description = "Run one command in the engine's sandbox and report how it ended.";
    s.addPositional(ValueSpec::command("CMD"), "Command and arguments, after --.", "-- CMD [ARGS...]");
    s.addOption("memory", "Memory limit in MB (default 1024).", "MB");
    s.addOption("cpu-seconds", "CPU time limit (default 120).", "S");
    s.addOption("wall-seconds", "Wall-clock limit (default 120).", "S");
    s.addOption("pids", "Process limit (default 128).", "N");
    s.addOption("scratch-mb",
                "The most each --bind folder may hold, what is in it already included "
                "(default 1024).",
                "MB");
    s.addOption("scratch-inodes",
                "The most files, folders and links in each --bind folder and in /tmp "
                "(default 200000).",
                "N");
    s.addOption("tmp-mb", "Size of /tmp and /dev/shm together (default 256).", "MB");
    s.addOption("backend", "Sandbox backend: " + spokenList(sandboxChoices()) + " (default bwrap).",
                ValueSpec::oneOf("NAME", sandboxChoices()));
    s.addOption("bind", "Mount HOST read-write at INSIDE (repeatable).",
                ValueSpec::file("HOST:INSIDE"));
    s.addOption("ro-bind", "Mount HOST read-only at INSIDE (repeatable).",
                ValueSpec::file("HOST:INSIDE"));
    s.addOption("chdir", "Working folder inside the sandbox.", "DIR");
    s.addOption("json", "Print the report as JSON on stderr.");
    s.addOption("clean-up",
                "Run no command: remove what engines that were killed left of their "
                "sandboxes (scratch folders and their mounts, cgroups), as every run does "
                "when it starts.");
}

int runSandbox(const VerbParser& p)
{
    if (p.isSet("clean-up")) {
        if (!p.positional().isEmpty())
            throw InputError("--clean-up runs no command (expected nothing after it)");
        // Also what removing the Debian package runs, so that nothing of Clade stays behind.
        const int folders = engine::ScratchSpace::sweepStale();
        const int cgroups = engine::sweepStaleSandboxState();
        std::printf("clade sandbox: removed the scratch folders of %d and the cgroups of %d "
                    "engines no longer running\n",
                    folders, cgroups);
        return ExitDone;
    }
    const QStringList command = p.positional();
    if (command.isEmpty())
        throw InputError("missing command (usage: clade sandbox [options] -- CMD [ARGS...])");

    engine::SandboxSpec spec;
    for (const auto& arg : command)
        spec.argv.push_back(arg.toStdString());
    spec.argv.front() = resolveProgram(spec.argv.front());
    for (const auto& m : p.values("bind"))
        spec.mounts.push_back(parseMount(m, true));
    for (const auto& m : p.values("ro-bind"))
        spec.mounts.push_back(parseMount(m, false));
    spec.workdir = p.isSet("chdir") ? p.value("chdir").toStdString() : "/tmp";
    spec.limits.memoryMb = p.intValue("memory", 16, 1 << 20).value_or(spec.limits.memoryMb);
    spec.limits.cpuSeconds = p.doubleValue("cpu-seconds", 0.1).value_or(spec.limits.cpuSeconds);
    spec.limits.wallSeconds = p.doubleValue("wall-seconds", 0.1).value_or(spec.limits.wallSeconds);
    spec.limits.pids = p.intValue("pids", 1, 1 << 20).value_or(spec.limits.pids);
    spec.limits.scratchMb = p.intValue("scratch-mb", 1, 1 << 20).value_or(spec.limits.scratchMb);
    spec.limits.scratchInodes =
        p.intValue("scratch-inodes", 1, 1 << 30).value_or(spec.limits.scratchInodes);
    spec.limits.tmpMb = p.intValue("tmp-mb", 1, 1 << 20).value_or(spec.limits.tmpMb);

    std::unique_ptr<engine::Sandbox> sandbox;
    try {
        sandbox = engine::makeSandbox(p.isSet("backend") ? p.value("backend").toStdString() : "bwrap");
    } catch (const std::invalid_argument& e) {
        throw InputError(std::string("--backend: ") + e.what());
    }
    for (const auto& missing : sandbox->unenforcedLimits())
        std::fprintf(stderr, "clade sandbox: warning: not enforced: %s\n", missing.c_str());
    if (const auto problem = engine::sandboxSpecError(spec); !problem.empty())
        throw InputError(problem);

    const engine::SandboxResult r = sandbox->run(spec);
    std::fwrite(r.stdoutText.data(), 1, r.stdoutText.size(), stdout);
    std::fflush(stdout);
    std::fwrite(r.stderrText.data(), 1, r.stderrText.size(), stderr);
    if (!r.launched) {
        std::fprintf(stderr, "clade sandbox: cannot start: %s\n", r.launchError.c_str());
        return ExitRunFailed;
    }
    if (p.isSet("json")) {
        const nlohmann::json report{{"exit_code", r.exitCode},     {"signal", r.signal},
                                    {"limit", r.describe()},       {"stdout_bytes", r.stdoutBytes},
                                    {"stderr_bytes", r.stderrBytes}, {"wall_seconds", r.wallSeconds},
                                    {"cpu_seconds", r.cpuSeconds}, {"peak_memory_kb", r.peakMemoryKb},
                                    {"backend", sandbox->name()}};
        std::fprintf(stderr, "%s\n", report.dump().c_str());
    } else {
        std::fprintf(stderr,
                     "clade sandbox [%s]: %s; wall %.3f s, cpu %.3f s, peak %lld MB, output %lld+%lld bytes\n",
                     sandbox->name().c_str(), r.describe().c_str(), r.wallSeconds, r.cpuSeconds,
                     r.peakMemoryKb / 1024, r.stdoutBytes, r.stderrBytes);
    }
    if (r.signal != 0)
        return 128 + r.signal;
    return r.exitCode;
}

} // namespace clade::app
