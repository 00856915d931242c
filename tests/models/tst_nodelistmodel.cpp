// NodeListModel: columns and roles per NodeColumns.h, minimal changes, under the model tester.
#include "models/NodeListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace clade;
using engine::Node;
using engine::NodeStatus;
using models::NodeListModel;

namespace {

Node makeNode(int id, int parent, NodeStatus status, std::optional<double> score = {})
{
    Node node;
    node.id = id;
    if (parent >= 0)
        node.parents = {parent};
    node.status = status;
    node.score = score;
    node.description = "change " + std::to_string(id);
    node.proposer.cost = 0.01 * id;
    node.proposer.tokensIn = 100 * id;
    node.proposer.tokensOut = 10 * id;
    node.metrics = {{"bins", 10.0 + id}};
    node.updatedAt = 1000 + id;
    return node;
}

} // namespace

class TestNodeListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void columnsAndRoles()
    {
        NodeListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Out of order on purpose: rows follow ids.
        model.setNodes({makeNode(2, 0, NodeStatus::Failed), makeNode(0, -1, NodeStatus::Evaluated, 0.5),
                        makeNode(1, 0, NodeStatus::Evaluated, 0.75)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(models::ColumnCount));
        QCOMPARE(model.index(1, models::ColumnId).data().toInt(), 1);
        QCOMPARE(model.index(1, models::ColumnParent).data().toInt(), 0);
        QCOMPARE(model.index(0, models::ColumnParent).data().toInt(), -1);
        QCOMPARE(model.index(2, models::ColumnStatus).data().toString(), QString("failed"));
        QCOMPARE(model.index(1, models::ColumnScore).data().toDouble(), 0.75);
        QVERIFY(!model.index(2, models::ColumnScore).data().isValid());
        QCOMPARE(model.index(2, models::ColumnDescription).data().toString(), QString("change 2"));
        QCOMPARE(model.index(1, models::ColumnTokens).data().toLongLong(), 110LL);
        // Every column answers the typed roles.
        const QModelIndex any = model.index(1, models::ColumnDescription);
        QCOMPARE(any.data(models::NodeIdRole).toInt(), 1);
        QCOMPARE(any.data(models::StatusRole).toInt(), int(NodeStatus::Evaluated));
        QCOMPARE(any.data(models::ScoreRole).toDouble(), 0.75);
        QCOMPARE(any.data(models::MetricsRole).toMap().value("bins").toDouble(), 11.0);
        QCOMPARE(any.data(models::EvaluatedAtRole).toDouble(), 1001.0);
        QCOMPARE(model.index(2, 0).data(models::EvaluatedAtRole).toDouble(), 0.0);
        QCOMPARE(model.rowOf(2), 2);
        QVERIFY(model.node(7) == nullptr);
    }

    // The node list's filter reads one text per row: a person's tags and notes count, though
    // no column shows them.
    void filterFindsTagsAndNotes()
    {
        NodeListModel model;
        Node tagged = makeNode(1, 0, NodeStatus::Evaluated, 0.75);
        tagged.tags = {"promising"};
        tagged.notes = {"check the overflow case"};
        model.setNodes({makeNode(0, -1, NodeStatus::Evaluated, 0.5), tagged, makeNode(2, 0, NodeStatus::Failed)});
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setFilterRole(models::SearchTextRole);
        proxy.setFilterKeyColumn(models::ColumnId);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        const auto ids = [&](const QString& text) {
            proxy.setFilterFixedString(text);
            QList<int> found;
            for (int row = 0; row < proxy.rowCount(); ++row)
                found << proxy.index(row, 0).data(models::NodeIdRole).toInt();
            return found;
        };
        QCOMPARE(ids("Promising"), QList<int>{1});
        QCOMPARE(ids("overflow"), QList<int>{1});
        QCOMPARE(ids("failed"), QList<int>{2});
        QCOMPARE(ids("change 2"), QList<int>{2});
        QCOMPARE(ids("0.75"), QList<int>{1});
        QCOMPARE(ids(""), (QList<int>{0, 1, 2}));
    }

    void changesAreMinimal()
    {
        NodeListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNodes({makeNode(0, -1, NodeStatus::Evaluated, 0.5),
                        makeNode(1, 0, NodeStatus::Proposed)});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // Node 1 evaluated and two new nodes, in one batch.
        model.applyChanges({makeNode(3, 1, NodeStatus::Proposed), makeNode(1, 0, NodeStatus::Evaluated, 0.9),
                            makeNode(2, 1, NodeStatus::Proposed)});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 2);
        QCOMPARE(inserted.at(0).at(2).toInt(), 3);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 1);
        QCOMPARE(model.index(1, models::ColumnScore).data().toDouble(), 0.9);
        QCOMPARE(model.index(2, models::ColumnId).data().toInt(), 2);
        QCOMPARE(model.index(3, models::ColumnId).data().toInt(), 3);

        // Nothing new: no signal at all.
        inserted.clear();
        changed.clear();
        model.applyChanges({});
        QCOMPARE(inserted.count() + changed.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestNodeListModel)
#include "tst_nodelistmodel.moc"
