// cgroups under the sandboxes: detection, the limits they add (pids, memory, the tree's CPU
// time), the tree kill, removal, the sweep of a dead engine's cgroups, the orphan reaper.
// Run as root and as an ordinary user: a test whose limit this host does not give skips,
// saying why, and unenforcedIsHonest checks the sandbox says so too.
#include "support/ProcessScan.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/sandbox/CgroupFiles.h"
#include "engine/sandbox/CgroupHost.h"
#include "engine/sandbox/OrphanReaper.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/sandbox/SandboxCgroup.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/sandbox/SystemdScope.h"

using namespace clade::engine;
namespace fs = std::filesystem;

using namespace testsupport;

namespace {

const char* const kPython = "/usr/bin/python3";

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Our children, zombies included: none may be left after a command.
std::vector<pid_t> childPids()
{
    std::vector<pid_t> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/proc", error)) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const std::string stat = readFile(entry.path() / "stat");
        const size_t close = stat.rfind(')');
        if (close != std::string::npos && close + 4 < stat.size() &&
            std::atoi(stat.c_str() + close + 4) == ::getpid())
            found.push_back(std::stoi(name));
    }
    return found;
}

// A pid that no process has now.
pid_t deadPid()
{
    const pid_t pid = ::fork();
    if (pid == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

// Forks a child that enters `fds`' cgroups (as ProcessRunner's does) and execs argv.
pid_t startIn(const std::vector<int>& fds, const std::vector<std::string>& args)
{
    std::vector<char*> argv;
    for (const auto& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        for (const int fd : fds)
            if (::write(fd, "0", 1) != 1)
                ::_exit(126);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& line : lines)
        text += (text.empty() ? "" : "; ") + line;
    return text;
}

bool hasLineStarting(const std::vector<std::string>& lines, const std::string& prefix)
{
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.rfind(prefix, 0) == 0; });
}

SandboxSpec python(const std::string& code)
{
    SandboxSpec spec;
    spec.argv = {kPython, "-c", code};
    spec.limits.wallSeconds = 20;
    return spec;
}

} // namespace

class TestCgroups : public QObject {
    Q_OBJECT

private:
    static CgroupHost& host() { return CgroupHost::instance(); }

    static void addBackends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("bwrap") << QStringLiteral("bwrap");
        QTest::newRow("unsafe-rlimits") << QStringLiteral("unsafe-rlimits");
    }

    std::unique_ptr<Sandbox> sandboxForRow()
    {
        QFETCH(QString, backend);
        if (backend == QLatin1String("bwrap") && ::access("/usr/bin/bwrap", X_OK) != 0)
            return nullptr;
        return makeSandbox(backend.toStdString());
    }

    static std::string why() { return "no such cgroup limit here: " + joined(host().notes()); }

