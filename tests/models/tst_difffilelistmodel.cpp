#include "models/DiffFileListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using clade::git::DiffFile;
using clade::git::DiffFileStatus;
using clade::git::DiffResult;
using clade::models::DiffFileListModel;

namespace {

std::shared_ptr<const DiffResult> sampleResult()
{
    auto result = std::make_shared<DiffResult>();
    DiffFile modified;
    modified.path = modified.oldPath = "agent.py";
    modified.insertions = 4;
    modified.deletions = 2;
    DiffFile renamed;
    renamed.path = "src/new.cpp";
    renamed.oldPath = "src/old.cpp";
    renamed.status = DiffFileStatus::Renamed;
    DiffFile binary;
    binary.path = binary.oldPath = "weights.bin";
    binary.status = DiffFileStatus::Added;
    binary.binary = true;
    result->files = {modified, renamed, binary};
    return result;
}

} // namespace

class TestDiffFileListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyByDefault();
    void rowsFollowTheResult();
    void clearRemovesEverything();
};

void TestDiffFileListModel::emptyByDefault()
{
    DiffFileListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.file(0));
}

void TestDiffFileListModel::rowsFollowTheResult()
{
    DiffFileListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setResult(sampleResult());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 3);

    const QModelIndex first = model.index(0);
    QCOMPARE(first.data().toString(), QStringLiteral("agent.py"));
    QCOMPARE(first.data(DiffFileListModel::StatusRole).toString(), QStringLiteral("M"));
    QCOMPARE(first.data(DiffFileListModel::InsertionsRole).toInt(), 4);
    QCOMPARE(first.data(DiffFileListModel::DeletionsRole).toInt(), 2);
    QVERIFY(first.data(Qt::ToolTipRole).toString().contains(QStringLiteral("+4")));

    const QModelIndex second = model.index(1);
    QCOMPARE(second.data(DiffFileListModel::StatusRole).toString(), QStringLiteral("R"));
    QCOMPARE(second.data(DiffFileListModel::OldPathRole).toString(), QStringLiteral("src/old.cpp"));
    QVERIFY(second.data(Qt::ToolTipRole).toString().contains(QStringLiteral("from src/old.cpp")));

    QVERIFY(model.index(2).data(DiffFileListModel::BinaryRole).toBool());
    QCOMPARE(model.file(2)->path, std::string("weights.bin"));
    QVERIFY(!model.file(3));
}

void TestDiffFileListModel::clearRemovesEverything()
{
    DiffFileListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setResult(sampleResult());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.result());
}

QTEST_GUILESS_MAIN(TestDiffFileListModel)
#include "tst_difffilelistmodel.moc"
