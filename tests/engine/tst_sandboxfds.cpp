// The descriptors a sandboxed command starts with: stdin (/dev/null), stdout and stderr
// (the engine's pipes), and nothing else. Everything else the engine holds while it
// launches a command (the launch pipe, cgroup.procs files, the cgroup folder for
// CLONE_INTO_CGROUP, pidfds, the live log, the gateway's sockets, SQLite and git files of
// other workers) must stay out: a cgroup.procs descriptor would let the command move
// processes between cgroups, and any other one is a way out of the sandbox's view.
//
// The design passes no other descriptor on purpose: the model gateway is reached through
// a socket file mounted into the sandbox (CLADE_LLM_SOCKET names its path), not through
// an inherited descriptor.
#include "engine/sandbox/BwrapSandbox.h"
#include "engine/sandbox/RlimitSandbox.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/util/UniqueFd.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <map>
#include <memory>
#include <sstream>
#include <unistd.h>

using namespace clade::engine;

namespace {

const char* const kPython = "/usr/bin/python3";

// Prints "<fd> <what it is>" for each descriptor open in the command. The listing's own
// descriptor is closed by the time readlink runs, so it drops out.
const char* const kListFds = R"(import os
for name in sorted(os.listdir('/proc/self/fd'), key=int):
    try:
        print(name, os.readlink('/proc/self/fd/' + name))
    except OSError:
        pass
)";

bool haveBwrap()
{
    return ::access("/usr/bin/bwrap", X_OK) == 0;
}

// fd -> what /proc/self/fd/<fd> points at, from kListFds' output.
std::map<int, std::string> parseListing(const std::string& text)
{
    std::map<int, std::string> fds;
    std::istringstream lines(text);
    int fd = -1;
    std::string target;
    while (lines >> fd >> target)
        fds[fd] = target;
    return fds;
}

} // namespace

class TestSandboxFds : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        for (const auto& note : sandboxCgroupNotes())
            qInfo("%s", note.c_str());
    }

    void onlyStandardStreams_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<bool>("cgroups");
        // bwrap starts under ProcessRunner's reaper; unsafe-rlimits execs the command
        // directly. With cgroups the child is handed cgroup.procs files (and, under the
        // reaper, the v2 folder), which it must close before exec.
        QTest::newRow("bwrap") << QStringLiteral("bwrap") << true;
        QTest::newRow("bwrap, no cgroup") << QStringLiteral("bwrap") << false;
        QTest::newRow("unsafe-rlimits") << QStringLiteral("unsafe-rlimits") << true;
        QTest::newRow("unsafe-rlimits, no cgroup") << QStringLiteral("unsafe-rlimits") << false;
    }

    void onlyStandardStreams()
    {
        QFETCH(QString, backend);
        QFETCH(bool, cgroups);
        std::unique_ptr<Sandbox> sandbox;
        if (backend == QLatin1String("bwrap")) {
            if (!haveBwrap())
                QSKIP("bubblewrap is not installed");
            sandbox = std::make_unique<BwrapSandbox>("/usr/bin/bwrap", cgroups);
        } else {
            sandbox = std::make_unique<RlimitSandbox>(cgroups);
        }

        // A descriptor the engine left inheritable (no O_CLOEXEC), as a careless library
        // might: the child closes every descriptor it was not given on purpose.
        const UniqueFd careless(::open("/dev/null", O_RDONLY));
        QVERIFY(careless);

        // The live log is one more descriptor the engine holds while the command runs.
        QTemporaryDir logs;
        QVERIFY(logs.isValid());
        SandboxSpec spec;
        spec.argv = {kPython, "-c", kListFds};
        spec.limits.wallSeconds = 30;
        spec.liveOutput = logs.filePath(QStringLiteral("live.log")).toStdString();
        const SandboxResult r = sandbox->run(spec);
        QVERIFY2(r.succeeded(), (r.describe() + "\n" + r.stderrText).c_str());

        const auto fds = parseListing(r.stdoutText);
        const std::string listing = "open in the sandbox:\n" + r.stdoutText;
        std::vector<int> numbers;
        for (const auto& entry : fds)
            numbers.push_back(entry.first);
        QVERIFY2(numbers == (std::vector<int>{0, 1, 2}), listing.c_str());
        // stdin is /dev/null; stdout and stderr are two pipes to the engine.
        QCOMPARE(fds.at(0), std::string("/dev/null"));
        QVERIFY2(fds.at(1).rfind("pipe:[", 0) == 0, listing.c_str());
        QVERIFY2(fds.at(2).rfind("pipe:[", 0) == 0, listing.c_str());
        QVERIFY2(fds.at(1) != fds.at(2), listing.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSandboxFds)
#include "tst_sandboxfds.moc"
