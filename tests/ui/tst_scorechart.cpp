#include "engine/store/Node.h"
#include "models/NodeColumns.h"
#include "ui/ScoreChart.h"

#include "support/Screenshot.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QtTest>

using namespace clade::models;
using clade::engine::NodeStatus;
using clade::ui::ScoreChart;

namespace {

struct NodeRow {
    int id;
    int parent;
    NodeStatus status;
    QVariant score; ///< invalid while unscored
    QVariantMap metrics;
    double evaluatedAt = 0;
    double cost = 0;
    qint64 tokens = 0;
};

/// One row as NodeListModel would present it: every column answers every role.
QList<QStandardItem*> makeRow(const NodeRow& node)
{
    QList<QStandardItem*> items;
    for (int column = 0; column < ColumnCount; ++column) {
        auto* item = new QStandardItem;
        item->setData(node.id, NodeIdRole);
        item->setData(static_cast<int>(node.status), StatusRole);
        item->setData(0u, FlagsRole);
        item->setData(node.score, ScoreRole);
        item->setData(node.metrics, MetricsRole);
        item->setData(node.evaluatedAt, EvaluatedAtRole);
        item->setData(node.cost, CostRole);
        item->setData(node.tokens, TokensRole);
        items.append(item);
    }
    items[ColumnId]->setData(node.id, Qt::DisplayRole);
    items[ColumnParent]->setData(node.parent, Qt::DisplayRole);
    items[ColumnStatus]->setData(QString::fromStdString(clade::engine::toString(node.status)),
                                 Qt::DisplayRole);
    items[ColumnScore]->setData(node.score, Qt::DisplayRole);
    return items;
}

int evaluatedRows(const QStandardItemModel& model)
{
    int count = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        count +=
            model.index(row, 0).data(StatusRole).toInt() == static_cast<int>(NodeStatus::Evaluated);
    return count;
}


QVariantMap metrics(double time, double failures)
{
    return {{QStringLiteral("time_s"), time}, {QStringLiteral("failures"), failures}};
}

/// Waits for the redraw that the model changes made so far scheduled (it comes on a later
/// event-loop turn, paced up to 2 s apart on a big run); false if none was scheduled.
bool redrawn(ScoreChart& chart)
{
    QSignalSpy refreshed(&chart, &ScoreChart::refreshed);
    return chart.refreshPending() && refreshed.wait(10000);
}

} // namespace

class TestScoreChart : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void onePointPerEvaluatedNode();
    void bestSoFarFollowsDirection();
    void metricIsSelectable();
    void clickingAPointSelectsItsNode();
    void costIsCumulative();
    void hiddenChartDrawsWhenShown();

private:
    std::unique_ptr<QStandardItemModel> m_model;
};

void TestScoreChart::init()
{
    m_model = std::make_unique<QStandardItemModel>(0, ColumnCount);
    const double t0 = 1.7e9;
    const QList<NodeRow> rows = {
        {0, -1, NodeStatus::Evaluated, 0.42, metrics(12.0, 3), t0 + 10, 0.0, 0},
        {1, 0, NodeStatus::Evaluated, 0.55, metrics(11.5, 2), t0 + 70, 0.012, 1800},
        {2, 0, NodeStatus::Failed, QVariant(), {}, 0, 0.010, 1500},
        {3, 1, NodeStatus::Evaluated, 0.51, metrics(10.0, 2), t0 + 130, 0.014, 2100},
        {4, 1, NodeStatus::Evaluating, QVariant(), {}, 0, 0.011, 1650},
        {5, 3, NodeStatus::Evaluated, 0.63, metrics(13.1, 1), t0 + 250, 0.016, 2400},
    };
    for (const NodeRow& row : rows)
        m_model->appendRow(makeRow(row));
}

// Behind another tab the chart does not read the model at each change (a big run would
// stall the window for a chart nobody sees); it catches up when shown.
void TestScoreChart::hiddenChartDrawsWhenShown()
{
    ScoreChart chart;
    chart.resize(820, 440);
    chart.show();
    chart.setModel(m_model.get());
    QCOMPARE(chart.scoreSeries()->count(), 4);
    chart.hide();
    QSignalSpy refreshed(&chart, &ScoreChart::refreshed);
    m_model->appendRow(makeRow({6, 5, NodeStatus::Evaluated, 0.60, metrics(12.2, 1), 1.7e9 + 300, 0.013, 1900}));
    // Not redrawn while hidden: no redraw is scheduled, and none came by the time a call
    // queued after the change has run.
    QVERIFY(!chart.refreshPending());
    bool queuedCallRan = false;
    QMetaObject::invokeMethod(&chart, [&] { queuedCallRan = true; }, Qt::QueuedConnection);
    QTRY_VERIFY(queuedCallRan);
    QVERIFY(!chart.refreshPending());
    QCOMPARE(refreshed.count(), 0);
    QCOMPARE(chart.scoreSeries()->count(), 4);
    chart.show();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 10000);
    QCOMPARE(chart.scoreSeries()->count(), 5);
}

