// `clade audit RUN [--json]`: a person reads back every review decision of a run, oldest
// first — when, which node, what (approve, reject, hand edit, branch, note, revert), who,
// what it did, the note. The run is a real one: a headless `clade` holds two risky
// proposals for review, then decisions are taken by `clade` itself and (the hand edit,
// which has no verb) through the engine. Notes hold text that is not ASCII. A run with no
// decisions and bad input (no such folder, a folder that is not a run) are covered too.
#include "engine/git/Repository.h"
#include "engine/review/Decisions.h"
#include "engine/review/HandEdit.h"
#include "engine/review/ReviewQueue.h"
#include "engine/run/RunCreator.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunLock.h"
#include "engine/store/RunStore.h"
#include "support/NonAsciiCorpus.h"
#include "support/ReviewToyAgent.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "support/CladeProcess.h"

#include <memory>

using namespace clade;
namespace fs = std::filesystem;
namespace corpus = testsupport::corpus;

namespace {

constexpr int kTimeoutMs = 120000;
using testsupport::runClade;

QString q(const fs::path& path)
{
    return QString::fromStdString(path.string());
}

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

engine::RunSettings settings(int iterations)
{
    engine::RunSettings s;
    s.iterations = iterations;
    s.workers = 1;
    s.seed = 7;
    s.review = "ask-on-risk";
    return s;
}

// Whether the risky children 1 and 3 wait for a person and the harmless 2 is evaluated.
bool heldForReview(const fs::path& run)
{
    if (engine::loadReviewQueue(run).size() != 2)
        return false;
    engine::RunStore store(engine::RunFolder{run}.database(), engine::Database::Mode::ReadOnly);
    const auto two = store.loadNode(2);
    return two && two->status == engine::NodeStatus::Evaluated;
}

} // namespace

