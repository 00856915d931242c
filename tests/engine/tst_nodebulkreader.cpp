// NodeBulkReader reads the same nodes as RunStore::loadNode, with whole-table queries; it is
// also what RunStore::loadNodes reads with, on the store's own connection.
#include "engine/store/NodeBulkReader.h"
#include "engine/store/RunStore.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace clade::engine;

namespace {

Node makeNode(int id, std::vector<int> parents, NodeStatus status)
{
    Node n;
    n.id = id;
    n.parents = std::move(parents);
    n.commit = std::string(40, 'a' + static_cast<char>(id % 6));
    n.status = status;
    n.flags = id % 3 == 0 ? FlagKept : 0u;
    n.description = "node " + std::to_string(id) + " edits \"tools.py\"";
    n.proposer = {"command", "model-x", 100 + id, 20, 0.01 * id};
    n.diff = {1, id, 2};
    n.error = status == NodeStatus::Failed ? "timeout" : "";
    n.createdAt = n.updatedAt = 1700000000.0 + id;
    n.proposeSeconds = 0.5;
    return n;
}

void compareNodes(const Node& a, const Node& b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.parents, b.parents);
    QCOMPARE(a.commit, b.commit);
    QCOMPARE(static_cast<int>(a.status), static_cast<int>(b.status));
    QCOMPARE(a.flags, b.flags);
    QCOMPARE(a.score, b.score);
    QCOMPARE(a.stage, b.stage);
    QCOMPARE(a.description, b.description);
    QCOMPARE(a.proposer.kind, b.proposer.kind);
    QCOMPARE(a.proposer.model, b.proposer.model);
    QCOMPARE(a.proposer.tokensIn, b.proposer.tokensIn);
    QCOMPARE(a.proposer.cost, b.proposer.cost);
    QCOMPARE(a.diff.insertions, b.diff.insertions);
    QCOMPARE(a.results, b.results);
    QCOMPARE(a.metrics, b.metrics);
    QCOMPARE(a.error, b.error);
    QCOMPARE(a.tags, b.tags);
    QCOMPARE(a.notes, b.notes);
    QCOMPARE(a.createdAt, b.createdAt);
    QCOMPARE(a.evaluateSeconds, b.evaluateSeconds);
}

} // namespace

class TestNodeBulkReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_file = std::filesystem::path(m_dir.path().toStdString()) / "clade.db";
        std::filesystem::remove(m_file);
        RunStore store(m_file);
        store.insertNode(makeNode(0, {}, NodeStatus::Evaluated));
        // Inserted out of id order, with a crossover whose primary parent has the larger id.
        store.insertNode(makeNode(2, {0}, NodeStatus::Failed));
        store.insertNode(makeNode(1, {0}, NodeStatus::Evaluated));
        store.insertNode(makeNode(3, {2, 1}, NodeStatus::AwaitingApproval));
        store.insertNode(makeNode(4, {1}, NodeStatus::Evaluating));
        store.insertNode(makeNode(5, {3}, NodeStatus::Rejected));
        store.insertNode(makeNode(6, {1, 3, 0}, NodeStatus::Proposed));
        for (int id : {0, 1}) {
            Node n = *store.loadNode(id);
            n.results = {{"t1", 0.25 * id}, {"t2", 1.0}};
            n.metrics = {{"seconds", 3.5}, {"cost", 0.5}};
            n.score = 0.5 + 0.25 * id;
            n.stage = 1;
            n.evaluateSeconds = 2;
            store.recordEvaluation(n);
        }
        // Tags and notes live in tables of their own, read by both readers. (Decisions stamp
        // updated_at too: only on nodes 0 and 1, which readChangedSince expects changed.)
        DecisionEffect tagged;
        tagged.tags = std::vector<std::string>{"baseline", "fast"};
        store.applyDecision({0, 1, "tag", "tester", 0, "", {}}, tagged, "tagged");
        store.applyDecision({0, 1, "note", "tester", 0, "look here", {}}, {}, "noted");
        store.applyDecision({0, 0, "note", "tester", 0, "and here", {}}, {}, "noted");
    }

    void readAllMatchesLoadNodes()
    {
        RunStore reference(m_file, Database::Mode::ReadOnly);
        std::vector<Node> expected;
        for (int id = 0; id <= 6; ++id)
            expected.push_back(*reference.loadNode(id)); // the per-node reader, as ground truth

        Database db(m_file, Database::Mode::ReadOnly);
        const std::vector<Node> bulk = readAllNodes(db);
        QCOMPARE(bulk.size(), expected.size());
        for (size_t i = 0; i < bulk.size(); ++i)
            compareNodes(bulk[i], expected[i]);
        QCOMPARE(bulk[3].parents, (std::vector<int>{2, 1}));
        QCOMPARE(bulk[6].parents, (std::vector<int>{1, 3, 0}));
        QCOMPARE(bulk[1].tags, (std::vector<std::string>{"baseline", "fast"}));
        QCOMPARE(bulk[1].notes, std::vector<std::string>{"look here"});

        // The same reader, on the store's connection.
        const std::vector<Node> loaded = reference.loadNodes();
        QCOMPARE(loaded.size(), bulk.size());
        for (size_t i = 0; i < bulk.size(); ++i)
            compareNodes(bulk[i], loaded[i]);
    }

    void readByIdsAndChangedSince()
    {
        Database db(m_file, Database::Mode::ReadOnly);
        NodeBulkReader reader(db);
        const auto some = reader.readByIds({6, 1, 42, 1});
        QCOMPARE(some.size(), size_t(2));
        QCOMPARE(some[0].id, 1);
        QCOMPARE(some[0].results.size(), size_t(2));
        QCOMPARE(some[1].parents, (std::vector<int>{1, 3, 0}));
        QVERIFY(reader.readByIds({}).empty());

        // recordEvaluation stamped nodes 0 and 1 with the current time; the others are old.
        const auto changed = reader.readChangedSince(1700000100.0);
        QCOMPARE(changed.size(), size_t(2));
        QCOMPARE(changed[1].id, 1);
        QCOMPARE(changed[1].metrics.at("seconds"), 3.5);
        QCOMPARE(readNodesChangedSince(db, 4e9).size(), size_t(0));
    }

    void emptyDatabase()
    {
        const auto file = std::filesystem::path(m_dir.path().toStdString()) / "empty.db";
        { RunStore store(file); }
        Database db(file, Database::Mode::ReadOnly);
        QVERIFY(readAllNodes(db).empty());
    }

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_file;
};

QTEST_GUILESS_MAIN(TestNodeBulkReader)
#include "tst_nodebulkreader.moc"
