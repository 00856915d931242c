#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/sandbox/CgroupHost.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/sandbox/SandboxHost.h"
#include "support/ProcessScan.h"

using namespace clade::engine;
namespace fs = std::filesystem;

using namespace testsupport;

namespace {

const char* const kPython = "/usr/bin/python3";
const char* const kSecret = "sk-test-secret";

bool haveBwrap()
{
    return ::access("/usr/bin/bwrap", X_OK) == 0;
}

SandboxSpec python(const std::string& code)
{
    SandboxSpec spec;
    spec.argv = {kPython, "-c", code};
    spec.limits.wallSeconds = 30;
    return spec;
}

SandboxSpec shell(const std::string& script)
{
    SandboxSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.limits.wallSeconds = 30;
    return spec;
}

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeFile(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// A folder the sandbox user can reach (QTemporaryDir makes 0700 folders) under /tmp,
// never under /root.
struct Workspace {
    QTemporaryDir dir{QStringLiteral("/tmp/clade-tst-sandbox-XXXXXX")};
    fs::path root() const { return dir.path().toStdString(); }

    Workspace() { fs::permissions(root(), fs::perms(0755)); }

    fs::path folder(const std::string& name, bool sandboxWritable)
    {
        const fs::path path = root() / name;
        fs::create_directory(path);
        fs::permissions(path, fs::perms(0755));
        if (sandboxWritable && ::geteuid() == 0 &&
            ::chown(path.c_str(), sandboxUid(), sandboxGid()) != 0)
            qWarning("cannot chown %s", path.c_str());
        return path;
    }
};

} // namespace

class TestSandbox : public QObject {
    Q_OBJECT

private:
    // The backend of the current data row, or nullptr (after QSKIP) without bubblewrap.
    std::unique_ptr<Sandbox> sandboxForRow()
    {
        QFETCH(QString, backend);
        if (backend == QLatin1String("bwrap") && !haveBwrap())
            return nullptr;
        return makeSandbox(backend.toStdString());
    }

    static void addBackends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("bwrap") << QStringLiteral("bwrap");
        QTest::newRow("unsafe-rlimits") << QStringLiteral("unsafe-rlimits");
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The engine's environment holds API keys; none may reach sandboxed code.
        qputenv("OPENAI_API_KEY", kSecret);
        for (const auto& note : sandboxCgroupNotes())
            qInfo("%s", note.c_str());
    }

    // Whatever a test did, its commands' cgroups are gone when run() returns.
    void cleanup()
    {
        const auto live = liveSandboxCgroups();
        QVERIFY2(live.empty(), live.empty() ? "" : live.front().c_str());
    }

    void describesResults()
    {
        SandboxResult r;
        QVERIFY(!r.succeeded());
        r.launchError = "no such file";
        QCOMPARE(r.describe(), std::string("not launched: no such file"));
        r.launched = true;
        r.exitCode = 0;
        QVERIFY(r.succeeded());
        QCOMPARE(r.describe(), std::string("exit 0"));
        r.exitCode = -1;
        r.signal = 9;
        QVERIFY(!r.succeeded());
        QCOMPARE(r.describe(), std::string("signal 9"));
        r.limits.wallSeconds = 2;
        r.limit = LimitHit::Wall;
        QCOMPARE(r.describe(), std::string("killed: wall-clock limit 2 s"));
        r.limits.cpuSeconds = 1.5;
        r.limit = LimitHit::Cpu;
        QCOMPARE(r.describe(), std::string("killed: CPU time limit 1.5 s"));
        r.limits.memoryMb = 256;
        r.limit = LimitHit::Memory;
        QCOMPARE(r.describe(), std::string("killed: memory limit 256 MB"));
        r.limits.pids = 32;
        r.limit = LimitHit::Pids;
        QCOMPARE(r.describe(), std::string("killed: process limit 32"));
        r.limit = LimitHit::Disk;
        r.diskLimit = "disk limit 16 MB in /output";
        QCOMPARE(r.describe(), std::string("killed: disk limit 16 MB in /output"));
        r.signal = 0; // ended by itself, found over the limit after
        r.exitCode = 0;
        QVERIFY(!r.succeeded());
        QCOMPARE(r.describe(), std::string("exit 0, over disk limit 16 MB in /output"));
        r.limit = LimitHit::Cancelled;
        QCOMPARE(r.describe(), std::string("cancelled"));
    }

