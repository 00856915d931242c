// Guards bind under every strategy: a child whose primary score beats every other node but
// which fails a guard is not kept, not a parent, not an elite and not the best. Each case
// runs twice on the same seed, with and without the guard, so the test also shows that the
// child would have won without it. And max_regression stops a slow drift.
#include "engine/eval/GuardCheck.h"
#include "engine/strategy/BestNode.h"
#include "engine/strategy/Strategy.h"
#include "engine/strategy/StrategyInsight.h"

#include "support/StrategySimulator.h"

#include <QtTest>

#include <cmath>

using namespace clade::engine;
using testsupport::StrategySimulator;

namespace {

const std::vector<std::string> kTasks{"t1", "t2", "t3", "t4"};
constexpr int kCheater = 1; // the root's first child

// The cheater solves every task, and takes 50 s to do it; every other node scores a
// little better the later it comes, never near 1, in 1 s.
double score(const Node& node, const std::string& /*task*/)
{
    return node.id == kCheater ? 1.0 : std::min(0.3 + 0.004 * node.id, 0.8);
}

std::map<std::string, double> metrics(const Node& node)
{
    return {{"seconds", node.id == kCheater ? 50.0 : 1.0}};
}

const std::vector<GuardMetric> kGuard{{"seconds", Direction::Minimize, 10.0, std::nullopt}};

struct Outcome {
    bool evaluated = false;
    bool kept = false;
    int children = 0;        ///< nodes whose primary parent is the cheater
    bool best = false;
    bool elite = false;      ///< islands: an elite of some island
    double cladeSuccesses = 0; ///< hgm: what its clade is credited with
};

Outcome play(const std::string& strategyName, bool guarded, int steps = 80)
{
    StrategySimulator sim(kTasks, score);
    sim.reportingMetrics(metrics).childBudget(30);
    if (guarded)
        sim.guardedBy(kGuard);
    const auto strategy = makeStrategy(strategyName, nlohmann::json::object(), 7);
    sim.run(*strategy, steps);

    Outcome out;
    const Node& cheater = sim.nodes().at(kCheater);
    out.evaluated = cheater.status == NodeStatus::Evaluated;
    out.kept = cheater.hasFlag(FlagKept);
    for (const Node& node : sim.nodes())
        out.children += node.primaryParent() == kCheater;
    out.best = bestNode(sim.view()) == kCheater;
    if (const auto insight = strategy->insight(sim.view())) {
        if (const auto it = insight->nodes.find(kCheater); it != insight->nodes.end()) {
            out.elite = !it->second.eliteOf.empty();
            out.cladeSuccesses = it->second.cladeSuccesses;
        }
    }
    return out;
}

int depth(const std::vector<Node>& nodes, const Node& node)
{
    int d = 0;
    for (int parent = node.primaryParent(); parent >= 0; parent = nodes.at(size_t(parent)).primaryParent())
        ++d;
    return d;
}

} // namespace

class TestGuardStrategies : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cheaterNeverWins_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<bool>("keeps");     // the strategy flags the nodes it keeps
        QTest::addColumn<bool>("elites");    // the strategy has elites
        QTest::addColumn<bool>("clades");    // the strategy pools clade statistics
        QTest::newRow("sica") << "sica" << true << false << false;
        QTest::newRow("adas") << "adas" << true << false << false;
        QTest::newRow("dgm") << "dgm" << true << false << false;
        QTest::newRow("hgm") << "hgm" << false << false << true;
        QTest::newRow("islands") << "islands" << true << true << false;
    }

    void cheaterNeverWins()
    {
        QFETCH(QString, strategy);
        QFETCH(bool, keeps);
        QFETCH(bool, elites);
        QFETCH(bool, clades);

        // Without the guard the cheater wins: kept, built on, an elite, the best.
        const Outcome free = play(strategy.toStdString(), false);
        QVERIFY(free.evaluated);
        QVERIFY(free.best);
        QVERIFY2(free.children > 0, "without the guard the cheater should be built on");
        if (keeps)
            QVERIFY(free.kept);
        if (elites)
            QVERIFY(free.elite);
        if (clades)
            QVERIFY(free.cladeSuccesses > 0);

        // With it, none of that: it is evaluated (it had to be, to fail), and that is all.
        const Outcome guarded = play(strategy.toStdString(), true);
        QVERIFY(guarded.evaluated);
        QVERIFY(!guarded.best);
        QCOMPARE(guarded.children, 0);
        QVERIFY(!guarded.kept);
        QVERIFY(!guarded.elite);
        QCOMPARE(guarded.cladeSuccesses, 0.0);
    }

    // Each child is a little better and 5% slower than its parent. max_regression 0.2 lets
    // the lineage grow while it is within 20% of the fastest ancestor (the root), then
    // stops it: 1.05^4 = 1.2155.
    void maxRegressionStopsADrift_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("sica") << "sica";
        QTest::newRow("adas") << "adas";
        QTest::newRow("dgm") << "dgm";
    }

    void maxRegressionStopsADrift()
    {
        QFETCH(QString, strategy);
        std::vector<Node> nodesSeen;
        const auto deepest = [&](bool guarded, int& deepestKept, int& deepestAny) {
            // Depth is read from the parent chain at evaluation time.
            std::map<int, int> depthOf{{0, 0}};
            StrategySimulator sim(kTasks, [&](const Node& node, const std::string&) {
                return 0.3 + 0.05 * depthOf[node.id];
            });
            sim.reportingMetrics([&](const Node& node) {
                return std::map<std::string, double>{{"seconds", std::pow(1.05, depthOf[node.id])}};
            });
            sim.childBudget(25);
            if (guarded)
                sim.guardedBy({{"seconds", Direction::Minimize, std::nullopt, 0.2}});
            const auto s = makeStrategy(strategy.toStdString(), nlohmann::json::object(), 3);
            sim.run(*s, 120, [&](const ArchiveView& view, const Action& action) {
                if (action.kind == Action::Kind::Expand)
                    depthOf[static_cast<int>(view.nodes.size())] = depthOf[action.node] + 1;
            });
            deepestKept = deepestAny = 0;
            for (const Node& node : sim.nodes()) {
                const int d = depth(sim.nodes(), node);
                QCOMPARE(d, depthOf[node.id]);
                deepestAny = std::max(deepestAny, d);
                if (node.status == NodeStatus::Evaluated && sim.view().passesGuards(node) &&
                    !node.hasFlag(FlagReverted))
                    deepestKept = std::max(deepestKept, d);
            }
            nodesSeen = sim.nodes();
        };
        int keptFree = 0, anyFree = 0, keptGuarded = 0, anyGuarded = 0;
        deepest(false, keptFree, anyFree);
        deepest(true, keptGuarded, anyGuarded);
        QVERIFY2(anyFree >= 6, qPrintable(QString("the unguarded lineage reached depth %1").arg(anyFree)));
        QCOMPARE(keptGuarded, 3); // 1.05^3 = 1.158: within 20% of the root
        QCOMPARE(anyGuarded, 4);  // the first over 20% is evaluated, never built on
        // Every node at depth 4 failed the guard.
        for (const Node& node : nodesSeen)
            if (depth(nodesSeen, node) == 4)
                QVERIFY(!passesGuards({{"seconds", Direction::Minimize, std::nullopt, 0.2}}, node,
                                      nodesSeen));
    }
};

QTEST_GUILESS_MAIN(TestGuardStrategies)
#include "tst_guardstrategies.moc"
