// A run whose sandbox does not give every guarantee says so where a person looks: the
// banner above the tree and the inspector, in the words `clade status` uses
// (engine::sandboxWarning()). For a finished run opened later, a run driven in the window
// and a run followed live; a safe run shows neither.
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/run/RunSummary.h"
#include "engine/run/SandboxSession.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "support/GappySandbox.h"
#include "models/RunSession.h"
#include "support/Screenshot.h"
#include "ui/MainWindow.h"
#include "ui/NodeInspector.h"
#include "ui/SandboxBanner.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;
namespace fs = std::filesystem;

namespace {

fs::path binpack()
{
    return fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack";
}

engine::RunSettings settings(const std::string& sandbox, int iterations)
{
    engine::RunSettings s;
    s.iterations = iterations;
    s.workers = 1;
    s.seed = 3;
    s.sandbox = sandbox;
    return s;
}

QString html(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

using testsupport::GappySandbox;

struct Explorer {
    ui::MainWindow window;
    Explorer()
    {
        window.resize(1440, 900);
        window.show();
    }
    bool open(const fs::path& run)
    {
        QSignalSpy shown(&window, &ui::MainWindow::runShown);
        window.openRun(QString::fromStdString(run.string()));
        return shown.wait(10000);
    }
    ui::SandboxBanner* banner() { return window.findChild<ui::SandboxBanner*>("sandboxBanner"); }
    QLabel* inspectorNote()
    {
        return window.findChild<ui::NodeInspector*>("inspector")->findChild<QLabel*>("sandboxNote");
    }
};

} // namespace

class TestSandboxBanner : public QObject {
    Q_OBJECT
    QTemporaryDir m_config;
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit()); // recent runs
    }

    // `clade run --sandbox unsafe-rlimits`, then `clade open` of the finished run.
    void finishedUnsafeRunOpenedLater()
    {
        QTemporaryDir dir;
        const fs::path run =
            engine::createRun(binpack(), dir.filePath("run").toStdString(), settings("unsafe-rlimits", 4));
        engine::RunEngine(run).run();
        const engine::SandboxWarning expected = engine::RunSnapshot::read(run).sandboxWarning();
        QVERIFY(expected.unsafe && !expected.unenforced.empty());

        Explorer explorer;
        QVERIFY(explorer.open(run));
        auto* banner = explorer.banner();
        QVERIFY(banner);
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(html(expected.title)) &&
                     banner->text().contains(html(expected.headline)),
                 qPrintable(banner->text()));
        QVERIFY2(banner->text().contains("not isolated"), qPrintable(banner->text()));

        // The inspector says it with every node.
        QLabel* note = explorer.inspectorNote();
        QVERIFY(note);
        QTRY_VERIFY(note->isVisible());
        QVERIFY2(note->text().contains(html(expected.title)) && note->text().contains(html(expected.headline)),
                 qPrintable(note->text()));
        QVERIFY(!testsupport::saveScreenshot(explorer.window, "sandbox-unsafe.png").isEmpty());

        // Details lists every limit not enforced, one line each.
        auto* text = banner->findChild<QLabel*>("sandboxBannerText");
        Q_EMIT text->linkActivated("details");
        for (const auto& line : expected.unenforced)
            QVERIFY2(banner->text().contains(html(line)), qPrintable(banner->text()));
        QVERIFY(!testsupport::saveScreenshot(explorer.window, "sandbox-unsafe-details.png").isEmpty());
    }

    // The window drives the run: the banner is there while it runs, before it ends.
    void unsafeRunDrivenInTheWindow()
    {
        QTemporaryDir dir;
        Explorer explorer;
        auto* session = explorer.window.session();
        QSignalSpy ended(session, &models::RunSession::engineEnded);
        session->startNew(QString::fromStdString(binpack().string()), dir.filePath("run"),
                          settings("unsafe-rlimits", 3));
        // From run.json alone, before the engine's session has recorded anything.
        QTRY_VERIFY_WITH_TIMEOUT(explorer.banner()->isVisible(), 20000);
        QVERIFY(explorer.banner()->text().contains("not isolated"));
        // Once the session is recorded, the banner names this host's gaps too.
        const auto expected = engine::makeSandbox("unsafe-rlimits")->unenforcedLimits();
        QTRY_VERIFY_WITH_TIMEOUT(session->sandboxWarning().unenforced == expected, 20000);
        QTRY_VERIFY(explorer.banner()->text().contains(
            html(session->sandboxWarning().headline)));
        QVERIFY(!ended.isEmpty() || ended.wait(120000));
        QCOMPARE(ended.at(0).at(0).value<engine::RunOutcome::Status>(), engine::RunOutcome::Status::Finished);
        QVERIFY(explorer.banner()->isVisible());
    }

    // Another process runs a bwrap run whose host cannot enforce every limit: the banner
    // appears when that session records itself, without reopening the run.
    void limitsNotEnforcedOnTheHostOfAFollowedRun()
    {
        QTemporaryDir dir;
        const fs::path run = engine::createRun(binpack(), dir.filePath("run").toStdString(),
                                               settings("bwrap", 2));
        Explorer explorer;
        QVERIFY(explorer.open(run));
        QVERIFY(!explorer.banner()->isVisible()); // nothing ran yet: nothing to say
        QVERIFY(!explorer.inspectorNote()->isVisible());

        engine::RunStore writer(engine::RunFolder{run}.database()); // the other process
        const engine::SandboxSession session = engine::recordSandboxSession(writer, GappySandbox());
        QTRY_VERIFY_WITH_TIMEOUT(explorer.banner()->isVisible(), 5000);
        const auto words = engine::sandboxWarning("bwrap", session);
        QVERIFY2(explorer.banner()->text().contains(html(words.headline)),
                 qPrintable(explorer.banner()->text()));
        QVERIFY(explorer.banner()->text().contains("memory, pids"));
        QTRY_VERIFY(explorer.inspectorNote()->isVisible());
        QVERIFY(explorer.inspectorNote()->text().contains(html(words.title)));
        QVERIFY(!testsupport::saveScreenshot(explorer.window, "sandbox-limits.png").isEmpty());

        // A later session on a host that enforces everything: the warning goes.
        writer.setMeta("sandbox_session", R"({"backend":"bwrap","unenforced":[],"host":"h"})");
        QTRY_VERIFY_WITH_TIMEOUT(!explorer.banner()->isVisible(), 5000);
        QVERIFY(!explorer.inspectorNote()->isVisible());
    }

    // Opening a safe run after an unsafe one clears the warning.
    void safeRunShowsNothing()
    {
        QTemporaryDir dir;
        const fs::path unsafe =
            engine::createRun(binpack(), dir.filePath("unsafe").toStdString(), settings("unsafe-rlimits", 1));
        const fs::path safe =
            engine::createRun(binpack(), dir.filePath("safe").toStdString(), settings("bwrap", 1));
        engine::RunStore(engine::RunFolder{safe}.database())
            .setMeta("sandbox_session", R"({"backend":"bwrap","unenforced":[],"host":"h"})");
        Explorer explorer;
        QVERIFY(explorer.open(unsafe));
        QTRY_VERIFY(explorer.banner()->isVisible());
        QVERIFY(explorer.open(safe));
        QTRY_VERIFY(!explorer.banner()->isVisible());
        QVERIFY(!explorer.inspectorNote()->isVisible());
    }
};

QTEST_MAIN(TestSandboxBanner)
#include "tst_sandboxbanner.moc"