    void unknownBackendThrows()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeSandbox("docker"));
        auto rlimits = makeSandbox("unsafe-rlimits");
        QCOMPARE(rlimits->name(), std::string("unsafe-rlimits"));
        QVERIFY(!rlimits->unenforcedLimits().empty());
        if (haveBwrap())
            QCOMPARE(makeSandbox("bwrap")->name(), std::string("bwrap"));
    }

    void printsAndExits_data() { addBackends(); }
    void printsAndExits()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        const SandboxResult r = sandbox->run(python("print(1)"));
        QVERIFY2(r.succeeded(), (r.describe() + "\n" + r.stderrText).c_str());
        QCOMPARE(r.stdoutText, std::string("1\n"));
        QCOMPARE(r.stdoutBytes, 2LL);
        QCOMPARE(r.describe(), std::string("exit 0"));
        QVERIFY(r.wallSeconds > 0);
    }

    void propagatesExitCode_data() { addBackends(); }
    void propagatesExitCode()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        const SandboxResult r = sandbox->run(python("import sys; sys.exit(3)"));
        QVERIFY(r.launched);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.signal, 0);
        QVERIFY(!r.succeeded());
        QCOMPARE(r.describe(), std::string("exit 3"));
    }

    void reportsSignal_data() { addBackends(); }
    void reportsSignal()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        const SandboxResult r =
            sandbox->run(python("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"));
        QVERIFY(r.launched);
        QCOMPARE(r.signal, 11);
        QCOMPARE(r.limit, LimitHit::None);
        QCOMPARE(r.describe(), std::string("signal 11"));
    }

    void separatesStreams_data() { addBackends(); }
    void separatesStreams()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        const SandboxResult r =
            sandbox->run(python("import sys; print('out'); print('err', file=sys.stderr)"));
        QVERIFY(r.succeeded());
        QCOMPARE(r.stdoutText, std::string("out\n"));
        QCOMPARE(r.stderrText, std::string("err\n"));
    }

    void outputCapKills_data() { addBackends(); }
    void outputCapKills()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        SandboxSpec spec = python("# " + tagged("clade-output-marker") + "\nwhile True: print('x' * 1000)");
        spec.limits.outputBytes = 64 * 1024;
        const SandboxResult r = sandbox->run(spec);
        QCOMPARE(r.limit, LimitHit::Output);
        QVERIFY(!r.succeeded());
        QCOMPARE(r.stdoutText.size(), size_t(64 * 1024));
        QVERIFY(r.stdoutBytes > 64 * 1024);
        QCOMPARE(r.describe(), std::string("killed: output limit 65536 bytes per stream"));
        QCOMPARE(countProcesses(tagged("clade-output-marker")), 0);
    }

    void wallClockLimit_data() { addBackends(); }
    void wallClockLimit()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        SandboxSpec spec = shell("sleep " + tagged("4711"));
        spec.limits.wallSeconds = 1;
        const SandboxResult r = sandbox->run(spec);
        QCOMPARE(r.limit, LimitHit::Wall);
        // Never early; how late on a loaded machine is bench_sandbox_launch's business.
        QVERIFY2(r.wallSeconds >= 0.95, std::to_string(r.wallSeconds).c_str());
        QCOMPARE(r.describe(), std::string("killed: wall-clock limit 1 s"));
        QCOMPARE(countProcesses("sleep " + tagged("4711")), 0);
    }

    // The engine killed with SIGKILL while a sandbox starts: bwrap binds its init to its own
    // life only late in its setup, so that init can outlive bwrap, and the reaper inherits
    // it. The reaper must take every such process down with it. Modelled by a grandchild
    // in a session of its own: like that init, no parent-death signal, outside the
    // command's process group.
    void reaperTakesItsTreeWhenTheEngineDies()
    {
        // The durations go in as arguments, so that only the sleeps' command lines read so.
        const std::string escaped = "sleep " + tagged("4741");
        const std::string command = "sleep " + tagged("4742");
        struct Sweep {
            std::vector<std::string> needles;
            ~Sweep()
            {
                for (const auto& needle : needles)
                    for (pid_t pid : processesMentioning(needle))
                        ::kill(pid, SIGKILL);
            }
        } sweep{{escaped, command}};
        QProcess engine;
        engine.start(REAPER_STAND_IN, {"/bin/sh", "-c", "setsid sleep \"$0\" & exec sleep \"$1\"",
                                       QString::fromStdString(tagged("4741")),
                                       QString::fromStdString(tagged("4742"))});
        QVERIFY(engine.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(countProcesses(escaped) == 1 && countProcesses(command) == 1, 10000);
        ::kill(static_cast<pid_t>(engine.processId()), SIGKILL);
        QVERIFY(engine.waitForFinished(5000));
        const bool gone = QTest::qWaitFor(
            [&] { return countProcesses(escaped) + countProcesses(command) == 0; }, 5000);
        QVERIFY2(gone, describeProcesses(processesMentioning(escaped)).c_str());
    }

    void cpuLimit_data() { addBackends(); }
    void cpuLimit()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        SandboxSpec spec = python("while True: pass");
        spec.limits.cpuSeconds = 1;
        spec.limits.wallSeconds = 20;
        const SandboxResult r = sandbox->run(spec);
        QCOMPARE(r.limit, LimitHit::Cpu);
        // rusage can read a little under the time RLIMIT_CPU counts, more so under load;
        // well above zero shows the command's time is counted, not only bwrap's.
        QVERIFY2(r.cpuSeconds >= 0.5, std::to_string(r.cpuSeconds).c_str());
        QCOMPARE(r.describe(), std::string("killed: CPU time limit 1 s"));

        // A command that ignores SIGXCPU: the cgroup's CPU count kills it at the limit;
        // without one, RLIMIT_CPU's SIGKILL at the hard limit a second later. Neither comes
        // early; how soon after is a timing, not checked here (the wall limit ends a hang).
        spec = python("import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\n"
                      "while True: pass");
        spec.limits.cpuSeconds = 1;
        spec.limits.wallSeconds = 20;
        const SandboxResult stubborn = sandbox->run(spec);
        QCOMPARE(stubborn.limit, LimitHit::Cpu);
        QCOMPARE(stubborn.signal, 9);
        const std::string cpu = std::to_string(stubborn.cpuSeconds);
        if (CgroupHost::instance().measuresCpu())
            QVERIFY2(stubborn.cpuSeconds >= 0.95, cpu.c_str());
        else
            QVERIFY2(stubborn.cpuSeconds >= 1.5, cpu.c_str());
    }

    void memoryLimit_data() { addBackends(); }
    void memoryLimit()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        SandboxSpec spec = python("x = bytearray(600 * 1024 * 1024); print('allocated')");
        spec.limits.memoryMb = 256;
        const SandboxResult r = sandbox->run(spec);
        QVERIFY(r.launched);
        QVERIFY(!r.succeeded());
        if (CgroupHost::instance().limitsMemory()) { // the cgroup's OOM killer
            QCOMPARE(r.limit, LimitHit::Memory);
            QCOMPARE(r.signal, 9);
            QCOMPARE(r.describe(), std::string("killed: memory limit 256 MB"));
        } else { // RLIMIT_AS: the allocation fails
            QCOMPARE(r.limit, LimitHit::None);
            QVERIFY2(r.stderrText.find("MemoryError") != std::string::npos, r.stderrText.c_str());
        }
        // The peak counts the command itself, not only bwrap above it.
        spec.limits.memoryMb = 1024;
        const SandboxResult fits = sandbox->run(spec);
        QVERIFY(fits.succeeded());
        QVERIFY2(fits.peakMemoryKb >= 600 * 1024, std::to_string(fits.peakMemoryKb).c_str());
    }

    void cancelFlag_data() { addBackends(); }
    void cancelFlag()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        QTemporaryDir dir;
        SandboxSpec spec = shell("echo started; sleep " + tagged("4712"));
        spec.liveOutput = fs::path(dir.path().toStdString()) / "cancel.log";
        std::atomic<bool> cancel{false};
        SandboxResult r;
        std::thread runner([&] { r = sandbox->run(spec, &cancel); });
        auto joinRunner = qScopeGuard([&] {
            cancel = true;
            runner.join();
        });
        // Cancel once the command surely runs, not after a guessed delay.
        QTRY_VERIFY_WITH_TIMEOUT(readFile(spec.liveOutput).find("started") != std::string::npos, 10000);
        cancel = true;
        runner.join();
        joinRunner.dismiss();
        // The sleep would last 4712 s: only the cancel flag can have ended it.
        QCOMPARE(r.limit, LimitHit::Cancelled);
        QCOMPARE(r.describe(), std::string("cancelled"));
        QCOMPARE(countProcesses("sleep " + tagged("4712")), 0);
    }

    // Output reaches the live file while the command still runs (the explorer follows it),
    // and the command cannot reach the file itself (it is not in the sandbox).
    void liveOutputStreams_data() { addBackends(); }
    void liveOutputStreams()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        QTemporaryDir dir;
        const fs::path live = fs::path(dir.path().toStdString()) / "solve.log";
        // The command sleeps after printing; the test ends it with the cancel flag.
        SandboxSpec spec = shell("echo first line; echo to-stderr >&2; sleep " + tagged("4713") +
                                 "; echo never");
        spec.liveOutput = live;
        std::atomic<bool> cancel{false};
        SandboxResult r;
        std::atomic<bool> finished{false};
        std::thread runner([&] {
            r = sandbox->run(spec, &cancel);
            finished = true;
        });
        // Both streams arrive while the command is still sleeping.
        QTRY_VERIFY_WITH_TIMEOUT(readFile(live).find("to-stderr") != std::string::npos, 10000);
        QVERIFY(readFile(live).find("first line") != std::string::npos);
        QVERIFY(!finished);
        cancel = true;
        runner.join();
        QCOMPARE(r.limit, LimitHit::Cancelled);
        QVERIFY(readFile(live).find("never") == std::string::npos);
        QCOMPARE(r.stdoutText, std::string("first line\n")); // the result keeps its own copy
    }

    void backgroundChildDies_data() { addBackends(); }
    void backgroundChildDies()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        const SandboxResult r = sandbox->run(shell("sleep " + tagged("4713") + " & echo started"));
        QVERIFY2(r.succeeded(), r.describe().c_str());
        QCOMPARE(r.stdoutText, std::string("started\n"));
        // Not held by the background sleep (4713 s): that would end on the wall limit.
        QCOMPARE(r.limit, LimitHit::None);
        QCOMPARE(countProcesses("sleep " + tagged("4713")), 0);
    }

    void refusesBadCommands_data() { addBackends(); }
    void refusesBadCommands()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        SandboxResult r = sandbox->run(shell("true"));
        QVERIFY(r.succeeded());

        SandboxSpec missing;
        missing.argv = {"/nonexistent/tool"};
        r = sandbox->run(missing);
        QVERIFY(!r.launched);
        QVERIFY2(r.launchError.find("/nonexistent/tool") != std::string::npos,
                 r.launchError.c_str());
        QVERIFY(r.describe().rfind("not launched: ", 0) == 0);

        SandboxSpec relative = python("print(1)");
        relative.argv.front() = "python3";
        QVERIFY(!sandbox->run(relative).launched);

        SandboxSpec badMount = python("print(1)");
        badMount.mounts = {{"/nonexistent/folder", "/agent", false}};
        r = sandbox->run(badMount);
        QVERIFY(!r.launched);
        QVERIFY2(r.launchError.find("/nonexistent/folder") != std::string::npos,
                 r.launchError.c_str());
    }

    void runsConcurrently_data() { addBackends(); }
    void runsConcurrently()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        constexpr int kThreads = 4;
        std::string outputs[kThreads];
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i)
            threads.emplace_back([&, i] {
                outputs[i] = sandbox->run(python("print(" + std::to_string(i) + ")")).stdoutText;
            });
        for (auto& thread : threads)
            thread.join();
        for (int i = 0; i < kThreads; ++i)
            QCOMPARE(outputs[i], std::to_string(i) + "\n");
    }

    void cleanEnvironment_data() { addBackends(); }
    void cleanEnvironment()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        QFETCH(QString, backend);
        SandboxSpec spec = python("import os\n"
                                  "print(sorted(os.environ.items()))\n"
                                  "print(open('/proc/self/environ').read())\n"
                                  "try: print('init:', open('/proc/1/environ').read())\n"
                                  "except OSError as e: print('init unreadable', e)\n");
        spec.env = {{"CLADE_TASKS", "a,b"}, {"HOME", "/work"}};
        const SandboxResult r = sandbox->run(spec);
        QVERIFY2(r.succeeded(), r.stderrText.c_str());
        QVERIFY(r.stdoutText.find(kSecret) == std::string::npos);
        QVERIFY(r.stdoutText.find("OPENAI_API_KEY") == std::string::npos);
        QVERIFY(r.stdoutText.find("('CLADE_TASKS', 'a,b')") != std::string::npos);
        QVERIFY(r.stdoutText.find("('HOME', '/work')") != std::string::npos);
        QVERIFY(r.stdoutText.find("('PATH', '/usr/bin:/bin')") != std::string::npos);
        if (backend == QLatin1String("bwrap")) // pid 1 is bwrap, started with PATH only
            QVERIFY2(r.stdoutText.find("init: PATH=/usr/bin:/bin") != std::string::npos,
                     r.stdoutText.c_str());
    }

    void unprivilegedUser_data() { addBackends(); }
    void unprivilegedUser()
    {
        auto sandbox = sandboxForRow();
        if (!sandbox)
            QSKIP("bubblewrap is not installed");
        const SandboxResult r =
            sandbox->run(python("import os\n"
                                "print(os.getuid(), os.getgid(), os.getgroups())\n"
                                "print([l for l in open('/proc/self/status') if "
                                "l.startswith('CapEff')][0].split()[1])"));
        QVERIFY2(r.succeeded(), r.stderrText.c_str());
        const std::string expected =
            std::to_string(sandboxUid()) + " " + std::to_string(sandboxGid());
        QVERIFY2(r.stdoutText.rfind(expected, 0) == 0, r.stdoutText.c_str());
        QVERIFY(sandboxUid() != 0 || ::geteuid() != 0);
        QVERIFY(r.stdoutText.rfind("0 ", 0) != 0);
        QVERIFY2(r.stdoutText.find("\n0000000000000000\n") != std::string::npos,
                 r.stdoutText.c_str());
    }

    void noNetwork()
    {
        if (!haveBwrap())
            QSKIP("bubblewrap is not installed");
        // A listener on the host's loopback: reachable from the host, never from inside.
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        QVERIFY(listener >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        QVERIFY(::bind(listener, reinterpret_cast<sockaddr*>(&address), length) == 0);
        QVERIFY(::listen(listener, 4) == 0);
        QVERIFY(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        const std::string probe = "import socket\n"
                                  "s = socket.socket(); s.settimeout(3)\n"
                                  "try:\n"
                                  "    s.connect(('127.0.0.1', " +
                                  std::to_string(ntohs(address.sin_port)) +
                                  "))\n"
                                  "    print('connected')\n"
                                  "except OSError as e:\n"
                                  "    print('refused', e)\n"
                                  "print(sorted(l.split(':')[0].strip() for l in "
                                  "open('/proc/net/dev').readlines()[2:]))\n";

        const SandboxResult inside = makeSandbox("bwrap")->run(python(probe));
        QVERIFY2(inside.succeeded(), inside.stderrText.c_str());
        QVERIFY2(inside.stdoutText.rfind("refused", 0) == 0, inside.stdoutText.c_str());
        QVERIFY2(inside.stdoutText.find("['lo']") != std::string::npos, inside.stdoutText.c_str());

        // The probe itself works: without namespaces the same code connects.
        const SandboxResult outside = makeSandbox("unsafe-rlimits")->run(python(probe));
        ::close(listener);
        QVERIFY2(outside.stdoutText.rfind("connected", 0) == 0, outside.stdoutText.c_str());
    }

    void readOnlyRootWritableMounts()
    {
        if (!haveBwrap())
            QSKIP("bubblewrap is not installed");
        Workspace ws;
        QVERIFY(ws.dir.isValid());
        const fs::path work = ws.folder("work", true);
        const fs::path harness = ws.folder("harness", false);
        writeFile(harness / "input.txt", "reference\n");
        fs::permissions(harness / "input.txt", fs::perms(0644));

        SandboxSpec spec = shell("for f in /usr/x /x /etc/x /proc/x /harness/y; do\n"
                                 "  (echo x > $f) 2>/dev/null && echo \"writable $f\"\n"
                                 "done\n"
                                 "echo data > /work/out.txt && echo rw-ok\n"
                                 "cat /harness/input.txt\n"
                                 "pwd\n");
        spec.mounts = {{work, "/work", true}, {harness, "/harness", false}};
        spec.workdir = "/work";
        const SandboxResult r = makeSandbox("bwrap")->run(spec);
        QVERIFY2(r.succeeded(), (r.describe() + r.stderrText).c_str());
        QCOMPARE(r.stdoutText, std::string("rw-ok\nreference\n/work\n"));
        QCOMPARE(readFile(work / "out.txt"), std::string("data\n"));
        QVERIFY(!fs::exists(harness / "y"));
    }

    // /tmp is the sandbox's own and limited: a tmpfs of tmpMb as root (ENOSPC), else a
    // folder the disk watchdog holds to it (killed).
    void privateTmp()
    {
        if (!haveBwrap())
            QSKIP("bubblewrap is not installed");
        const std::string name = "clade-private-" + std::to_string(::getpid());
        SandboxSpec spec = python("import os\n"
                                  "st = os.statvfs('/tmp')\n"
                                  "print('tmpfs' if st.f_blocks * st.f_frsize == 1 << 20 else "
                                  "'folder')\n"
                                  "open('/tmp/" + name +
                                  "', 'w').write('x'); print('ok', flush=True)\n"
                                  "try:\n"
                                  "    open('/tmp/big', 'wb').write(bytes(4 << 20)); print('big')\n"
                                  "except OSError as e:\n"
                                  "    print('full')\n");
        spec.limits.tmpMb = 1;
        const SandboxResult r = makeSandbox("bwrap")->run(spec);
        const bool tmpfs = r.stdoutText.rfind("tmpfs\n", 0) == 0;
        if (::geteuid() == 0 && qgetenv("CLADE_SCRATCH_TMPFS") != "off")
            QVERIFY2(tmpfs, r.stdoutText.c_str());
        if (tmpfs) {
            QVERIFY2(r.succeeded(), r.stderrText.c_str());
            QCOMPARE(r.stdoutText, std::string("tmpfs\nok\nfull\n"));
        } else {
            // Killed, or over the limit when it ended before a poll.
            QCOMPARE(r.limit, LimitHit::Disk);
            QCOMPARE(r.diskLimit, std::string("disk limit 1 MB in /tmp and /dev/shm"));
            QVERIFY2(r.stdoutText.rfind("folder\nok\n", 0) == 0, r.stdoutText.c_str());
        }
        QVERIFY(!fs::exists("/tmp/" + name));
    }

    // A writable mount that is a plain folder (on both user paths here) is polled: the
    // command is killed once it reaches scratchMb or scratchInodes, and a single file
    // cannot outgrow the largest quota (RLIMIT_FSIZE). `limit` is a pattern for describe().
    void diskWatchdog_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("limit");
        QTest::newRow("bytes") << "i = 0\n"
                                  "while True:\n"
                                  "    open(f'/work/m{i}', 'wb').write(bytes(1 << 20)); i += 1\n"
                               << "killed: disk limit 4 MB in /work";
        QTest::newRow("inodes") << "i = 0\n"
                                   "while True:\n"
                                   "    open(f'/work/f{i}', 'wb').close(); i += 1\n"
                                << "killed: inode limit 200 in /work";
        // May end on its own before a poll sees it: the check after the end still does.
        QTest::newRow("ends over the limit")
            << "open('/work/big', 'wb').write(bytes(5 << 20))\n"
            << "(killed: |exit 0, over )disk limit 4 MB in /work";
        QTest::newRow("within") << "import resource\n"
                                   "open('/work/small', 'wb').write(bytes(3 << 20))\n"
                                   "print(resource.getrlimit(resource.RLIMIT_FSIZE)[0] >> 20)\n"
                                << "exit 0";
    }
    void diskWatchdog()
    {
        QFETCH(QString, code);
        QFETCH(QString, limit);
        if (!haveBwrap())
            QSKIP("bubblewrap is not installed");
        Workspace ws;
        QVERIFY(ws.dir.isValid());
        const fs::path work = ws.folder("work", true);
        SandboxSpec spec = python(code.toStdString());
        spec.mounts = {{work, "/work", true}};
        spec.limits.scratchMb = 4;
        spec.limits.scratchInodes = 200;
        spec.limits.tmpMb = 8;
        const SandboxResult r = makeSandbox("bwrap")->run(spec);
        const QString described = QString::fromStdString(r.describe());
        QVERIFY2(QRegularExpression("^" + limit + "$").match(described).hasMatch(),
                 qPrintable(described));
        if (r.succeeded()) // RLIMIT_FSIZE: the largest quota, /tmp's 8 MB
            QCOMPARE(r.stdoutText, std::string("8\n"));
    }

    void unsafeBackendTranslatesPaths()
    {
        Workspace ws;
        QVERIFY(ws.dir.isValid());
        const fs::path work = ws.folder("work", true);
        const fs::path harness = ws.folder("harness", false);
        writeFile(harness / "main.py",
                  "import os, sys\nprint(os.getcwd(), sys.argv[1], os.environ['OUT'])\n"
                  "open(os.environ['OUT'] + '/result.txt', 'w').write('done')\n");
        fs::permissions(harness / "main.py", fs::perms(0644));
        SandboxSpec spec;
        spec.argv = {kPython, "/harness/main.py", "/work/sub"};
        spec.mounts = {{work, "/work", true}, {harness, "/harness", false}};
        spec.workdir = "/work";
        spec.env = {{"OUT", "/work"}};
        const SandboxResult r = makeSandbox("unsafe-rlimits")->run(spec);
        QVERIFY2(r.succeeded(), r.stderrText.c_str());
        QCOMPARE(r.stdoutText,
                 work.string() + " " + (work / "sub").string() + " " + work.string() + "\n");
        QCOMPARE(readFile(work / "result.txt"), std::string("done"));

        spec.workdir = "/elsewhere";
        QVERIFY(!makeSandbox("unsafe-rlimits")->run(spec).launched);
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
