#include "engine/store/Node.h"
#include "models/NodeListModel.h"
#include "ui/MetricChart.h"

#include "support/Screenshot.h"
#include "support/SyntheticNodes.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

#include <cmath>

using namespace clade;
using engine::Direction;
using ui::MetricChart;

namespace {

/// A run of 25 evaluated nodes with varied score and cost, solved in 1-2.5 s a task, but
/// for 4 that took far longer and fail the run's guard (3 s a task), among them two that
/// would otherwise be on the front; and one node still running.
std::vector<engine::Node> syntheticRun()
{
    std::vector<engine::Node> nodes;
    for (int id = 0; id < 25; ++id) {
        // Spread over cost with diminishing returns and a wobble: a realistic cloud.
        const double cost = id == 0 ? 0.0 : 0.004 + 0.0042 * ((id * 7) % 25);
        const double wobble = 0.09 * std::sin(id * 2.3) - 0.05 * std::cos(id * 1.7);
        const double score =
            std::clamp(0.38 + 0.45 * (1 - std::exp(-cost / 0.035)) + wobble, 0.05, 0.97);
        engine::Node n = testsupport::scoredNode(id, id == 0 ? -1 : (id - 1) / 3,
                                                 {{"t0", score}, {"t1", score}});
        n.proposer.cost = cost;
        n.proposer.tokensIn = static_cast<std::int64_t>(cost * 400000);
        n.proposer.tokensOut = static_cast<std::int64_t>(cost * 60000);
        const bool slow = id == 6 || id == 11 || id == 17 || id == 22;
        n.metrics["clade.solve_seconds"] = 2 * (slow ? 4.5 + id * 0.1 : 1.0 + 0.06 * id);
        n.metrics["accuracy"] = score * 0.9;
        nodes.push_back(std::move(n));
    }
    nodes[6].score = nodes[11].score = 0.93; // great, but too slow
    nodes.push_back(testsupport::makeNode(25, 3, {}, engine::NodeStatus::Evaluating));
    return nodes;
}

engine::Manifest guardedManifest()
{
    engine::Manifest manifest;
    manifest.primaryMetric = "score";
    manifest.direction = Direction::Maximize;
    manifest.guards = {{"clade.solve_seconds_per_task", Direction::Minimize, 3.0, {}}};
    return manifest;
}

struct Fixture {
    models::NodeListModel model;
    MetricChart chart;

    Fixture()
    {
        model.setNodes(syntheticRun());
        chart.resize(980, 520);
        chart.setManifest(guardedManifest());
        chart.setModel(&model);
        chart.show();
    }
};

int pointCount(const MetricChart& chart)
{
    return chart.frontSeries()->count() + chart.otherSeries()->count() +
           chart.failingSeries()->count();
}

} // namespace

class TestMetricChart : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsEveryEvaluatedNodeAndTheFront();
    void defaultAxesAndChoices();
    void clickingAFrontPointSelectsItsNode();
    void frontListSelectsItsNode();
    void followsTheModel();
    void screenshot();
};

void TestMetricChart::showsEveryEvaluatedNodeAndTheFront()
{
    Fixture f;
    const auto& points = f.chart.points();
    QCOMPARE(pointCount(f.chart), 25); // the running node has no point
    QCOMPARE(f.chart.failingSeries()->count(), 4);
    QCOMPARE(points.failing, 4);
    QCOMPARE(f.chart.frontSeries()->count(), int(points.front.size()));
    QVERIFY(points.front.size() >= 3);
    for (int slow : {6, 11, 17, 22})
        QVERIFY(!points.point(slow)->onFront);
    // The step line passes through every front point, with a corner between two.
    QCOMPARE(f.chart.frontLine()->count(), 2 * int(points.front.size()) - 1);
    QCOMPARE(f.chart.frontList()->topLevelItemCount(), int(points.front.size()));
    QCOMPARE(f.chart.caption()->text(),
             QStringLiteral("Front over 21 nodes that pass their guards; 4 fail a guard "
                            "(crosses, left off the front)."));
}

