// The run store: nodes with several parents, results, events, inbox, schema migrations,
// the owner lock and atomic artifact writes.
#include "engine/store/Database.h"
#include "engine/store/RunLock.h"
#include "engine/store/RunStore.h"
#include "engine/store/Schema.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/SafeRead.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <unistd.h>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

Node makeNode(int id, std::vector<int> parents, NodeStatus status = NodeStatus::Proposed)
{
    Node n;
    n.id = id;
    n.parents = std::move(parents);
    n.commit = std::string(40, 'a' + static_cast<char>(id % 6));
    n.status = status;
    n.description = "node " + std::to_string(id) + ", with \"quotes\"";
    n.proposer.kind = id == 0 ? "root" : "command";
    n.diff = {1, 2 + id, 3};
    n.createdAt = n.updatedAt = 1700000000.0 + id;
    n.proposeSeconds = 0.25;
    return n;
}

} // namespace

class TestRunStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void nodesRoundTrip()
    {
        RunStore store(path("a.db"));
        store.insertNode(makeNode(0, {}));
        store.insertNode(makeNode(1, {0}));
        store.insertNode(makeNode(2, {1, 0})); // crossover: two parents, order matters
        const auto nodes = store.loadNodes();
        QCOMPARE(nodes.size(), size_t(3));
        QCOMPARE(nodes[2].parents, (std::vector<int>{1, 0}));
        QCOMPARE(nodes[2].primaryParent(), 1);
        QCOMPARE(nodes[1].description, std::string("node 1, with \"quotes\""));
        QCOMPARE(nodes[1].diff.insertions, 3);
        QCOMPARE(nodes[0].proposer.kind, std::string("root"));
        QVERIFY(!nodes[0].score.has_value());
        QCOMPARE(store.maxNodeId(), 2);
        QVERIFY(!store.loadNode(7).has_value());
        QCOMPARE(store.loadNode(2)->parents, (std::vector<int>{1, 0}));
    }

    void evaluationMergesResults()
    {
        RunStore store(path("b.db"));
        store.insertNode(makeNode(0, {}));
        Node n = *store.loadNode(0);
        n.results = {{"t1", 0.5}, {"t2", 1.0}};
        n.metrics = {{"bins", 10}};
        n.score = 0.75;
        n.status = NodeStatus::Evaluated;
        n.stage = 1;
        const RunEvent e = store.recordEvaluation(n);
        QCOMPARE(e.kind, std::string(EventKind::NodeEvaluated));
        // A later stage adds tasks; earlier results stay.
        n.results = {{"t3", 0.0}};
        n.score = 0.5;
        n.stage = 2;
        store.recordEvaluation(n);
        const Node back = *store.loadNode(0);
        QCOMPARE(back.results.size(), size_t(3));
        QCOMPARE(back.results.at("t1"), 0.5);
        QCOMPARE(back.stage, 2);
        QCOMPARE(*back.score, 0.5);
        QCOMPARE(back.metrics.at("bins"), 10.0);
        QCOMPARE(int(back.status), int(NodeStatus::Evaluated));
        QCOMPARE(store.countsByStatus().at("evaluated"), 1);
    }

    void everyWriteIsAnEvent()
    {
        RunStore store(path("c.db"));
        store.insertNode(makeNode(0, {}));
        store.setStatus(0, NodeStatus::Evaluating);
        store.setStatus(0, NodeStatus::Failed, "solve crashed");
        store.setFlags(0, FlagKept | FlagPinned, "test");
        const auto events = store.eventsAfter(0);
        QCOMPARE(events.size(), size_t(4));
        QCOMPARE(events[0].kind, std::string(EventKind::NodeAdded));
        QCOMPARE(events[1].kind, std::string(EventKind::StatusChanged));
        QCOMPARE(events[2].kind, std::string(EventKind::NodeFailed));
        QCOMPARE(events[2].payload.at("error").get<std::string>(), std::string("solve crashed"));
        QCOMPARE(events[3].payload.at("flags").size(), size_t(2));
        for (size_t i = 1; i < events.size(); ++i)
            QVERIFY(events[i].seq > events[i - 1].seq);
        QCOMPARE(store.eventsAfter(events[1].seq).size(), size_t(2));
        QCOMPARE(store.loadNode(0)->error, std::string("solve crashed"));
        QCOMPARE(store.loadNode(0)->flags, unsigned(FlagKept | FlagPinned));
    }

    void decisionsInboxFromAnotherConnection()
    {
        RunStore owner(path("d.db"));
        owner.insertNode(makeNode(0, {}));
        const auto before = owner.database().dataVersion();
        {
            RunStore other(path("d.db")); // e.g. `clade approve` in another process
            other.enqueueDecision({0, 0, "approve", "alice", 1.0, "looks fine"});
        }
        QVERIFY(owner.database().dataVersion() != before); // how a follower notices changes
        auto pending = owner.pendingDecisions();
        QCOMPARE(pending.size(), size_t(1));
        QCOMPARE(pending[0].who, std::string("alice"));
        owner.markDecisionApplied(pending[0].id, "approved");
        QVERIFY(owner.pendingDecisions().empty());
    }

    void readOnlyOpenSeesData()
    {
        {
            RunStore writer(path("e.db"));
            writer.insertNode(makeNode(0, {}));
        }
        RunStore reader(path("e.db"), Database::Mode::ReadOnly);
        QCOMPARE(reader.loadNodes().size(), size_t(1));
        reader.integrityCheck();
    }

    void migratesOlderSchema()
    {
        {
            Database db(path("f.db"));
            createSchemaAtVersion(db, 1);
            QCOMPARE(db.userVersion(), 1);
            db.exec("INSERT INTO nodes(id, status, created_at, updated_at) "
                    "VALUES(0, 'evaluated', 1, 1)");
        }
        RunStore store(path("f.db"));
        QCOMPARE(store.database().userVersion(), kSchemaVersion);
        QCOMPARE(store.loadNodes().size(), size_t(1)); // data kept across the migration
        Statement st(store.database(),
                     "SELECT COUNT(*) FROM sqlite_master WHERE type='index' AND name='nodes_by_status'");
        QVERIFY(st.step());
        QCOMPARE(st.integer(0), 1);
    }

    void refusesNewerSchema()
    {
        {
            Database db(path("g.db"));
            db.setUserVersion(kSchemaVersion + 1);
        }
        for (auto mode : {Database::Mode::ReadWrite, Database::Mode::ReadOnly}) {
            try {
                RunStore store(path("g.db"), mode);
                QFAIL("opened a newer schema");
            } catch (const InputError& e) {
                const QString message = e.what();
                QVERIFY2(message.contains("g.db") && message.contains("newer"), qPrintable(message));
            }
        }
    }

    void ownerLock()
    {
        const fs::path run = path("run");
        fs::create_directory(run);
        QCOMPARE(RunLock::ownerPid(run), 0);
        {
            RunLock lock(run);
            QCOMPARE(RunLock::ownerPid(run), int(::getpid()));
            try {
                RunLock second(run); // a second owner, even in the same process
                QFAIL("second owner allowed");
            } catch (const InputError& e) {
                const QString message = e.what();
                QVERIFY2(message.contains("owned by another live process"), qPrintable(message));
                QVERIFY2(message.contains(QString::number(::getpid())), qPrintable(message));
            }
        }
        QCOMPARE(RunLock::ownerPid(run), 0); // released with the owner
        RunLock again(run);
    }

    void atomicWrites()
    {
        const fs::path file = path("artifact.log");
        writeFileAtomically(file, "first");
        writeFileAtomically(file, "second");
        QCOMPARE(readTextFile(file), std::string("second"));
        int leftovers = 0;
        for (const auto& entry : fs::directory_iterator(m_dir.path().toStdString()))
            leftovers += entry.path().filename().string().find(".tmp-") != std::string::npos;
        QCOMPARE(leftovers, 0);
    }

    void sandboxReadsRefuseSymlinks()
    {
        const fs::path root = path("scratch");
        fs::create_directories(root / "sub");
        writeFileAtomically(root / "sub" / "ok.txt", "fine");
        writeFileAtomically(path("secret"), "host secret");
        fs::create_symlink(path("secret"), root / "link.txt");
        fs::create_directory_symlink(m_dir.path().toStdString(), root / "dirlink");
        std::string why;
        QCOMPARE(readSandboxFile(root, "sub/ok.txt", 100).value_or(""), std::string("fine"));
        QCOMPARE(readSandboxFile(root, "sub/ok.txt", 2).value_or(""), std::string("fi"));
        QVERIFY(!readSandboxFile(root, "link.txt", 100, &why));
        QVERIFY2(QString::fromStdString(why).contains("symlink"), why.c_str());
        QVERIFY(!readSandboxFile(root, "dirlink/secret", 100));
        QVERIFY(!readSandboxFile(root, "../secret", 100));
        QVERIFY(!readSandboxFile(root, "sub", 100));
        QVERIFY(!readSandboxFile(root, "absent", 100));
    }

private:
    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