void TestScoreChart::onePointPerEvaluatedNode()
{
    ScoreChart chart;
    chart.resize(820, 440);
    chart.show();
    chart.setModel(m_model.get());
    QCOMPARE(chart.scoreSeries()->count(), evaluatedRows(*m_model));
    QCOMPARE(chart.scoreSeries()->count(), 4);
    testsupport::saveScreenshot(chart, QStringLiteral("scorechart_score.png"));

    // A live run: rows arrive later, and a running node gets its score.
    const double t0 = 1.7e9;
    m_model->appendRow(
        makeRow({6, 5, NodeStatus::Evaluated, 0.60, metrics(12.2, 1), t0 + 300, 0.013, 1900}));
    m_model->appendRow(makeRow({7, 5, NodeStatus::Proposed, QVariant(), {}, 0, 0.012, 1700}));
    QVERIFY(redrawn(chart));
    QCOMPARE(chart.scoreSeries()->count(), 5);
    QCOMPARE(chart.scoreSeries()->count(), evaluatedRows(*m_model));

    for (int column = 0; column < ColumnCount; ++column) {
        QStandardItem* item = m_model->item(4, column);
        item->setData(static_cast<int>(NodeStatus::Evaluated), StatusRole);
        item->setData(0.66, ScoreRole);
        item->setData(t0 + 320, EvaluatedAtRole);
    }
    QVERIFY(redrawn(chart));
    QCOMPARE(chart.scoreSeries()->count(), 6);
    QCOMPARE(chart.scoreSeries()->count(), evaluatedRows(*m_model));
    QCOMPARE(chart.series().nodeIds.last(), 4); // ordered by evaluation time

    m_model->removeRows(0, m_model->rowCount());
    QVERIFY(redrawn(chart));
    QCOMPARE(chart.scoreSeries()->count(), 0);
}

void TestScoreChart::bestSoFarFollowsDirection()
{
    ScoreChart chart;
    chart.setModel(m_model.get());
    // Scores in evaluation order: 0.42, 0.55, 0.51, 0.63.
    QList<qreal> bests;
    for (const QPointF& p : chart.bestSeries()->points())
        bests.append(p.y());
    QCOMPARE(bests, (QList<qreal>{0.42, 0.42, 0.55, 0.55, 0.55, 0.55, 0.63}));
    QCOMPARE(chart.bestSeries()->points().last().x(), 4.0);

    chart.setHigherIsBetter(false);
    bests.clear();
    for (const QPointF& p : chart.bestSeries()->points())
        bests.append(p.y());
    QCOMPARE(bests.last(), 0.42);
}

void TestScoreChart::metricIsSelectable()
{
    ScoreChart chart;
    chart.resize(820, 440);
    chart.show();
    chart.setModel(m_model.get());
    auto* combo = chart.findChild<QComboBox*>(QStringLiteral("metricCombo"));
    QVERIFY(combo);
    QCOMPARE(combo->count(), 3); // Score, failures, time_s
    QCOMPARE(combo->itemText(1), QStringLiteral("failures"));
    combo->setCurrentIndex(combo->findText(QStringLiteral("time_s")));
    QCOMPARE(chart.metric(), QStringLiteral("time_s"));
    QCOMPARE(chart.scoreSeries()->count(), 4);
    QCOMPARE(chart.scoreSeries()->at(2).y(), 10.0);
    chart.setHigherIsBetter(false); // time: lower is better
    QCOMPARE(chart.bestSeries()->points().last().y(), 10.0);

    auto* xAxis = chart.findChild<QComboBox*>(QStringLiteral("xAxisCombo"));
    xAxis->setCurrentIndex(1); // minutes since the first evaluation
    QCOMPARE(chart.scoreSeries()->at(1).x(), 1.0);
    testsupport::saveScreenshot(chart, QStringLiteral("scorechart_metric.png"));
}

void TestScoreChart::clickingAPointSelectsItsNode()
{
    ScoreChart chart;
    chart.resize(820, 440);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setModel(m_model.get());
    QSignalSpy clicked(&chart, &ScoreChart::nodeClicked);

    // Node 3 is the third evaluation.
    const QPointF point = chart.scoreSeries()->at(2);
    QChartView* view = chart.scoreView();
    QCoreApplication::processEvents();
    const QPointF scene = view->chart()->mapToPosition(point, chart.scoreSeries());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(scene));
    QTRY_COMPARE(clicked.count(), 1);
    QCOMPARE(clicked.front().front().toInt(), 3);

    chart.setCurrentNode(3);
    QCOMPARE(chart.currentNode(), 3);
    auto* current = qobject_cast<QScatterSeries*>(view->chart()->series().at(2));
    QVERIFY(current);
    QCOMPARE(current->count(), 1);
    QCOMPARE(current->at(0), point);
    testsupport::saveScreenshot(chart, QStringLiteral("scorechart_selected.png"));
    chart.setCurrentNode(2); // failed: no point
    QCOMPARE(current->count(), 0);
}

void TestScoreChart::costIsCumulative()
{
    ScoreChart chart;
    chart.resize(820, 440);
    chart.show();
    chart.setModel(m_model.get());
    chart.setShowCost(true);
    const auto& series = chart.series();
    QCOMPARE(series.cost.size(), m_model->rowCount() + 1); // from (0, 0)
    QCOMPARE(series.cost.last().y(), 0.012 + 0.010 + 0.014 + 0.011 + 0.016);
    QCOMPARE(series.tokens.last().y(), 1800.0 + 1500 + 2100 + 1650 + 2400);
    testsupport::saveScreenshot(chart, QStringLiteral("scorechart_cost.png"));
}

QTEST_MAIN(TestScoreChart)
#include "tst_scorechart.moc"