void TestMetricChart::defaultAxesAndChoices()
{
    Fixture f;
    auto* x = f.chart.findChild<QComboBox*>(QStringLiteral("xMetricCombo"));
    auto* y = f.chart.findChild<QComboBox*>(QStringLiteral("yMetricCombo"));
    auto* xDirection = f.chart.findChild<QComboBox*>(QStringLiteral("xDirectionCombo"));
    QVERIFY(x && y && xDirection);
    QCOMPARE(x->currentText(), QStringLiteral("clade.cost_usd"));
    QCOMPARE(y->currentText(), QStringLiteral("score (primary)"));
    QCOMPARE(f.chart.points().x.direction, Direction::Minimize);
    for (const char* name : {"accuracy", "clade.tokens", "clade.solve_seconds_per_task"})
        QVERIFY2(x->findText(QString::fromLatin1(name)) >= 0, name);

    // Another metric takes its direction from the manifest (the guard minimizes it).
    x->setCurrentIndex(x->findText(QStringLiteral("clade.solve_seconds_per_task")));
    QCOMPARE(f.chart.points().x.name, std::string("clade.solve_seconds_per_task"));
    QCOMPARE(f.chart.points().x.direction, Direction::Minimize);
    QCOMPARE(f.chart.points().points.size(), std::size_t(25));
    // A person may turn it round; the front follows.
    const auto before = f.chart.points().front;
    xDirection->setCurrentIndex(xDirection->findData(int(Direction::Maximize)));
    QCOMPARE(f.chart.points().x.direction, Direction::Maximize);
    QVERIFY(f.chart.points().front != before);
    // A new run's manifest puts the defaults back.
    f.chart.setManifest(guardedManifest());
    QCOMPARE(x->currentText(), QStringLiteral("clade.cost_usd"));
}

void TestMetricChart::clickingAFrontPointSelectsItsNode()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.chart));
    QSignalSpy clicked(&f.chart, &MetricChart::nodeClicked);
    const int id = f.chart.points().front.back();
    const models::MetricPoint* point = f.chart.points().point(id);
    QChartView* view = f.chart.chartView();
    QCoreApplication::processEvents();
    const QPointF scene =
        view->chart()->mapToPosition(QPointF(point->x, point->y), f.chart.frontSeries());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(scene));
    QTRY_COMPARE(clicked.count(), 1);
    QCOMPARE(clicked.front().front().toInt(), id);

    f.chart.setCurrentNode(id);
    auto* ring = qobject_cast<QScatterSeries*>(view->chart()->series().back());
    QCOMPARE(ring->count(), 1);
    QCOMPARE(ring->at(0), QPointF(point->x, point->y));
    QCOMPARE(f.chart.frontList()->currentItem()->data(0, Qt::UserRole).toInt(), id);
    f.chart.setCurrentNode(25); // running: no point
    QCOMPARE(ring->count(), 0);
}

void TestMetricChart::frontListSelectsItsNode()
{
    Fixture f;
    QSignalSpy clicked(&f.chart, &MetricChart::nodeClicked);
    QTreeWidget* list = f.chart.frontList();
    QVERIFY(list->topLevelItemCount() >= 2);
    QTreeWidgetItem* item = list->topLevelItem(1);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(item).center());
    QTRY_COMPARE(clicked.count(), 1);
    const int id = clicked.front().front().toInt();
    QCOMPARE(id, item->data(0, Qt::UserRole).toInt());
    QVERIFY(f.chart.points().point(id)->onFront);
}

void TestMetricChart::followsTheModel()
{
    Fixture f;
    QSignalSpy refreshed(&f.chart, &MetricChart::refreshed);
    // Node 25 finishes: the best and cheapest yet, so the front is it alone.
    engine::Node done = testsupport::scoredNode(25, 3, {{"t0", 0.99}});
    done.proposer.cost = 0.001;
    done.metrics["clade.solve_seconds"] = 1.0;
    f.model.applyChanges({done});
    QVERIFY(f.chart.refreshPending());
    QVERIFY(refreshed.wait(10000));
    QCOMPARE(pointCount(f.chart), 26);
    QCOMPARE(f.chart.points().front, (std::vector<int>{0, 25})); // the root costs nothing
}

void TestMetricChart::screenshot()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.chart));
    f.chart.setCurrentNode(f.chart.points().front[f.chart.points().front.size() / 2]);
    const QString path = testsupport::saveScreenshot(f.chart, QStringLiteral("metric-chart.png"));
    QVERIFY(!path.isEmpty());
}

QTEST_MAIN(TestMetricChart)
#include "tst_metricchart.moc"