class TestCliAudit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(CLADE_BINARY), CLADE_BINARY);
        QVERIFY(m_dir.isValid());
        const fs::path root = m_dir.path().toStdString();
        m_agent = testsupport::makeReviewToyAgent(root / "agent", "risky-odd");
        m_run = engine::createRun(m_agent, root / "run", settings(3));
        m_emptyRun = engine::createRun(m_agent, root / "untouched", settings(3));

        // A headless `clade` runs until both risky children wait for a person, then stops
        // (it would wait for the review forever).
        QProcess running;
        running.start(CLADE_BINARY, {"resume", q(m_run), "--headless"});
        QVERIFY(running.waitForStarted(30000));
        QTRY_VERIFY_WITH_TIMEOUT(heldForReview(m_run), kTimeoutMs);
        running.terminate();
        QVERIFY(running.waitForFinished(60000));

        // No process owns the run now: every decision below is applied at once, in order.
        const QString run = q(m_run);
        const auto decide = [](const QStringList& args) {
            const testsupport::CladeOutput o = runClade(args);
            return o.exitCode == 0 ? QByteArray() : o.describe();
        };
        QByteArray failed = decide({"approve", run, "1", "--note", "looked at it"});
        QVERIFY2(failed.isEmpty(), failed.constData());
        failed = decide({"reject", run, "3", "--note", q(corpus::kValid)});
        QVERIFY2(failed.isEmpty(), failed.constData());

        // A hand edit of node 2: its child (node 4) holds the edited answer.
        const auto two =
            engine::RunStore(engine::RunFolder{m_run}.database(), engine::Database::Mode::ReadOnly)
                .loadNode(2);
        QVERIFY(two);
        auto repo = git::Repository::openBare(engine::RunFolder{m_run}.repo());
        const git::Oid edited = engine::commitHandEdit(
            repo, git::Oid::fromHex(two->commit), {{"answer.py", std::string("ANSWER = 42\n")}},
            "hand edit of node 2");
        const engine::DecisionRequest edit{
            2, engine::DecisionAction::Edit, "fixed by hand",
            {{"commit", edited.hex()}, {"description", "answer by hand"}}};
        const auto receipt = engine::submitDecision(m_run, edit);
        QVERIFY2(receipt.appliedNow, receipt.outcome.c_str());

        failed = decide({"branch", run, "2", "--times", "2"});
        QVERIFY2(failed.isEmpty(), failed.constData());
        failed = decide({"note", run, "2", q(corpus::kCjk + "\n" + corpus::kEmoji)});
        QVERIFY2(failed.isEmpty(), failed.constData());
        failed = decide({"revert", run, "2"});
        QVERIFY2(failed.isEmpty(), failed.constData());
    }

    void printsEveryDecisionInOrder()
    {
        const testsupport::CladeOutput o = runClade({"audit", q(m_run)});
        QVERIFY2(o.exitCode == 0 && o.err.isEmpty(), o.describe().constData());
        const QList<QByteArray> lines = o.out.split('\n');
        QCOMPARE(lines.value(0), QByteArray("6 review decisions in " + QByteArray(m_run.c_str()) +
                                            ", oldest first"));

        // Each decision's first line: when, node, what, who, in the order they were taken.
        const QByteArray who = QByteArray::fromStdString(engine::currentUserName());
        static const QRegularExpression head(
            R"(^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)  (#\d+) +(\S+(?: edit)?) +by (.+)$)");
        QStringList nodes, actions;
        QString previousTime;
        for (const QByteArray& line : lines) {
            const auto m = head.match(QString::fromUtf8(line));
            if (!m.hasMatch())
                continue;
            nodes << m.captured(2);
            actions << m.captured(3);
            QCOMPARE(m.captured(4).toUtf8(), who);
            QVERIFY2(m.captured(1) >= previousTime, line.constData());
            previousTime = m.captured(1);
        }
        QCOMPARE(nodes, (QStringList{"#1", "#3", "#2", "#2", "#2", "#2"}));
        QCOMPARE(actions,
                 (QStringList{"approve", "reject", "hand edit", "branch", "note", "revert"}));

        // What each did, the notes as they were written, what the reviewer was shown.
        const QByteArray valid = QByteArray::fromStdString(corpus::kValid);
        const QByteArray cjk = QByteArray::fromStdString(corpus::kCjk);
        const QByteArray emoji = QByteArray::fromStdString(corpus::kEmoji);
        const QList<QByteArray> expected{
            "    outcome  node 1 approved: queued for evaluation\n"
            "    note     looked at it\n",
            "    outcome  node 3 rejected: it never runs\n"
            "    note     " + valid + "\n",
            "    outcome  node 2 edited by hand: node 4 is queued for evaluation\n"
            "    note     fixed by hand\n",
            "    outcome  node 2 pinned: the next 2 expansions start here\n",
            "    outcome  note on node 2\n"
            "    note     " + cjk + "\n" + "             " + emoji + "\n",
            "    outcome  node 2 reverted: the search no longer builds on it or its clade\n",
        };
        for (const QByteArray& block : expected)
            QVERIFY2(o.out.contains(block),
                     ("missing:\n" + block + "\n" + o.describe()).constData());
        // The risky proposals were approved and rejected with their risky-call findings shown.
        static const QRegularExpression shown(R"(    shown    \d+ findings? \([^)]*risky-call)");
        QCOMPARE(QString::fromUtf8(o.out).count(shown), 2);
        QVERIFY(!o.out.contains("for the run's owner"));
    }

    void jsonForMachines()
    {
        const testsupport::CladeOutput o = runClade({"audit", q(m_run), "--json"});
        QVERIFY2(o.exitCode == 0, o.describe().constData());
        const auto j = nlohmann::json::parse(o.out.toStdString(), nullptr, false);
        QVERIFY2(j.is_object(), o.describe().constData());
        QCOMPARE(j["run"].get<std::string>(), m_run.string());
        QCOMPARE(j["pending"].get<int>(), 0);
        const auto& decisions = j["decisions"];
        QCOMPARE(decisions.size(), size_t(6));
        const std::vector<std::string> actions{"approve", "reject", "edit",
                                               "branch",  "note",   "revert"};
        const std::vector<int> nodes{1, 3, 2, 2, 2, 2};
        for (size_t i = 0; i < decisions.size(); ++i) {
            const auto& d = decisions[i];
            QCOMPARE(d["action"].get<std::string>(), actions[i]);
            QCOMPARE(d["node"].get<int>(), nodes[i]);
            QCOMPARE(d["who"].get<std::string>(), engine::currentUserName());
            QVERIFY(d["details"]["outcome"].is_string());
            if (i > 0) {
                QVERIFY(d["id"].get<std::int64_t>() > decisions[i - 1]["id"].get<std::int64_t>());
                QVERIFY(d["time"].get<double>() >= decisions[i - 1]["time"].get<double>());
            }
        }
        QCOMPARE(decisions[0]["note"].get<std::string>(), std::string("looked at it"));
        QCOMPARE(decisions[1]["note"].get<std::string>(), corpus::kValid);
        QVERIFY(!decisions[1]["details"]["findings"].empty());
        QCOMPARE(decisions[2]["details"]["child"].get<int>(), 4);
        QCOMPARE(decisions[3]["details"]["times"].get<int>(), 2);
        QCOMPARE(decisions[4]["note"].get<std::string>(), corpus::kCjk + "\n" + corpus::kEmoji);
    }

    // A decision taken while a process owns the run waits in its inbox until the owner
    // applies it: counted, not listed. (This test holds the owner lock and applies nothing,
    // so the star stays pending; it runs after the tests that count the decisions.)
    void pendingDecisionsAreCounted()
    {
        const engine::RunLock owner(m_run);
        const testsupport::CladeOutput star = runClade({"star", q(m_run), "1"});
        QVERIFY2(star.exitCode == 0, star.describe().constData());
        QVERIFY2(star.out.contains("the run applies it"), star.describe().constData());

        const testsupport::CladeOutput o = runClade({"audit", q(m_run)});
        QVERIFY2(o.exitCode == 0, o.describe().constData());
        QVERIFY2(o.out.startsWith("6 review decisions"), o.describe().constData());
        QVERIFY2(o.out.endsWith("1 more decision waits for the run's owner to apply it\n"),
                 o.describe().constData());
        const testsupport::CladeOutput json = runClade({"audit", q(m_run), "--json"});
        const auto j = nlohmann::json::parse(json.out.toStdString(), nullptr, false);
        QVERIFY2(j.is_object() && j["pending"] == 1 && j["decisions"].size() == 6,
                 json.describe().constData());
    }

    void runWithoutDecisions()
    {
        const testsupport::CladeOutput o = runClade({"audit", q(m_emptyRun)});
        QVERIFY2(o.exitCode == 0, o.describe().constData());
        QCOMPARE(o.out,
                 QByteArray("no review decisions in " + QByteArray(m_emptyRun.c_str()) + " yet\n"));
        const testsupport::CladeOutput json = runClade({"audit", q(m_emptyRun), "--json"});
        QVERIFY2(json.exitCode == 0, json.describe().constData());
        const auto j = nlohmann::json::parse(json.out.toStdString(), nullptr, false);
        QVERIFY2(j.is_object() && j["decisions"].is_array() && j["decisions"].empty() &&
                     j["pending"] == 0,
                 json.describe().constData());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions");
        const QString missing = m_dir.filePath("no-such-run");
        const QString agent = q(m_agent);
        QTest::newRow("no such folder")
            << QStringList{"audit", missing} << QStringList{missing, "no such run folder"};
        QTest::newRow("not a run folder")
            << QStringList{"audit", agent} << QStringList{agent, "not a clade run folder"};
        QTest::newRow("no run") << QStringList{"audit"} << QStringList{"missing RUN"};
        QTest::newRow("two runs") << QStringList{"audit", q(m_run), q(m_emptyRun)}
                                  << QStringList{"unexpected argument", q(m_emptyRun)};
        QTest::newRow("unknown option")
            << QStringList{"audit", q(m_run), "--all"} << QStringList{"all", "clade audit --help"};
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        const testsupport::CladeOutput o = runClade(args);
        QVERIFY2(o.exitCode == 2, o.describe().constData());
        QVERIFY2(o.out.isEmpty(), o.describe().constData());
        for (const QString& mention : mentions)
            QVERIFY2(QString::fromUtf8(o.err).contains(mention), o.describe().constData());
    }

private:
    QTemporaryDir m_dir;
    fs::path m_agent;
    fs::path m_run;
    fs::path m_emptyRun;
};

QTEST_GUILESS_MAIN(TestCliAudit)
#include "tst_cli_audit.moc"
