#include "models/MetricPoints.h"

#include "support/SyntheticNodes.h"

#include <QtTest>

#include <algorithm>

using namespace clade;
using engine::Direction;
using engine::Objective;

namespace {

/// An evaluated node scored `score` on one task, that cost `cost` USD and took
/// `solveSeconds` to solve it.
engine::Node node(int id, int parent, double score, double cost, double solveSeconds = 1)
{
    engine::Node n = testsupport::scoredNode(id, parent, {{"t0", score}});
    n.proposer.cost = cost;
    n.metrics["clade.solve_seconds"] = solveSeconds;
    n.metrics["accuracy"] = score;
    return n;
}

engine::Manifest manifest(std::vector<engine::GuardMetric> guards = {})
{
    engine::Manifest m;
    m.primaryMetric = "score";
    m.direction = Direction::Maximize;
    m.guards = std::move(guards);
    return m;
}

// Score against cost: 2 is dominated by 1 (worse and dearer), 4 by 3.
std::vector<engine::Node> run()
{
    return {node(0, -1, 0.50, 0.00), node(1, 0, 0.60, 0.02), node(2, 0, 0.55, 0.03),
            node(3, 1, 0.80, 0.05),  node(4, 1, 0.70, 0.06), node(5, 3, 0.90, 0.10)};
}

const Objective Cost{"clade.cost_usd", Direction::Minimize, false};
const Objective Score{"score", Direction::Maximize, true};

std::vector<int> ids(const std::vector<models::MetricPoint>& points)
{
    std::vector<int> out;
    for (const auto& p : points)
        out.push_back(p.id);
    return out;
}

bool hasChoice(const std::vector<Objective>& choices, const std::string& name)
{
    return std::any_of(choices.begin(), choices.end(),
                       [&](const Objective& o) { return o.name == name && !o.primary; });
}

} // namespace

class TestMetricPoints : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void frontOfScoreAgainstCost();
    void guardFailingNodesAreLeftOffTheFront();
    void onlyEvaluatedNodesWithBothValuesArePoints();
    void frontStepsCornerAtTheWorseValues_data();
    void frontStepsCornerAtTheWorseValues();
    void axisChoicesListEngineMetrics();
    void defaultAxes_data();
    void defaultAxes();
    void defaultDirection_data();
    void defaultDirection();
    void axisTitleNamesUnitAndDirection();
};

void TestMetricPoints::frontOfScoreAgainstCost()
{
    const auto points = models::MetricPoints::compute(run(), manifest(), Cost, Score);
    QCOMPARE(ids(points.points), (std::vector<int>{0, 1, 2, 3, 4, 5}));
    QCOMPARE(points.front, (std::vector<int>{0, 1, 3, 5}));
    QVERIFY(points.point(3)->onFront);
    QVERIFY(!points.point(4)->onFront);
    QCOMPARE(points.point(4)->x, 0.06);
    QCOMPARE(points.point(4)->y, 0.70);
    QCOMPARE(points.passing, 6);
    QCOMPARE(points.failing, 0);
}

// Node 6 is better and cheaper than every other, but too slow for its guard: the front is
// drawn over the nodes the search may build on, so it is not on it and hides no one.
void TestMetricPoints::guardFailingNodesAreLeftOffTheFront()
{
    auto nodes = run();
    nodes.push_back(node(6, 5, 0.95, 0.01, 9.0));
    const auto m = manifest({{"clade.solve_seconds_per_task", Direction::Minimize, 2.0, {}}});
    const auto points = models::MetricPoints::compute(nodes, m, Cost, Score);
    QCOMPARE(points.points.size(), std::size_t(7));
    const models::MetricPoint* slow = points.point(6);
    QVERIFY(slow);
    QVERIFY(!slow->passesGuards);
    QVERIFY(!slow->onFront);
    QVERIFY2(QString::fromStdString(slow->guardFailures).contains("past its limit"),
             slow->guardFailures.c_str());
    QCOMPARE(points.front, (std::vector<int>{0, 1, 3, 5}));
    QCOMPARE(points.passing, 6);
    QCOMPARE(points.failing, 1);
}

void TestMetricPoints::onlyEvaluatedNodesWithBothValuesArePoints()
{
    auto nodes = run();
    engine::Node proposed = testsupport::makeNode(6, 5, {});
    engine::Node noAccuracy = node(7, 5, 0.99, 0.01);
    noAccuracy.metrics.erase("accuracy");
    nodes.push_back(proposed);
    nodes.push_back(noAccuracy);
    const Objective accuracy{"accuracy", Direction::Maximize, false};
    const auto points = models::MetricPoints::compute(nodes, manifest(), Cost, accuracy);
    QCOMPARE(ids(points.points), (std::vector<int>{0, 1, 2, 3, 4, 5}));
    QCOMPARE(points.withoutValues, 1); // 7; the proposed node is not evaluated at all
    QCOMPARE(points.front, (std::vector<int>{0, 1, 3, 5}));
}

