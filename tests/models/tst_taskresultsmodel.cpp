// TaskResultsModel: a node's per-task results beside its parent's, under the model tester.
#include "models/TaskResultsModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace clade;
using models::TaskResultsModel;

class TestTaskResultsModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsNodeBesideParent()
    {
        TaskResultsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        engine::Node parent;
        parent.id = 1;
        parent.results = {{"a", 0.5}, {"b", 1.0}};
        engine::Node node;
        node.id = 2;
        node.results = {{"a", 0.75}, {"c", 0.25}}; // "b" not run, "c" new
        model.setNode(&node, &parent);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, TaskResultsModel::ColumnTask).data().toString(), QString("a"));
        QCOMPARE(model.index(0, TaskResultsModel::ColumnDelta).data().toString(), QString("+0.2500"));
        QCOMPARE(model.index(0, TaskResultsModel::ColumnDelta).data(Qt::EditRole).toDouble(), 0.25);
        QCOMPARE(model.index(1, TaskResultsModel::ColumnScore).data().toString(), QString("–"));
        QVERIFY(!model.index(1, TaskResultsModel::ColumnDelta).data(Qt::EditRole).isValid());
        QCOMPARE(model.index(2, TaskResultsModel::ColumnParentScore).data().toString(), QString("–"));

        model.setNode(&node, nullptr); // the root: no parent column values
        QCOMPARE(model.rowCount(), 2);
        model.setNode(nullptr, nullptr);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTaskResultsModel)
#include "tst_taskresultsmodel.moc"
