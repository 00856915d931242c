// Islands with MAP-Elites grids: the cell of a node, the elite rule, ring migration, the
// island turns, the parent-sampling mixture and determinism for a seed.
#include "engine/strategy/IslandsStrategy.h"
#include "engine/strategy/StrategyParams.h"
#include "engine/util/InputError.h"

#include "support/StrategySimulator.h"

#include <QtTest>

#include <array>
#include <cmath>
#include <optional>

using namespace clade::engine;

namespace {

const std::vector<std::string> kTasks{"t0"};

Node evaluated(int id, int parent, double score, std::map<std::string, double> metrics = {})
{
    Node n;
    n.id = id;
    if (id > 0)
        n.parents = {parent};
    n.status = NodeStatus::Evaluated;
    n.score = score;
    n.results["t0"] = score;
    n.metrics = std::move(metrics);
    return n;
}

// Features with cell = floor(m) for m in [0, 10).
const nlohmann::json kOneDim = nlohmann::json::array({{{"metric", "m"}, {"min", 0}, {"max", 10}, {"bins", 10}}});

// "0:4 1:1 6:6": cell:elite of one island's grid.
QString describe(const std::map<int, int>& grid)
{
    QStringList parts;
    for (const auto& [cell, id] : grid)
        parts << QString("%1:%2").arg(cell).arg(id);
    return parts.join(' ');
}

// The migration archive: K = 3, cell = m; see migration_data for what each node does.
std::vector<Node> migrationArchive()
{
    return {evaluated(0, -1, 0.5, {{"m", 0}}), evaluated(1, 0, 0.6, {{"m", 1}}),
            evaluated(2, 0, 0.7, {{"m", 2}}),  evaluated(3, 0, 0.4, {{"m", 0}}),
            evaluated(4, 1, 0.9, {{"m", 0}}),  evaluated(5, 2, 0.3, {{"m", 5}}),
            evaluated(6, 0, 0.2, {{"m", 6}})};
}

double simulatedScore(int id)
{
    return 0.5 + 0.4 * std::sin(id * 1.7);
}

// Runs a search of `iterations` expansions with one worker, as RunEngine does; lists the
// actions. When `fresh` is set, every decision is also asked of a new strategy (a resumed
// run) and must be the same.
std::vector<std::string> simulate(const nlohmann::json& params, std::uint64_t seed, int iterations,
                                  bool fresh = false)
{
    IslandsStrategy strategy(params, seed);
    testsupport::StrategySimulator simulator(kTasks, [](const Node& node, const std::string&) {
        return simulatedScore(node.id);
    });
    simulator.childBudget(iterations).reportingMetrics([](const Node& node) {
        return std::map<std::string, double>{{"m", (node.id * 37) % 10}};
    });
    int step = 0;
    std::optional<int> differs;
    testsupport::StrategySimulator::Observer resume;
    if (fresh)
        resume = [&](const ArchiveView& view, const Action& action) {
            const Action resumed = IslandsStrategy(params, seed).next(view);
            if (!differs && (resumed.kind != action.kind || resumed.node != action.node))
                differs = step;
            ++step;
        };
    const auto actions = simulator.run(strategy, 4 * iterations, resume);
    if (differs)
        return {"a resumed strategy decided differently at step " + std::to_string(*differs)};
    std::vector<std::string> log;
    for (const Action& action : actions)
        log.push_back(std::to_string(int(action.kind)) + ":" + std::to_string(action.node) + " " +
                      action.reason);
    return log;
}

} // namespace

