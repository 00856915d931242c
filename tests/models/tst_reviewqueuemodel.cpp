// ReviewQueueModel: which nodes wait, oldest first, with their findings; a decision from
// any process removes a row, a new held node inserts one; under the model tester.
#include "models/NodeColumns.h"
#include "models/ReviewQueueModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace clade;
using engine::Node;
using engine::NodeStatus;
using models::ReviewQueueModel;

namespace {

Node makeNode(int id, NodeStatus status, unsigned flags = 0)
{
    Node node;
    node.id = id;
    if (id > 0)
        node.parents = {0};
    node.status = status;
    node.flags = flags;
    node.description = "change " + std::to_string(id);
    return node;
}

engine::Finding finding(const char* detector, const char* path, int line)
{
    return {detector, path, line, std::string(detector) + " in " + path, "os.remove(x)"};
}

std::vector<int> ids(const ReviewQueueModel& model)
{
    std::vector<int> result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.push_back(model.index(row, 0).data(models::NodeIdRole).toInt());
    return result;
}

} // namespace

class TestReviewQueueModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listsWaitingNodesWithFindings()
    {
        ReviewQueueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        models::FindingsById findings;
        findings[3] = {finding("risky-call", "agent.py", 12), finding("diff-size", "", 0)};
        model.reset({makeNode(0, NodeStatus::Evaluated), makeNode(1, NodeStatus::Evaluated, engine::FlagHeld),
                     makeNode(2, NodeStatus::Failed), makeNode(3, NodeStatus::AwaitingApproval),
                     makeNode(4, NodeStatus::Rejected)},
                    findings);
        QCOMPARE(ids(model), (std::vector<int>{1, 3}));
        QCOMPARE(model.columnCount(), int(ReviewQueueModel::ColumnCount));
        QCOMPARE(model.index(0, ReviewQueueModel::ColumnHeld).data().toString(), QString("keep"));
        QCOMPARE(model.index(1, ReviewQueueModel::ColumnHeld).data().toString(), QString("proposal"));
        QCOMPARE(model.index(1, ReviewQueueModel::ColumnFindings).data().toInt(), 2);
        QCOMPARE(model.index(0, ReviewQueueModel::ColumnFindings).data().toInt(), 0);
        QCOMPARE(model.index(1, ReviewQueueModel::ColumnDescription).data().toString(), QString("change 3"));
        QVERIFY(model.index(1, 0).data(Qt::ToolTipRole).toString().contains("risky-call: risky-call in agent.py"));
        QVERIFY(model.entry(3) && model.entry(3)->findings.size() == 2);
        QVERIFY(!model.entry(0));
    }

    void decisionsRemoveAndNewHoldsInsert()
    {
        ReviewQueueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset({makeNode(0, NodeStatus::Evaluated), makeNode(2, NodeStatus::AwaitingApproval),
                     makeNode(5, NodeStatus::AwaitingApproval)},
                    {});
        QSignalSpy removed(&model, &ReviewQueueModel::rowsRemoved);
        QSignalSpy inserted(&model, &ReviewQueueModel::rowsInserted);
        QSignalSpy reset(&model, &ReviewQueueModel::modelReset);
        QSignalSpy changed(&model, &ReviewQueueModel::dataChanged);

        // Approved: 2 is queued for evaluation and leaves; 4 (older than 5) starts waiting.
        models::FindingsById findings;
        findings[4] = {finding("harness", "harness/score.py", 1)};
        model.apply({makeNode(2, NodeStatus::Proposed), makeNode(4, NodeStatus::AwaitingApproval),
                     makeNode(6, NodeStatus::Evaluating)},
                    findings);
        QCOMPARE(ids(model), (std::vector<int>{4, 5}));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0); // inserted in id order, not appended
        QCOMPARE(model.entry(4)->findings.size(), size_t(1));

        // A change to a waiting node keeps its findings unless new ones come with it.
        Node five = makeNode(5, NodeStatus::AwaitingApproval);
        five.tags = {"look"};
        model.apply({five}, {});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.entry(5)->node.tags, std::vector<std::string>{"look"});
        model.apply({makeNode(4, NodeStatus::AwaitingApproval)}, {});
        QCOMPARE(model.entry(4)->findings.size(), size_t(1));

        // A held keep approved: the flag goes, the row goes.
        model.apply({makeNode(7, NodeStatus::Evaluated, engine::FlagHeld)}, {});
        QCOMPARE(ids(model), (std::vector<int>{4, 5, 7}));
        model.apply({makeNode(7, NodeStatus::Evaluated, engine::FlagKept)}, {});
        QCOMPARE(ids(model), (std::vector<int>{4, 5}));
        // Findings read again later (the inspector's details) reach a waiting node only.
        model.setFindings(5, {finding("improver", "propose.py", 3)});
        QCOMPARE(model.index(1, ReviewQueueModel::ColumnFindings).data().toInt(), 1);
        model.setFindings(2, {finding("improver", "propose.py", 3)});
        QVERIFY(!model.entry(2));
        QCOMPARE(reset.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestReviewQueueModel)
#include "tst_reviewqueuemodel.moc"
