// The run engine end to end on the bundled example, in-process: the loop runs, listeners
// see every stored event in order, a run is reproducible from its seed whatever the number
// of workers, stop/resume re-queues running work without losing anything, and a budget of
// task evaluations ends the run however the strategy batches its tasks.
#include "engine/git/Repository.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"

#include <QProcess>
#include <QTemporaryDir>
#include <fstream>
#include <QtTest>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

fs::path example()
{
    return fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack";
}

RunSettings settings(int iterations, int workers, std::uint64_t seed)
{
    RunSettings s;
    s.iterations = iterations;
    s.workers = workers;
    s.seed = seed;
    return s;
}

// What must be equal between two runs with the same seed (commit ids differ: they hold
// the time of commit).
int taskEvaluations(const std::vector<Node>& nodes)
{
    int count = 0;
    for (const auto& n : nodes)
        count += static_cast<int>(n.results.size());
    return count;
}

std::vector<std::string> fingerprint(const std::vector<Node>& nodes)
{
    std::vector<std::string> out;
    for (const auto& n : nodes)
        out.push_back(std::to_string(n.id) + "<" + std::to_string(n.primaryParent()) + " " +
                      toString(n.status) + " " + std::to_string(n.flags) + " " +
                      (n.score ? std::to_string(*n.score) : "-") + " " +
                      std::to_string(n.results.size()) + " " + n.description);
    return out;
}

} // namespace

class TestRunEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runsAndReportsEveryEvent()
    {
        QTemporaryDir dir;
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(), settings(6, 2, 4));
        std::vector<RunEvent> seen;
        RunOutcome outcome;
        {
            RunEngine engine(run);
            engine.addListener([&](const RunEvent& e, const RunProgress&) { seen.push_back(e); });
            outcome = engine.run();
        }
        QCOMPARE(int(outcome.status), int(RunOutcome::Status::Finished));
        RunStore store(RunFolder{run}.database(), Database::Mode::ReadOnly);
        const auto nodes = store.loadNodes();
        QCOMPARE(nodes.size(), size_t(7));
        for (const auto& n : nodes)
            QVERIFY(n.status == NodeStatus::Evaluated || n.status == NodeStatus::Failed);
        // Listeners got exactly the events stored during this session (in the order the
        // coordinator applied them, which may interleave two workers' writes).
        const auto stored = store.eventsAfter(seen.front().seq - 1, 100000);
        std::vector<std::int64_t> storedSeqs;
        for (const auto& e : stored)
            storedSeqs.push_back(e.seq);
        std::vector<std::int64_t> seenSeqs;
        for (const auto& e : seen)
            seenSeqs.push_back(e.seq);
        std::vector<std::int64_t> sortedSeen = seenSeqs;
        std::sort(sortedSeen.begin(), sortedSeen.end());
        QCOMPARE(sortedSeen, storedSeqs);
        QCOMPARE(seen.front().kind, std::string(EventKind::RunStarted));
        QCOMPARE(seen.back().kind, std::string(EventKind::RunStopped));
    }

    // Every strategy: with more workers, results are applied in dispatch order, so the
    // same seed gives the same decisions and the same tree.
    void sameSeedSameRun_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<int>("iterations");
        QTest::addColumn<int>("workers");
        QTest::newRow("sica, one worker") << "sica" << 8 << 1;
        QTest::newRow("sica, two workers") << "sica" << 8 << 2;
        QTest::newRow("hgm, two workers") << "hgm" << 4 << 2;
        QTest::newRow("dgm, two workers") << "dgm" << 4 << 2;
        QTest::newRow("adas, two workers") << "adas" << 4 << 2;
        QTest::newRow("islands, two workers") << "islands" << 6 << 2;
    }
    void sameSeedSameRun()
    {
        QFETCH(QString, strategy);
        QFETCH(int, iterations);
        QFETCH(int, workers);
        QTemporaryDir dir;
        std::vector<std::vector<std::string>> runs;
        for (const char* name : {"a", "b"}) {
            RunSettings s = settings(iterations, workers, 11);
            s.strategy = strategy.toStdString();
            if (strategy == "dgm")
                s.strategyParams = {{"stage_tasks", {2, 3}}}; // stages within binpack's 8 tasks
            const fs::path run = createRun(example(), dir.filePath(name).toStdString(), s);
            RunEngine engine(run);
            QCOMPARE(int(engine.run().status), int(RunOutcome::Status::Finished));
            runs.push_back(fingerprint(engine.nodes()));
        }
        QCOMPARE(runs[0].size(), size_t(iterations + 1));
        QCOMPARE(runs[1].size(), runs[0].size());
        for (size_t i = 0; i < runs[0].size(); ++i)
            QCOMPARE(QString::fromStdString(runs[1][i]), QString::fromStdString(runs[0][i]));
    }

    void stopRequeuesAndResumeFinishes()
    {
        QTemporaryDir dir;
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(), settings(30, 2, 7));
        {
            RunEngine engine(run);
            // Stop as soon as the third child appears; running work is cancelled.
            engine.addListener([&](const RunEvent& e, const RunProgress&) {
                if (e.kind == EventKind::NodeAdded && e.nodeId == 3)
                    engine.stop(true);
            });
            const RunOutcome outcome = engine.run();
            QCOMPARE(int(outcome.status), int(RunOutcome::Status::Stopped));
            for (const auto& n : engine.nodes())
                QVERIFY2(n.status != NodeStatus::Evaluating, "a node was left evaluating");
            QVERIFY(engine.nodes().size() < 31);
        }
        {
            RunEngine::Overrides lower;
            lower.iterations = 12;
            RunEngine engine(run, lower);
            QCOMPARE(int(engine.run().status), int(RunOutcome::Status::Finished));
            QCOMPARE(engine.nodes().size(), size_t(13)); // the lowered budget from resume
            QCOMPARE(engine.config().settings.iterations, 12);
        }
        QCOMPARE(RunConfig::load(run).settings.iterations, 12); // persisted in run.json
    }

    // Node references are written without fsync; the database is the record. Opening the
    // run for writing puts back what a power cut could leave: an empty reference file, a
    // missing one, one pointing elsewhere, one for an id that never got its row.
    void openingRepairsNodeReferences()
    {
        QTemporaryDir dir;
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(), settings(4, 1, 5));
        std::vector<Node> nodes;
        {
            RunEngine engine(run);
            QCOMPARE(int(engine.run().status), int(RunOutcome::Status::Finished));
            nodes = engine.nodes();
        }
        std::vector<const Node*> committed;
        for (const auto& n : nodes)
            if (n.id > 0 && !n.commit.empty())
                committed.push_back(&n);
        QVERIFY2(committed.size() >= 3, "the run needs three children with commits");
        const RunFolder folder(run);
        const fs::path refs = folder.repo() / "refs/clade/nodes";
        auto refFile = [&](int id) { return refs / std::to_string(id); };
        std::ofstream(refFile(committed[0]->id), std::ios::trunc).flush(); // empty
        fs::remove(refFile(committed[1]->id));                            // missing
        std::ofstream(refFile(committed[2]->id), std::ios::trunc) << nodes[0].commit << "\n"; // elsewhere
        std::ofstream(refFile(99)) << nodes[0].commit << "\n";              // no row

        { RunEngine reopened(run); }
        auto repo = clade::git::Repository::openBare(folder.repo());
        for (const auto& n : nodes)
            if (!n.commit.empty())
                QCOMPARE(repo.lookupReference(RunFolder::nodeRef(n.id)),
                         std::optional<clade::git::Oid>(clade::git::Oid::fromHex(n.commit)));
        QVERIFY(!fs::exists(refFile(99)));

        // A crash of the machine: the unsynced packed-refs and a pack index written without
        // fsync come back as garbage. Opening rebuilds the index from its pack and the
        // references from the database.
        fs::remove_all(refs);
        std::ofstream(folder.repo() / "packed-refs", std::ios::trunc) << std::string(100, '\0');
        fs::path index;
        for (const auto& e : fs::directory_iterator(folder.repo() / "objects/pack"))
            if (e.path().extension() == ".idx")
                index = e.path();
        QVERIFY(!index.empty());
        fs::resize_file(index, fs::file_size(index) / 2);

        { RunEngine reopened(run); }
        QVERIFY(fs::file_size(index) > 0);
        auto again = clade::git::Repository::openBare(folder.repo());
        for (const auto& n : nodes)
            if (!n.commit.empty()) {
                const auto commit = clade::git::Oid::fromHex(n.commit);
                QCOMPARE(again.lookupReference(RunFolder::nodeRef(n.id)), std::optional<clade::git::Oid>(commit));
                QVERIFY(again.readFile(commit, "heuristic.py").has_value());
            }
        QProcess fsck;
        fsck.start("git", {"--git-dir=" + QString::fromStdString(folder.repo().string()), "fsck",
                           "--full", "--strict"});
        QVERIFY(fsck.waitForFinished(60000));
        QCOMPARE(fsck.exitCode(), 0);
        QCOMPARE(fsck.readAllStandardOutput(), QByteArray()); // every object reachable
    }

    // hgm evaluates one task at a time, so it stops exactly at the budget; sica evaluates
    // all 8 of binpack's tasks at once, so its last evaluation, started with 4 left, ends
    // past it (8 root + 8 + 8). No work starts once the budget is spent.
    void stopsAtTaskEvaluationBudget_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<int>("expected");
        QTest::newRow("hgm") << "hgm" << 20;
        QTest::newRow("sica") << "sica" << 24;
    }
    void stopsAtTaskEvaluationBudget()
    {
        QFETCH(QString, strategy);
        QFETCH(int, expected);
        QTemporaryDir dir;
        RunSettings s = settings(1000, 2, 5);
        s.strategy = strategy.toStdString();
        s.maxTaskEvaluations = 20;
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(), s);
        {
            RunEngine engine(run);
            int lastProgress = 0;
            engine.addListener([&](const RunEvent&, const RunProgress& p) {
                lastProgress = p.taskEvaluations;
                QCOMPARE(p.taskEvaluationBudget, 20);
            });
            const RunOutcome outcome = engine.run();
            QCOMPARE(int(outcome.status), int(RunOutcome::Status::Finished));
            QVERIFY2(outcome.message.find("task-evaluation budget") != std::string::npos,
                     outcome.message.c_str());
            QCOMPARE(taskEvaluations(engine.nodes()), expected);
            QCOMPARE(lastProgress, expected);
        }
        QCOMPARE(RunConfig::load(run).settings.maxTaskEvaluations, 20);
        if (strategy != "hgm")
            return;
        // Raised on resume (a total, as --iterations is), persisted in run.json.
        {
            RunEngine::Overrides overrides;
            overrides.maxTaskEvaluations = 28;
            RunEngine engine(run, overrides);
            QCOMPARE(int(engine.run().status), int(RunOutcome::Status::Finished));
            QCOMPARE(taskEvaluations(engine.nodes()), 28);
        }
        QCOMPARE(RunConfig::load(run).settings.maxTaskEvaluations, 28);
    }
};

QTEST_GUILESS_MAIN(TestRunEngine)
#include "tst_runengine.moc"