private Q_SLOTS:
    void initTestCase()
    {
        // As the engine does at start.
        QVERIFY(becomeChildSubreaper());
        QVERIFY(isChildSubreaper());
        sweepStaleSandboxState();
        for (const auto& note : sandboxCgroupNotes())
            qInfo("%s", note.c_str());
    }

    void cleanup()
    {
        const auto live = liveSandboxCgroups();
        QVERIFY2(live.empty(), live.empty() ? "" : live.front().c_str());
        const auto left = childPids();
        QVERIFY2(left.empty(), left.empty() ? "" : std::to_string(left.front()).c_str());
    }

    void detection()
    {
        const std::string mounts = readFile("/proc/self/mountinfo");
        const bool anyMounted = mounts.find(" - cgroup") != std::string::npos;
        if (!host().available()) {
            // Root always gets at least a cgroup to kill the tree through.
            QVERIFY2(::geteuid() != 0 || !anyMounted || qEnvironmentVariableIsSet("CLADE_SANDBOX_CGROUPS"),
                     joined(host().notes()).c_str());
            QSKIP(("no usable cgroup: " + joined(host().notes())).c_str());
        }
        const std::string own = readFile("/proc/self/cgroup");
        const std::string suffix = "/clade/" + std::to_string(::getpid());
        for (const auto& h : host().hierarchies()) {
            QVERIFY2(fs::is_directory(h.engineDir), h.engineDir.c_str());
            QVERIFY(h.engineDir.size() > suffix.size() &&
                    h.engineDir.compare(h.engineDir.size() - suffix.size(), suffix.size(),
                                        suffix) == 0);
            QVERIFY2(own.find(h.procKey + ":") != std::string::npos, h.procKey.c_str());
            QVERIFY(h.version == 1 || h.version == 2);
        }
        const auto& roles = host().roles();
        QVERIFY(roles.kill >= 0);
        // cgroup.kill where v2 is usable: it is atomic, a kill loop is not.
        for (const auto& h : host().hierarchies())
            if (h.version == 2)
                QCOMPARE(host().hierarchies()[static_cast<size_t>(roles.kill)].version, 2);
        QVERIFY(host().summary() != "none");
    }

    void unenforcedIsHonest()
    {
        if (::access("/usr/bin/bwrap", X_OK) != 0)
            QSKIP("bubblewrap is not installed");
        const auto missing = makeSandbox("bwrap")->unenforcedLimits();
        const bool scope = !host().available() && SystemdScope::instance().available();
        const SystemdScope& s = SystemdScope::instance();
        QCOMPARE(hasLineStarting(missing, "memory:"),
                 !(host().limitsMemory() || (scope && s.limitsMemory())));
        QCOMPARE(hasLineStarting(missing, "pids:"),
                 !(host().limitsPids() || (scope && s.limitsPids())));
        QCOMPARE(hasLineStarting(missing, "cpu:"),
                 !(host().measuresCpu() || (scope && s.watchesTree())));
        const auto unsafe = makeSandbox("unsafe-rlimits")->unenforcedLimits();
        QCOMPARE(hasLineStarting(unsafe, "memory:"), !host().limitsMemory());
        QCOMPARE(hasLineStarting(unsafe, "pids:"), !host().limitsPids());
        QCOMPARE(hasLineStarting(unsafe, "process tree:"),
                 !host().available() && !(sandboxSwitchesUser() && isChildSubreaper()));
        // Disk is held on every path of bwrap (a tmpfs or the watchdog), never by rlimits.
        QVERIFY(!hasLineStarting(missing, "disk:"));
        QVERIFY(hasLineStarting(unsafe, "disk:"));
        qInfo("bwrap: %s", missing.empty() ? "every limit enforced" : joined(missing).c_str());
        if (scope)
            qInfo("%s", s.note().c_str());
        else if (!host().available())
            qInfo("no systemd-run fallback: %s", s.note().c_str());
    }

    void forkBomb_data() { addBackends(); }
    void forkBomb()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        if (!host().limitsPids())
            QSKIP(why().c_str());
        // RLIMIT_NPROC is a safety net for this machine should the cgroup fail.
        SandboxSpec spec = python("# " + tagged("clade-forkbomb") +
                                  "\nimport os, resource, time\n"
                                  "resource.setrlimit(resource.RLIMIT_NPROC, (400, 400))\n"
                                  "while True:\n"
                                  "    try: os.fork()\n"
                                  "    except OSError: time.sleep(0.001)\n");
        spec.limits.pids = 32;
        const SandboxResult r = sandbox->run(spec);
        QCOMPARE(r.limit, LimitHit::Pids);
        QCOMPARE(r.describe(), std::string("killed: process limit 32"));
        QCOMPARE(countProcesses(tagged("clade-forkbomb")), 0);
    }

    void memoryBomb_data() { addBackends(); }
    void memoryBomb()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        if (!host().limitsMemory())
            QSKIP(why().c_str());
        SandboxSpec spec = python("# " + tagged("clade-membomb") +
                                  "\nchunks = []\n"
                                  "while True: chunks.append(bytearray(4 << 20))\n");
        spec.limits.memoryMb = 128;
        const SandboxResult r = sandbox->run(spec);
        QCOMPARE(r.limit, LimitHit::Memory);
        QCOMPARE(r.signal, 9);
        QCOMPARE(r.describe(), std::string("killed: memory limit 128 MB"));
        // The peak is the tree's, and the cgroup never lets it past the limit.
        const std::string peak = std::to_string(r.peakMemoryKb);
        QVERIFY2(r.peakMemoryKb >= 110 * 1024 && r.peakMemoryKb <= 128 * 1024, peak.c_str());
        QCOMPARE(countProcesses(tagged("clade-membomb")), 0);
    }

    void cpuSpinTree_data() { addBackends(); }
    void cpuSpinTree()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        if (!host().measuresCpu())
            QSKIP(why().c_str());
        // Four spinning processes: RLIMIT_CPU alone would let them use 4 s between them.
        SandboxSpec spec = python("# " + tagged("clade-spin") +
                                  "\nimport os\n"
                                  "for i in range(3):\n"
                                  "    if os.fork() == 0: break\n"
                                  "while True: pass\n");
        spec.limits.cpuSeconds = 1;
        const SandboxResult r = sandbox->run(spec);
        QCOMPARE(r.limit, LimitHit::Cpu);
        QCOMPARE(r.describe(), std::string("killed: CPU time limit 1 s"));
        const std::string cpu = std::to_string(r.cpuSeconds);
        QVERIFY2(r.cpuSeconds >= 1.0 && r.cpuSeconds < 1.6, cpu.c_str());
        QCOMPARE(countProcesses(tagged("clade-spin")), 0);
    }

    void treeKillLeavesNothing_data()
    {
        addBackends();
    }
    void treeKillLeavesNothing()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        QFETCH(QString, backend);
        if (backend == QLatin1String("unsafe-rlimits") && !host().available() &&
            !sandboxSwitchesUser())
            QSKIP("without a cgroup, and not root, a daemon escapes the unsafe backend (it says so)");
        // A double-forked daemon in a session of its own, then the leader waits (killed at
        // the wall-clock limit) or exits at once (its leftovers are killed with it).
        const std::string code = "import os, sys, time\n"
                                 "if os.fork() == 0:\n"
                                 "    os.setsid()\n"
                                 "    if os.fork() == 0:\n"
                                 "        os.execv('/bin/sleep', ['/bin/sleep', '" +
                                 tagged("4721") +
                                 "'])\n"
                                 "    os._exit(0)\n"
                                 "time.sleep(0.3)\n"
                                 "print('started', flush=True)\n"
                                 "if sys.argv[1] == 'wait': time.sleep(60)\n";
        for (const char* mode : {"wait", "exit"}) {
            SandboxSpec spec = python(code);
            spec.argv.push_back(mode);
            spec.limits.wallSeconds = 1.5;
            const SandboxResult r = sandbox->run(spec);
            QCOMPARE(r.stdoutText, std::string("started\n"));
            QCOMPARE(r.limit, std::string(mode) == "wait" ? LimitHit::Wall : LimitHit::None);
            QCOMPARE(countProcesses("sleep " + tagged("4721")), 0);
            QVERIFY(liveSandboxCgroups().empty());
            QVERIFY(childPids().empty()); // the daemon came back to us (subreaper) and was reaped
        }
    }

    void staleSweep()
    {
        if (!host().available())
            QSKIP(("no usable cgroup: " + joined(host().notes())).c_str());
        // A dead engine's cgroup with a process still in it, and a live one's.
        const pid_t dead = deadPid();
        QVERIFY(!cgroupfs::processExists(dead));
        const pid_t alive = ::fork();
        if (alive == 0) {
            ::pause();
            ::_exit(0);
        }
        // On every exit, a failed check included: a paused child left behind keeps the
        // test's output pipe open and ctest waits for it until its timeout.
        const auto reapAlive = qScopeGuard([alive] {
            ::kill(alive, SIGKILL);
            ::waitpid(alive, nullptr, 0);
        });
        std::vector<int> fds;
        std::vector<std::string> staleDirs, liveDirs;
        for (const auto& h : host().hierarchies()) {
            const std::string top = h.base + "/" + host().name();
            const std::string stale = top + "/" + std::to_string(dead);
            QVERIFY(::mkdir(stale.c_str(), 0755) == 0 && ::mkdir((stale + "/3").c_str(), 0755) == 0);
            staleDirs.push_back(stale);
            fds.push_back(::open((stale + "/3/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
            QVERIFY(fds.back() >= 0);
            liveDirs.push_back(top + "/" + std::to_string(alive));
            QVERIFY(::mkdir(liveDirs.back().c_str(), 0755) == 0);
        }
        const pid_t leftover = startIn(fds, {"/bin/sleep", tagged("4722")});
        for (int fd : fds)
            ::close(fd);
        QTRY_COMPARE(countProcesses("sleep " + tagged("4722")), 1);

        // At least ours: a test running in parallel may leave stale state of its own (a
        // stand-in engine it killed), which this sweep rightly takes too.
        QVERIFY(sweepStaleSandboxState() >= 1);
        int status = 0;
        QCOMPARE(::waitpid(leftover, &status, 0), leftover);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        for (const auto& dir : staleDirs)
            QVERIFY2(!fs::exists(dir), dir.c_str());
        for (const auto& dir : liveDirs) {
            QVERIFY2(fs::exists(dir), dir.c_str());
            ::rmdir(dir.c_str());
        }
    }

    // The v1 paths on their own (cpuacct, the kill loop, v1 orphans), whatever the host
    // also has.
    void v1Only()
    {
        CgroupHost v1(CgroupHost::Options{CgroupHost::Mode::V1Only, "clade-tst-v1"});
        if (!v1.available())
            QSKIP(("no cgroup v1 hierarchy usable: " + joined(v1.notes())).c_str());
        SandboxLimits limits;
        limits.cpuSeconds = 0.5;
        limits.pids = 16;
        limits.memoryMb = 64;
        SandboxCgroup cgroup(v1, limits, 0);
        QVERIFY2(cgroup.error().empty(), cgroup.error().c_str());
        const pid_t child = startIn(cgroup.procsFds(),
                                    {kPython, "-c",
                                     "import os\nos.fork()\nwhile True: pass\n# " +
                                         tagged("clade-v1spin")});
        cgroup.closeProcsFds();
        if (v1.measuresCpu())
            QTRY_COMPARE_WITH_TIMEOUT(cgroup.check(), LimitHit::Cpu, 5000);
        cgroup.kill();
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        cgroup.finish();
        if (v1.measuresCpu())
            QVERIFY2(cgroup.cpuSeconds() >= 0.5, std::to_string(cgroup.cpuSeconds()).c_str());
        QVERIFY(v1.liveSandboxCgroups().empty());
        // The forked spinner was re-parented to us; v1 shows an exiting task in the root
        // cgroup, so the kill loop's list identifies it.
        QTRY_VERIFY(haveZombieChild());
        reapSandboxOrphans(cgroup.pidsSeen());
        QCOMPARE(countProcesses(tagged("clade-v1spin")), 0);
    }

    // An engine alone in a cgroup it may write moves itself to a leaf of its own and
    // puts the sandboxes beside it (a `systemd-run --user -p Delegate=yes` start).
    void delegatedV2()
    {
        const std::string mount = CgroupHost::v2Mount();
        if (mount.empty() || ::geteuid() != 0)
            QSKIP("needs root and a cgroup v2 hierarchy to make a delegated cgroup");
        const std::string own = readFile("/proc/self/cgroup");
        const size_t at = own.find("0::");
        QVERIFY(at != std::string::npos);
        const std::string path = own.substr(at + 3, own.find('\n', at) - at - 3);
        const std::string original = path == "/" ? mount : mount + path;
        const std::string delegated = original + "/clade-tst-deleg-" + std::to_string(::getpid());
        QVERIFY(::mkdir(delegated.c_str(), 0755) == 0);
        QVERIFY(cgroupfs::writeText(delegated + "/cgroup.procs", "0"));
        {
            CgroupHost v2(CgroupHost::Options{CgroupHost::Mode::V2Only, "clade-tst"});
            QVERIFY2(v2.available(), joined(v2.notes()).c_str());
            QCOMPARE(v2.hierarchies().front().base, delegated);
            const std::string self = readFile("/proc/self/cgroup");
            QVERIFY2(self.find("/clade-tst-deleg-" + std::to_string(::getpid()) + "/clade-tst/" +
                               std::to_string(::getpid()) + "/engine\n") != std::string::npos,
                     self.c_str());
            SandboxCgroup cgroup(v2, SandboxLimits{}, 0);
            QVERIFY2(cgroup.error().empty(), cgroup.error().c_str());
            const pid_t child = startIn(cgroup.procsFds(), {"/bin/sleep", "30"});
            cgroup.closeProcsFds();
            QTRY_VERIFY(v2.inSandboxCgroup(child));
            QVERIFY(!v2.inSandboxCgroup(::getpid()));
            cgroup.finish();
            int status = 0;
            QCOMPARE(::waitpid(child, &status, 0), child);
            QVERIFY(WIFSIGNALED(status));
            QVERIFY(v2.liveSandboxCgroups().empty());
            QVERIFY(cgroupfs::writeText(original + "/cgroup.procs", "0"));
        }
        QVERIFY(cgroupfs::removeCgroupTree(delegated));
    }
};

QTEST_GUILESS_MAIN(TestCgroups)
#include "tst_cgroups.moc"