class TestIslandsStrategy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cell_data()
    {
        QTest::addColumn<QString>("features"); // "metric,min,max,bins;..."; empty: default
        QTest::addColumn<QString>("metrics");  // "name=value ..."
        QTest::addColumn<int>("diffLines");
        QTest::addColumn<int>("expected");
        QTest::newRow("lowest bin") << "bins_used,0,300,10" << "bins_used=0" << 0 << 0;
        QTest::newRow("just below a bin edge") << "bins_used,0,300,10" << "bins_used=29.99" << 0 << 0;
        QTest::newRow("on a bin edge") << "bins_used,0,300,10" << "bins_used=30" << 0 << 1;
        QTest::newRow("top bin") << "bins_used,0,300,10" << "bins_used=299" << 0 << 9;
        QTest::newRow("the maximum is in the top bin") << "bins_used,0,300,10" << "bins_used=300" << 0 << 9;
        QTest::newRow("above the range: clamped") << "bins_used,0,300,10" << "bins_used=1000" << 0 << 9;
        QTest::newRow("below the range: clamped") << "bins_used,0,300,10" << "bins_used=-5" << 0 << 0;
        QTest::newRow("missing metric: lowest bin") << "bins_used,0,300,10" << "other=200" << 0 << 0;
        QTest::newRow("negative range") << "x,-1,1,4" << "x=0.1" << 0 << 2;
        QTest::newRow("two dimensions, row-major") << "a,0,1,4;b,0,10,5" << "a=0.5 b=7" << 0 << 2 * 5 + 3;
        QTest::newRow("three dimensions") << "a,0,1,2;b,0,1,3;c,0,1,4" << "a=0.9 b=0.5 c=0.3" << 0
                                          << (1 * 3 + 1) * 4 + 1;
        QTest::newRow("default: diff size over 0..200 in 10 bins") << "" << "" << 45 << 2;
        QTest::newRow("default: a large diff is in the top bin") << "" << "" << 5000 << 9;
        QTest::newRow("a diff_size metric wins over the diff") << "" << "diff_size=199" << 45 << 9;
    }
    void cell()
    {
        QFETCH(QString, features);
        QFETCH(QString, metrics);
        QFETCH(int, diffLines);
        QFETCH(int, expected);
        std::vector<FeatureDimension> dims = defaultFeatures();
        if (!features.isEmpty()) {
            nlohmann::json spec = nlohmann::json::array();
            for (const auto& d : features.split(';')) {
                const auto f = d.split(',');
                spec.push_back({{"metric", f[0].toStdString()}, {"min", f[1].toDouble()},
                                {"max", f[2].toDouble()}, {"bins", f[3].toInt()}});
            }
            dims = parseFeatures(spec);
        }
        Node node = evaluated(1, 0, 0.5);
        for (const auto& m : metrics.split(' ', Qt::SkipEmptyParts))
            node.metrics[m.section('=', 0, 0).toStdString()] = m.section('=', 1).toDouble();
        node.diff.insertions = diffLines / 3;
        node.diff.deletions = diffLines - diffLines / 3;
        QCOMPARE(cellOf(node, dims), expected);
    }

    void eliteRule_data()
    {
        QTest::addColumn<double>("incumbent"); // NaN: the cell is empty
        QTest::addColumn<double>("candidate");
        QTest::addColumn<bool>("minimize");
        QTest::addColumn<bool>("replaces");
        QTest::newRow("empty cell") << qQNaN() << 0.1 << false << true;
        QTest::newRow("higher replaces") << 0.5 << 0.6 << false << true;
        QTest::newRow("a tie keeps the older") << 0.5 << 0.5 << false << false;
        QTest::newRow("lower does not") << 0.5 << 0.4 << false << false;
        QTest::newRow("minimize: lower replaces") << 0.5 << 0.4 << true << true;
        QTest::newRow("minimize: higher does not") << 0.5 << 0.6 << true << false;
    }
    void eliteRule()
    {
        QFETCH(double, incumbent);
        QFETCH(double, candidate);
        QFETCH(bool, minimize);
        QFETCH(bool, replaces);
        const std::vector<Node> nodes{evaluated(0, -1, std::isnan(incumbent) ? 0 : incumbent),
                                      evaluated(1, 0, candidate)};
        const ArchiveView view(nodes, kTasks, minimize ? Direction::Minimize : Direction::Maximize);
        IslandArchive archive;
        archive.grids.resize(1);
        if (!std::isnan(incumbent))
            archive.grids[0][3] = 0;
        QCOMPARE(archive.offer(view, 0, 3, nodes[1]), replaces);
        QCOMPARE(archive.grids[0].at(3), replaces ? 1 : 0);
    }

    void gridSkipsBlockedAndReverted()
    {
        // Island 0 (K = 1): nodes 1, 2, 3 share cell 0 with the root; the best two are out.
        std::vector<Node> nodes{evaluated(0, -1, 0.1), evaluated(1, 0, 0.3), evaluated(2, 0, 0.9),
                                evaluated(3, 0, 0.8)};
        nodes[3].flags |= FlagReverted;
        const std::set<int> blocked{2};
        const ArchiveView open(nodes, kTasks, Direction::Maximize);
        const ArchiveView view = open.blocking(blocked);
        IslandSettings settings;
        settings.islands = 1;
        const auto archive = IslandArchive::build(view, settings, 4);
        QCOMPARE(describe(archive.grids[0]), QString("0:1"));
        QCOMPARE(describe(IslandArchive::build(open, settings, 4).grids[0]), QString("0:2"));
    }

    void islandTurns_data()
    {
        QTest::addColumn<int>("id");
        QTest::addColumn<int>("islands");
        QTest::addColumn<int>("expected");
        QTest::newRow("the root seeds all") << 0 << 5 << -1;
        QTest::newRow("first child: island 0") << 1 << 5 << 0;
        QTest::newRow("fifth: island 4") << 5 << 5 << 4;
        QTest::newRow("sixth: back to island 0") << 6 << 5 << 0;
        QTest::newRow("one island") << 17 << 1 << 0;
    }
    void islandTurns()
    {
        QFETCH(int, id);
        QFETCH(int, islands);
        QFETCH(int, expected);
        QCOMPARE(islandOf(id, islands), expected);
    }

    void migration_data()
    {
        // K = 3 islands, cell = m. Node (island, cell, score):
        //   0 (all, 0, 0.5)  1 (0, 1, 0.6)  2 (1, 2, 0.7)  3 (2, 0, 0.4: loses to the root)
        //   4 (0, 0, 0.9: takes island 0's cell 0)  5 (1, 5, 0.3)  6 (2, 6, 0.2)
        // With interval 1 the islands migrate after ids 3 and 6; with 2, after id 6 only.
        QTest::addColumn<int>("interval");
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("nodes"); // the first n nodes; the next child gets id n
        QTest::addColumn<QString>("grids");
        QTest::newRow("before the first boundary: no migration")
            << 1 << 1.0 << 3 << "0:0 1:1|0:0 2:2|0:0";
        QTest::newRow("after one generation: 1 to island 1, 2 to island 2")
            << 1 << 1.0 << 4 << "0:0 1:1|0:0 1:1 2:2|0:0 2:2";
        QTest::newRow("second migration: migrants are not sent on, the ring closes")
            << 1 << 1.0 << 7 << "0:4 1:1 6:6|0:4 1:1 2:2 5:5|0:0 2:2 5:5 6:6";
        QTest::newRow("interval 2: nothing after one generation")
            << 2 << 1.0 << 6 << "0:4 1:1|0:0 2:2 5:5|0:0";
        QTest::newRow("interval 2: migration after two")
            << 2 << 1.0 << 7 << "0:4 1:1 6:6|0:4 1:1 2:2 5:5|0:0 2:2 5:5 6:6";
        QTest::newRow("rate 0.5: only the best half (rounded up) of each island's own elites")
            << 1 << 0.5 << 7 << "0:4 1:1 6:6|0:4 1:1 2:2 5:5|0:0 2:2 6:6";
        QTest::newRow("rate 0: islands stay apart") << 1 << 0.0 << 7 << "0:4 1:1|0:0 2:2 5:5|0:0 6:6";
    }
    void migration()
    {
        QFETCH(int, interval);
        QFETCH(double, rate);
        QFETCH(int, nodes);
        QFETCH(QString, grids);
        auto all = migrationArchive();
        all.resize(static_cast<size_t>(nodes));
        const ArchiveView view(all, kTasks, Direction::Maximize);
        IslandsStrategy strategy({{"islands", 3},
                                  {"features", kOneDim},
                                  {"migration_interval", interval},
                                  {"migration_rate", rate}},
                                 1);
        const auto archive = IslandArchive::build(view, strategy.settings(), nodes);
        QStringList described;
        for (const auto& grid : archive.grids)
            described << describe(grid);
        QCOMPARE(described.join('|'), grids);
    }

    void samplingMixture_data()
    {
        QTest::addColumn<double>("exploration");
        QTest::addColumn<double>("exploitation");
        QTest::addColumn<double>("random");
        QTest::newRow("OpenEvolve's defaults") << 0.2 << 0.7 << 0.1;
        QTest::newRow("even") << 0.4 << 0.3 << 0.3;
    }
    void samplingMixture()
    {
        QFETCH(double, exploration);
        QFETCH(double, exploitation);
        QFETCH(double, random);
        // Ten expandable nodes; island 0's grid holds four of them, node 7 the best.
        std::vector<Node> nodes;
        for (int id = 0; id < 10; ++id)
            nodes.push_back(evaluated(id, 0, 0.1 + 0.01 * id));
        nodes[7].score = 0.99;
        const ArchiveView view(nodes, kTasks, Direction::Maximize);
        IslandArchive archive;
        archive.grids = {{{0, 1}, {1, 3}, {2, 7}, {3, 8}}};
        const SamplingRatios ratios{exploration, exploitation, random};
        std::array<double, 10> expected{};
        for (int id = 0; id < 10; ++id)
            expected[static_cast<size_t>(id)] = random / 10;
        for (int id : {1, 3, 7, 8})
            expected[static_cast<size_t>(id)] += exploration / 4;
        expected[7] += exploitation;

        const int draws = 20000;
        std::array<int, 10> counts{};
        std::array<int, 3> picks{};
        std::mt19937_64 rng(42);
        for (int i = 0; i < draws; ++i) {
            const auto choice = sampleParent(view, archive, 0, ratios, rng);
            QVERIFY(choice);
            ++counts[static_cast<size_t>(choice->node)];
            ++picks[static_cast<size_t>(choice->pick)];
        }
        double chi2 = 0;
        for (size_t id = 0; id < 10; ++id) {
            const double e = expected[id] * draws;
            chi2 += (counts[id] - e) * (counts[id] - e) / e;
        }
        QVERIFY2(chi2 < 27.877, qPrintable(QString("nodes: chi-square %1, 9 dof").arg(chi2)));
        const std::array<double, 3> share{exploration, exploitation, random};
        double chi2Picks = 0;
        for (size_t k = 0; k < 3; ++k)
            chi2Picks += std::pow(picks[k] - share[k] * draws, 2) / (share[k] * draws);
        QVERIFY2(chi2Picks < 13.816, qPrintable(QString("picks: chi-square %1, 2 dof").arg(chi2Picks)));
    }

    void nextAction_data()
    {
        QTest::addColumn<int>("archive"); // nodes 0..n-1 of the migration archive; 0: root proposed
        QTest::addColumn<QString>("evaluating");
        QTest::addColumn<int>("pending");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("reason"); // the reason's start
        using K = Action::Kind;
        QTest::newRow("fresh run evaluates the root") << 0 << "" << 0 << true << int(K::Evaluate) << "evaluate";
        QTest::newRow("root in flight: wait") << 0 << "0" << 0 << true << int(K::Wait) << "waiting";
        QTest::newRow("first expansion: island 0") << 1 << "" << 0 << true << int(K::Expand) << "island 0";
        QTest::newRow("a proposal in flight: the next island's turn")
            << 1 << "" << 1 << true << int(K::Expand) << "island 1";
        QTest::newRow("id 7 is island 0's again") << 7 << "" << 0 << true << int(K::Expand) << "island 0";
        QTest::newRow("budget used, work in flight: wait") << 4 << "3" << 0 << false << int(K::Wait) << "budget";
        QTest::newRow("budget used, idle: stop") << 4 << "" << 0 << false << int(K::Stop) << "budget";
    }
    void nextAction()
    {
        QFETCH(int, archive);
        QFETCH(QString, evaluating);
        QFETCH(int, pending);
        QFETCH(bool, allowed);
        QFETCH(int, kind);
        QFETCH(QString, reason);
        auto nodes = migrationArchive();
        nodes.resize(static_cast<size_t>(std::max(archive, 1)));
        if (archive == 0)
            nodes[0] = Node{};
        nodes[0].id = 0;
        const std::set<int> busy = testsupport::nodeIdsIn(evaluating);
        const ArchiveView view = ArchiveView(nodes, kTasks, Direction::Maximize)
                                     .inFlight(busy, pending)
                                     .allowingExpansions(allowed);
        IslandsStrategy strategy({{"islands", 3}, {"features", kOneDim}}, 1);
        const Action action = strategy.next(view);
        QCOMPARE(int(action.kind), kind);
        QVERIFY2(QString::fromStdString(action.reason).startsWith(reason), action.reason.c_str());
    }

    void proposedChildIsEvaluatedFirst()
    {
        auto nodes = migrationArchive();
        nodes[5].status = NodeStatus::AwaitingApproval; // never evaluated
        nodes[6] = Node{};
        nodes[6].id = 6;
        nodes[6].parents = {2};
        const ArchiveView view(nodes, kTasks, Direction::Maximize);
        const Action action = IslandsStrategy({}, 1).next(view);
        QCOMPARE(int(action.kind), int(Action::Kind::Evaluate));
        QCOMPARE(action.node, 6);
        QCOMPARE(action.tasks, kTasks);
    }

    void keptWhenElite()
    {
        const auto nodes = migrationArchive();
        const ArchiveView view(nodes, kTasks, Direction::Maximize);
        IslandsStrategy strategy({{"islands", 3}, {"features", kOneDim}}, 1);
        QVERIFY(strategy.flagsAfterEvaluation(view, nodes[4]).value_or(0) & FlagKept);
        QVERIFY(!strategy.flagsAfterEvaluation(view, nodes[3])); // lost to the root
    }

    // What the explorer shows: each node's island and cell, the islands it is an elite
    // of (migrants included), and the grids the next expansion sees.
    void insight()
    {
        const auto nodes = migrationArchive();
        const ArchiveView view(nodes, kTasks, Direction::Maximize);
        IslandsStrategy strategy(
            {{"islands", 3}, {"features", kOneDim}, {"migration_interval", 1}, {"migration_rate", 1.0}}, 1);
        const auto insight = strategy.insight(view);
        QVERIFY(insight && insight->elites);
        QStringList described;
        for (const auto& grid : insight->elites->grids)
            described << describe(grid);
        QCOMPARE(described.join('|'), QString("0:4 1:1 6:6|0:4 1:1 2:2 5:5|0:0 2:2 5:5 6:6"));
        QCOMPARE(insight->elites->features.size(), std::size_t(1));
        // id: island, cell, elite of
        const std::map<int, std::tuple<int, int, std::vector<int>>> expected{
            {0, {-1, 0, {2}}}, {1, {0, 1, {0, 1}}}, {3, {2, 0, {}}}, {4, {0, 0, {0, 1}}},
            {6, {2, 6, {0, 2}}}};
        for (const auto& [id, e] : expected) {
            const NodeInsight* node = insight->find(id);
            QVERIFY(node);
            QCOMPARE(node->island, std::get<0>(e));
            QCOMPARE(node->cell, std::get<1>(e));
            QCOMPARE(node->eliteOf, std::get<2>(e));
        }
    }

    void sameSeedSameDecisions()
    {
        const nlohmann::json params{{"features", kOneDim}};
        const auto first = simulate(params, 11, 40);
        QCOMPARE(first, simulate(params, 11, 40));
        QVERIFY(first.size() > 80);
        QVERIFY(QString::fromStdString(first.back()).startsWith("3:-1"));
        QVERIFY(first != simulate(params, 12, 40));
        // A fresh strategy (a resumed run) makes every decision the running one makes.
        QCOMPARE(simulate(params, 11, 40, true), first);
    }

    // OpenEvolve's cascade over 4 tasks in stages of 1, 1 and the rest (ends 1, 2, 4), with
    // thresholds 0.5 and 0.7: the child under test (id 1) goes on only while its mean so
    // far reaches the stage's threshold; one the cascade stopped is never a parent.
    void cascade_data()
    {
        QTest::addColumn<QString>("child");  // "p" proposed or "e" evaluated, then its scores
        QTest::addColumn<bool>("minimize");
        QTest::addColumn<QString>("tasks");  // evaluated next; empty: it is done or stopped
        QTest::addColumn<QString>("reason");
        QTest::newRow("a new child: the first stage") << "p" << false << "t0" << "cascade stage 1 of 3";
        QTest::newRow("stopped below the first threshold") << "e 0.4" << false << "" << "";
        QTest::newRow("on to the second stage") << "e 0.6" << false << "t1" << "cascade stage 2 of 3";
        QTest::newRow("on exactly at the threshold") << "e 0.5" << false << "t1" << "cascade stage 2 of 3";
        QTest::newRow("stopped below the second threshold") << "e 0.6 0.6" << false << "" << "";
        QTest::newRow("on to the rest") << "e 0.8 0.8" << false << "t2 t3" << "cascade stage 3 of 3";
        QTest::newRow("evaluated on every task: an elite") << "e 0.8 0.8 0.6 0.6" << false << "" << "";
        QTest::newRow("requeued mid-stage: what the stage lacks") << "p 0.8 0.8 0.9" << false << "t3" << "cascade stage 3 of 3";
        QTest::newRow("sent back with every result: all again") << "p 0.8 0.8 0.8 0.8" << false << "t0 t1 t2 t3" << "cascade stage 3 of 3";
        QTest::newRow("minimize: under the threshold goes on") << "e 0.4" << true << "t1" << "cascade stage 2 of 3";
        QTest::newRow("minimize: over it stops") << "e 0.6" << true << "" << "";
    }
    void cascade()
    {
        QFETCH(QString, child);
        QFETCH(bool, minimize);
        QFETCH(QString, tasks);
        QFETCH(QString, reason);
        const std::vector<std::string> fourTasks{"t0", "t1", "t2", "t3"};
        Node root = evaluated(0, -1, 0.5, {{"m", 0}});
        for (const auto& task : fourTasks)
            root.results[task] = 0.5;
        Node node;
        node.id = 1;
        node.parents = {0};
        const QStringList fields = child.split(' ', Qt::SkipEmptyParts);
        node.status = fields[0] == "p" ? NodeStatus::Proposed : NodeStatus::Evaluated;
        double sum = 0;
        for (int i = 1; i < fields.size(); ++i) {
            node.results[fourTasks[static_cast<size_t>(i - 1)]] = fields[i].toDouble();
            sum += fields[i].toDouble();
        }
        if (fields.size() > 1)
            node.score = sum / (fields.size() - 1);
        const std::vector<Node> nodes{root, node};
        const ArchiveView view(nodes, fourTasks,
                               minimize ? Direction::Minimize : Direction::Maximize);
        IslandsStrategy strategy({{"features", kOneDim}, {"cascade_tasks", {1, 1}},
                                  {"cascade_thresholds", {0.5, 0.7}}}, 1);
        const Action action = strategy.next(view);
        if (tasks.isEmpty()) {
            // Nothing left to evaluate: the search expands, and only from the root (the
            // child is either stopped, with part of the tasks, or an elite of its own).
            QVERIFY(action.kind == Action::Kind::Expand);
            QVERIFY(action.node == 0 || node.results.size() == fourTasks.size());
            const auto insight = strategy.insight(view);
            bool childIsElite = false;
            for (const auto& grid : insight->elites->grids)
                for (const auto& [cell, id] : grid)
                    childIsElite = childIsElite || id == 1;
            QCOMPARE(childIsElite, node.results.size() == fourTasks.size());
            return;
        }
        QVERIFY(action.kind == Action::Kind::Evaluate);
        QCOMPARE(action.node, 1);
        QStringList got;
        for (const auto& task : action.tasks)
            got << QString::fromStdString(task);
        QCOMPARE(got.join(' '), tasks);
        QCOMPARE(QString::fromStdString(action.reason), reason);
    }

    void cascadeParameters()
    {
        const auto params = IslandsStrategy({{"cascade_tasks", {2, 4}}, {"cascade_thresholds", {0.5, 0.9}}}, 1).parameters();
        QVERIFY(params.at("cascade_tasks") == nlohmann::json({2, 4}));
        QVERIFY(params.at("cascade_thresholds") == nlohmann::json({0.5, 0.9}));
        QVERIFY(IslandsStrategy({}, 1).parameters().at("cascade_tasks").empty());
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"cascade_tasks", {2, 4}}}, 1)); // no thresholds
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"cascade_tasks", {2}}, {"cascade_thresholds", {0.5, 0.9}}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"cascade_tasks", {0}}, {"cascade_thresholds", {0.5}}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"cascade_tasks", 2}, {"cascade_thresholds", {0.5}}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"cascade_tasks", {2}}, {"cascade_thresholds", {"high"}}}, 1));
        try {
            IslandsStrategy({{"cascade_tasks", {2, 4}}, {"cascade_thresholds", {0.5}}}, 1);
            QFAIL("accepted two stages with one threshold");
        } catch (const InputError& e) {
            QVERIFY2(std::string(e.what()).find("one threshold per stage") != std::string::npos, e.what());
        }
    }

    void parameters()
    {
        const auto defaults = IslandsStrategy({}, 1).parameters();
        QCOMPARE(defaults.at("islands").get<int>(), 5);
        QCOMPARE(defaults.at("migration_interval").get<int>(), 3);
        QCOMPARE(defaults.at("exploitation").get<double>(), 0.7);
        QCOMPARE(defaults.at("features").at(0).at("metric").get<std::string>(), std::string("diff_size"));
        // The new-run dialog shows the defaults as KEY=VALUE text; typed back, they are the same.
        nlohmann::json typed = nlohmann::json::object();
        for (const auto& pair : QString::fromStdString(describeStrategyParams(defaults)).split(' '))
            addStrategyParam(typed, pair.toStdString());
        QVERIFY(IslandsStrategy(typed, 1).parameters() == defaults);
        const nlohmann::json features = nlohmann::json::array(
            {{{"metric", "bins_used"}, {"min", 0}, {"max", 300}, {"bins", 10}}});
        QVERIFY(IslandsStrategy({{"features", features}}, 1).parameters().at("features") == features);
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"island", 3}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"islands", 0}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"islands", 2.5}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"migration_rate", 1.5}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"exploration", 0.5}}, 1)); // sum 1.3
        QVERIFY_THROWS_EXCEPTION(InputError, IslandsStrategy({{"features", "bins_used"}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 IslandsStrategy({{"features", nlohmann::json::array(
                                                      {{{"metric", "m"}, {"min", 1}, {"max", 1}}})}},
                                                 1));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 IslandsStrategy({{"features", nlohmann::json::array(
                                                      {{{"metric", "m"}, {"bins", 0}}})}},
                                                 1));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 IslandsStrategy({{"features", nlohmann::json::array(
                                                      {{{"metric", "m"}, {"colour", 1}}})}},
                                                 1));
        QCOMPARE(QString::fromStdString(makeStrategy("islands", nlohmann::json::object(), 1)->name()),
                 QString("islands"));
    }
};

QTEST_GUILESS_MAIN(TestIslandsStrategy)
#include "tst_islandsstrategy.moc"
