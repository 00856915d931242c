// What a run's sandbox did not guarantee: recorded in the run when a session starts, read
// back by every reader (RunSnapshot for `clade status`, the explorer through RunData), and
// said in one set of words (engine::sandboxWarning()).
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/run/RunSummary.h"
#include "engine/run/SandboxSession.h"
#include "engine/run/SandboxWarning.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "support/GappySandbox.h"

#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

fs::path newRun(const QTemporaryDir& dir, const std::string& sandbox, int iterations = 1)
{
    RunSettings s;
    s.iterations = iterations;
    s.workers = 1;
    s.sandbox = sandbox;
    return createRun(fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack",
                     dir.filePath("run").toStdString(), s);
}

using testsupport::GappySandbox;

} // namespace

class TestSandboxWarning : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A run under unsafe-rlimits: the session the engine ran is in the run folder, for a
    // reader in another process.
    void unsafeRunRecordsItsSession()
    {
        QTemporaryDir dir;
        const fs::path run = newRun(dir, "unsafe-rlimits");
        QVERIFY(!RunSnapshot::read(run).sandboxSession); // nothing ran yet
        RunEngine(run).run();

        const RunSnapshot snapshot = RunSnapshot::read(run);
        QVERIFY(snapshot.sandboxSession);
        const SandboxSession& session = *snapshot.sandboxSession;
        QCOMPARE(session.backend, std::string("unsafe-rlimits"));
        QCOMPARE(session.unenforced, makeSandbox("unsafe-rlimits")->unenforcedLimits());
        QVERIFY(!session.unenforced.empty()); // at least network and filesystem
        QCOMPARE(session.host, QSysInfo::machineHostName().toStdString());
        QVERIFY(session.startedAt > 0);

        const SandboxWarning warning = snapshot.sandboxWarning();
        QVERIFY(warning.unsafe);
        QVERIFY(warning.any());
        QCOMPARE(warning.tag, std::string("UNSAFE: no isolation"));
        QCOMPARE(warning.unenforced, session.unenforced);
        QVERIFY2(warning.headline.find("not isolated") != std::string::npos, warning.headline.c_str());
        QVERIFY2(warning.headline.find("network") != std::string::npos, warning.headline.c_str());

        const auto status = snapshot.statusJson();
        QCOMPARE(status["sandbox_unsafe"].get<bool>(), true);
        QCOMPARE(status["sandbox_unenforced"].get<std::vector<std::string>>(), session.unenforced);
        QCOMPARE(status["sandbox_warning"].get<std::string>(), warning.headline);
    }

    // The record round-trips through the store; the latest session replaces the one before
    // (a run resumed on another host has that host's gaps).
    void latestSessionIsRead()
    {
        QTemporaryDir dir;
        const fs::path run = newRun(dir, "bwrap");
        RunStore store(RunFolder{run}.database());
        QVERIFY(!readSandboxSession(store));
        const SandboxSession first = recordSandboxSession(store, GappySandbox());
        QCOMPARE(readSandboxSession(store), std::optional(first));
        QCOMPARE(first.unenforced.size(), std::size_t(2));

        const auto snapshot = RunSnapshot::read(run);
        const SandboxWarning warning = snapshot.sandboxWarning();
        QVERIFY(!warning.unsafe);
        QCOMPARE(warning.limitNames, (std::vector<std::string>{"memory", "pids"}));
        QCOMPARE(warning.tag, std::string("not enforced: memory, pids"));
        QVERIFY2(warning.headline.find("on " + first.host) != std::string::npos, warning.headline.c_str());

        store.setMeta("sandbox_session", R"({"backend":"bwrap","unenforced":[],"host":"other"})");
        const auto latest = readSandboxSession(store);
        QVERIFY(latest && latest->host == "other" && latest->unenforced.empty());
        QVERIFY(!RunSnapshot::read(run).sandboxWarning().any());
        // A damaged record reads as none rather than keeping the run from opening.
        store.setMeta("sandbox_session", R"({"backend":3,"unenforced":"memory"})");
        QVERIFY(!readSandboxSession(store));
    }

    void rule_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QStringList>("unenforced"); // "none": no session recorded
        QTest::addColumn<bool>("unsafe");
        QTest::addColumn<QString>("tag");
        QTest::newRow("bwrap, every limit holds") << "bwrap" << QStringList{} << false << "";
        QTest::newRow("bwrap, no session yet") << "bwrap" << QStringList{"none"} << false << "";
        QTest::newRow("bwrap, memory not enforced")
            << "bwrap" << QStringList{"memory: RLIMIT_AS only"} << false << "not enforced: memory";
        QTest::newRow("unsafe before any session")
            << "unsafe-rlimits" << QStringList{"none"} << true << "UNSAFE: no isolation";
        QTest::newRow("unsafe with gaps") << "unsafe-rlimits" << QStringList{"network: not isolated"}
                                          << true << "UNSAFE: no isolation";
    }
    void rule()
    {
        QFETCH(QString, backend);
        QFETCH(QStringList, unenforced);
        QFETCH(bool, unsafe);
        QFETCH(QString, tag);
        std::optional<SandboxSession> session;
        if (unenforced != QStringList{"none"}) {
            session = SandboxSession{backend.toStdString(), {}, "host1", 1};
            for (const auto& line : unenforced)
                session->unenforced.push_back(line.toStdString());
        }
        const SandboxWarning w = sandboxWarning(backend.toStdString(), session);
        QCOMPARE(w.unsafe, unsafe);
        QCOMPARE(QString::fromStdString(w.tag), tag);
        QCOMPARE(w.any(), !tag.isEmpty());
        QCOMPARE(w.headline.empty(), tag.isEmpty());
        QCOMPARE(w.title.empty(), tag.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSandboxWarning)
#include "tst_sandboxwarning.moc"