void TestMetricPoints::frontStepsCornerAtTheWorseValues_data()
{
    QTest::addColumn<int>("xDirection");
    QTest::addColumn<QList<QPointF>>("expected");
    // Cheaper is better: the best score for a budget holds until the next dearer point.
    QTest::newRow("x minimized") << int(Direction::Minimize)
                                 << QList<QPointF>{{0.00, 0.50}, {0.02, 0.50}, {0.02, 0.60},
                                                   {0.05, 0.60}, {0.05, 0.80}, {0.10, 0.80},
                                                   {0.10, 0.90}};
    // Both maximized: only the dearest node is on the front.
    QTest::newRow("x maximized") << int(Direction::Maximize) << QList<QPointF>{{0.10, 0.90}};
}

void TestMetricPoints::frontStepsCornerAtTheWorseValues()
{
    QFETCH(int, xDirection);
    QFETCH(QList<QPointF>, expected);
    Objective x = Cost;
    x.direction = static_cast<Direction>(xDirection);
    const auto points = models::MetricPoints::compute(run(), manifest(), x, Score);
    QCOMPARE(points.frontSteps(), expected);
}

void TestMetricPoints::axisChoicesListEngineMetrics()
{
    auto nodes = run();
    nodes[1].metrics["score"] = 0.6; // a harness that also reports its primary by name
    const auto m = manifest({{"clade.solve_seconds_per_task", Direction::Minimize, 2.0, {}},
                             {"latency_ms", Direction::Minimize, {}, {}}});
    const auto choices = models::axisChoices(nodes, m);
    QVERIFY(!choices.empty());
    QCOMPARE(choices.front(), Score);
    for (const char* name :
         {"clade.cost_usd", "clade.cost_usd_per_task", "clade.tokens", "clade.solve_seconds",
          "clade.solve_seconds_per_task", "clade.diff_lines", "accuracy", "latency_ms"})
        QVERIFY2(hasChoice(choices, name), name);
    QVERIFY(!hasChoice(choices, "score"));
    const auto named = [&](const std::string& name) {
        return *std::find_if(choices.begin(), choices.end(),
                             [&](const Objective& o) { return o.name == name; });
    };
    QCOMPARE(named("accuracy").direction, Direction::Maximize);
    QCOMPARE(named("clade.tokens").direction, Direction::Minimize);
    QCOMPARE(named("latency_ms").direction, Direction::Minimize); // the guard's, not a guess
}

void TestMetricPoints::defaultAxes_data()
{
    QTest::addColumn<bool>("offline");
    QTest::addColumn<bool>("guarded");
    QTest::addColumn<QString>("x");
    QTest::newRow("costs") << false << true << "clade.cost_usd";
    QTest::newRow("offline, guarded") << true << true << "throughput";
    QTest::newRow("offline, no guard") << true << false << "clade.solve_seconds_per_task";
}

void TestMetricPoints::defaultAxes()
{
    QFETCH(bool, offline);
    QFETCH(bool, guarded);
    QFETCH(QString, x);
    auto nodes = run();
    if (offline)
        for (auto& n : nodes)
            n.proposer.cost = 0;
    const auto m = guarded ? manifest({{"throughput", Direction::Maximize, {}, {}}}) : manifest();
    const models::MetricAxes axes = models::defaultAxes(nodes, m);
    QCOMPARE(axes.y, Score);
    QCOMPARE(QString::fromStdString(axes.x.name), x);
    QVERIFY(!axes.x.primary);
    QCOMPARE(axes.x.direction, x == "throughput" ? Direction::Maximize : Direction::Minimize);
}

void TestMetricPoints::defaultDirection_data()
{
    QTest::addColumn<QString>("metric");
    QTest::addColumn<bool>("minimize");
    QTest::newRow("cost") << "clade.cost_usd" << true;
    QTest::newRow("seconds") << "clade.solve_seconds_per_task" << true;
    QTest::newRow("tokens") << "prompt_tokens" << true;
    QTest::newRow("memory") << "peak_memory_kb" << true;
    QTest::newRow("diff") << "clade.diff_files" << true;
    QTest::newRow("risk") << "clade.risk_findings" << true;
    QTest::newRow("a score") << "accuracy" << false;
    QTest::newRow("a count of passes") << "tests_passed" << false;
}

void TestMetricPoints::defaultDirection()
{
    QFETCH(QString, metric);
    QFETCH(bool, minimize);
    QCOMPARE(models::defaultMetricDirection(metric.toStdString()),
             minimize ? Direction::Minimize : Direction::Maximize);
}

void TestMetricPoints::axisTitleNamesUnitAndDirection()
{
    QCOMPARE(models::axisTitle(Cost), QStringLiteral("clade.cost_usd (USD), lower is better"));
    QCOMPARE(models::axisTitle(Score), QStringLiteral("score (primary), higher is better"));
    QCOMPARE(models::axisTitle({"clade.solve_seconds_per_task", Direction::Minimize, false}),
             QStringLiteral("clade.solve_seconds_per_task (s per task), lower is better"));
    QCOMPARE(models::axisTitle({"accuracy", Direction::Maximize, false}),
             QStringLiteral("accuracy, higher is better"));
}

QTEST_GUILESS_MAIN(TestMetricPoints)
#include "tst_metricpoints.moc"
