// What a session that died leaves in a run, put right by CrashRecovery alone, without an
// engine: an evaluation cut short goes back to the queue on the record, a proposal that
// never got its row leaves no artifacts behind, git's stale lock files go, the run's time
// carries over, and a run without its root is refused. The repair of node references and
// pack indexes is in tst_runengine (openingRepairsNodeReferences); a whole run killed at
// random moments in tst_crashresume.
#include "engine/run/CrashRecovery.h"
#include "engine/run/RunCreator.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "engine/util/InputError.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

// A new run of the bundled example with one child stored after the root: node 1 with the
// root's commit, in `status`.
RunFolder runWithChild(const QTemporaryDir& dir, NodeStatus status)
{
    RunSettings settings;
    settings.iterations = 4;
    const fs::path run = createRun(fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack",
                                   dir.filePath("run").toStdString(), settings);
    RunStore store(RunFolder{run}.database());
    Node child;
    child.id = 1;
    child.parents = {0};
    child.commit = store.loadNode(0)->commit;
    child.description = "a child whose evaluation the crash cut short";
    child.status = status;
    store.insertNode(child);
    return RunFolder{run};
}

void touch(const fs::path& file)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "left by a dead session\n";
}

} // namespace

class TestCrashRecovery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The node is proposed again, in the store as in what recover() hands back, and the
    // event log says why.
    void anInterruptedEvaluationIsRequeued()
    {
        QTemporaryDir dir;
        const RunFolder folder = runWithChild(dir, NodeStatus::Evaluating);
        RunStore store(folder.database());
        const auto before = store.lastEventSeq();

        const CrashRecovery::Recovered run = CrashRecovery(folder, store).recover();
        QCOMPARE(run.nodes.size(), size_t(2));
        QCOMPARE(int(run.nodes[1].status), int(NodeStatus::Proposed));
        QCOMPARE(int(store.loadNode(1)->status), int(NodeStatus::Proposed));
        QCOMPARE(run.nextId, 2);

        const auto events = store.eventsAfter(before);
        const auto requeued = std::find_if(events.begin(), events.end(), [](const RunEvent& e) {
            return e.kind == EventKind::Requeued;
        });
        QVERIFY(requeued != events.end());
        QCOMPARE(requeued->nodeId, 1);
        QCOMPARE(requeued->payload.value("reason", std::string()),
                 std::string("evaluation interrupted by a crash or kill"));
    }

    // Nothing else is touched: a node that is not evaluating keeps its status and no
    // event is written.
    void aCleanRunIsLeftAlone()
    {
        QTemporaryDir dir;
        const RunFolder folder = runWithChild(dir, NodeStatus::Evaluated);
        RunStore store(folder.database());
        const auto before = store.lastEventSeq();
        const CrashRecovery::Recovered run = CrashRecovery(folder, store).recover();
        QCOMPARE(int(run.nodes[1].status), int(NodeStatus::Evaluated));
        QCOMPARE(store.eventsAfter(before).size(), size_t(0));
    }

    // Artifacts of ids no row names (the id is handed out again) and folders that are no
    // node's go; those of stored nodes stay. A writer killed mid-update leaves git's
    // `*.lock` files, which would refuse every later update of that ref.
    void leftoversOfUnfinishedWritesGo()
    {
        QTemporaryDir dir;
        const RunFolder folder = runWithChild(dir, NodeStatus::Proposed);
        touch(folder.artifacts(1) / "propose.log");
        touch(folder.artifacts(2) / "propose.log");
        touch(folder.artifacts(17) / "prompt.md");
        touch(folder.artifacts() / "tmp-upload" / "x");
        const fs::path refLock = folder.repo() / "refs" / "clade" / "nodes" / "2.lock";
        const fs::path packedRefsLock = folder.repo() / "packed-refs.lock";
        touch(refLock);
        touch(packedRefsLock);

        RunStore store(folder.database());
        CrashRecovery(folder, store).recover();
        QVERIFY(fs::exists(folder.artifacts(1) / "propose.log"));
        QVERIFY(!fs::exists(folder.artifacts(2)));
        QVERIFY(!fs::exists(folder.artifacts(17)));
        QVERIFY(!fs::exists(folder.artifacts() / "tmp-upload"));
        QVERIFY(!fs::exists(refLock));
        QVERIFY(!fs::exists(packedRefsLock));
        QVERIFY(fs::exists(folder.artifacts(0))); // the root's own
    }

    // The active time of earlier sessions, saved as they went, is where the new one
    // starts (the time budget counts it).
    void earlierSessionsTimeCarriesOver()
    {
        QTemporaryDir dir;
        const RunFolder folder = runWithChild(dir, NodeStatus::Proposed);
        RunStore store(folder.database());
        QCOMPARE(CrashRecovery(folder, store).recover().activeSeconds, 0.0);
        store.setMeta("active_seconds", "42.5");
        QCOMPARE(CrashRecovery(folder, store).recover().activeSeconds, 42.5);
    }

    // Node 0 is written when the run is created; without it the folder is damaged, and
    // the error names the database.
    void aRunWithoutItsRootIsRefused()
    {
        QTemporaryDir dir;
        const RunFolder folder{fs::path(dir.path().toStdString()) / "run"};
        fs::create_directories(folder.root);
        RunStore store(folder.database()); // an empty run database
        try {
            CrashRecovery(folder, store).recover();
            QFAIL("a run without node 0 was recovered");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("run has no root node"), e.what());
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(folder.database().string())),
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
