// DGM's rules on synthetic archives: the parent weight, parent draws against their
// weights, staged evaluation, the archive update, and determinism.
#include "engine/strategy/DgmStrategy.h"
#include "engine/strategy/StagedEvaluation.h"
#include "engine/util/InputError.h"

#include "support/StrategySimulator.h"
#include "support/SyntheticNodes.h"

#include <QtTest>

#include <cmath>

using namespace clade::engine;

namespace {

double sigmoid(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

std::vector<std::string> taskList(int count)
{
    std::vector<std::string> tasks;
    for (int i = 0; i < count; ++i)
        tasks.push_back("t" + std::to_string(i));
    return tasks;
}

using testsupport::makeNode;

// `solved` ones followed by zeros, `count` results in all.
std::vector<double> solvedOf(int solved, int count)
{
    std::vector<double> r(static_cast<std::size_t>(count), 0.0);
    std::fill_n(r.begin(), solved, 1.0);
    return r;
}

// 0 (0.5) ─ 1 (0.8) ─ 3 (0.6); 0 ─ 2 (0.3) ─ 4 (0.9, reverted); 0 ─ 5 (failed).
// Children: 0 has 3 (the failed one counts), 1 and 2 have 1, 3 has none.
std::vector<Node> fourNodeArchive()
{
    std::vector<Node> nodes{makeNode(0, -1, {0.5}), makeNode(1, 0, {0.8}), makeNode(2, 0, {0.3}),
                            makeNode(3, 1, {0.6}), makeNode(4, 2, {0.9}),
                            makeNode(5, 0, {}, NodeStatus::Failed)};
    nodes[4].flags |= FlagReverted;
    return nodes;
}

const std::vector<double> kFourNodeWeights{sigmoid(0) / 4, sigmoid(3) / 2, sigmoid(-2) / 2,
                                           sigmoid(1) / 1};

} // namespace

class TestDgmStrategy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void weight_data()
    {
        QTest::addColumn<double>("solved");
        QTest::addColumn<int>("children");
        QTest::addColumn<double>("expected");
        QTest::newRow("half solved, no children") << 0.5 << 0 << 0.5;
        QTest::newRow("half solved, one child") << 0.5 << 1 << 0.25;
        QTest::newRow("all solved") << 1.0 << 0 << sigmoid(5);
        QTest::newRow("none solved, two children") << 0.0 << 2 << sigmoid(-5) / 3;
        QTest::newRow("0.8, one child") << 0.8 << 1 << sigmoid(3) / 2;
    }
    void weight()
    {
        QFETCH(double, solved);
        QFETCH(int, children);
        QFETCH(double, expected);
        QVERIFY(std::abs(dgmWeight(solved, children) - expected) < 1e-12);
    }

    void archiveWeights()
    {
        const auto nodes = fourNodeArchive();
        const auto tasks = taskList(1);
        const ArchiveView view(nodes, tasks, Direction::Maximize);
        const auto weights = dgmParentWeights(view);
        QCOMPARE(weights.size(), std::size_t(4)); // the reverted and the failed node are out
        for (int id = 0; id < 4; ++id)
            QVERIFY(std::abs(weights.at(id) - kFourNodeWeights[std::size_t(id)]) < 1e-12);
    }

    // 20000 parents drawn through next() against the weights: chi-square, 3 degrees of
    // freedom, under the 99.9% critical value 16.266.
    void parentDraws()
    {
        const auto nodes = fourNodeArchive();
        const auto tasks = taskList(1);
        const ArchiveView view(nodes, tasks, Direction::Maximize);
        DgmStrategy dgm(nlohmann::json{{"parents_per_generation", 1}}, 123);
        std::vector<int> observed(4, 0);
        const int draws = 20000;
        for (int i = 0; i < draws; ++i) {
            const Action action = dgm.next(view);
            QCOMPARE(int(action.kind), int(Action::Kind::Expand));
            QVERIFY(action.node >= 0 && action.node < 4);
            ++observed[std::size_t(action.node)];
        }
        double total = 0;
        for (const double w : kFourNodeWeights)
            total += w;
        double chi = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const double expected = draws * kFourNodeWeights[i] / total;
            chi += (observed[i] - expected) * (observed[i] - expected) / expected;
        }
        QVERIFY2(chi < 16.266, qPrintable(QString("chi-square %1").arg(chi)));
    }

    void stageEnds_data()
    {
        QTest::addColumn<QList<int>>("stages");
        QTest::addColumn<int>("tasks");
        QTest::addColumn<QList<int>>("ends");
        QTest::newRow("defaults over 200") << QList<int>{10, 50} << 200 << QList<int>{10, 60, 200};
        QTest::newRow("second stage cut short") << QList<int>{10, 50} << 30 << QList<int>{10, 30};
        QTest::newRow("first stage is everything") << QList<int>{10, 50} << 10 << QList<int>{10};
        QTest::newRow("exactly two stages") << QList<int>{10, 50} << 60 << QList<int>{10, 60};
        QTest::newRow("no stages: all at once") << QList<int>{} << 5 << QList<int>{5};
    }
    void stageEnds()
    {
        QFETCH(QList<int>, stages);
        QFETCH(int, tasks);
        QFETCH(QList<int>, ends);
        const auto got = clade::engine::stageEnds(std::vector<int>(stages.begin(), stages.end()), tasks);
        QCOMPARE(QList<int>(got.begin(), got.end()), ends);
    }

    // 100 tasks, stages end at 10, 60, 100. `others` are fully evaluated archived nodes
    // (the root first); the last node is the child under test.
    void stages_data()
    {
        QTest::addColumn<QList<double>>("others");
        QTest::addColumn<int>("results");
        QTest::addColumn<int>("solved");
        QTest::addColumn<int>("expectedTasks");
        QTest::newRow("new child: first stage") << QList<double>{0.5} << 0 << 0 << 10;
        QTest::newRow("first stage, 30%: stop") << QList<double>{0.5} << 10 << 3 << 0;
        QTest::newRow("first stage, 40%: second stage") << QList<double>{0.5} << 10 << 4 << 50;
        QTest::newRow("second stage above the only full score")
            << QList<double>{0.5} << 60 << 33 << 40;
        QTest::newRow("second stage equal to it: stop") << QList<double>{0.5} << 60 << 30 << 0;
        QTest::newRow("above the second best, below the best")
            << QList<double>{0.5, 0.8} << 60 << 36 << 40;
        QTest::newRow("below the second best") << QList<double>{0.7, 0.8} << 60 << 36 << 0;
        QTest::newRow("fully evaluated: done") << QList<double>{0.5} << 100 << 90 << 0;
    }
    void stages()
    {
        QFETCH(QList<double>, others);
        QFETCH(int, results);
        QFETCH(int, solved);
        QFETCH(int, expectedTasks);
        const auto tasks = taskList(100);
        std::vector<Node> nodes;
        for (const double score : others)
            nodes.push_back(makeNode(int(nodes.size()), nodes.empty() ? -1 : 0,
                                     std::vector<double>(100, score)));
        nodes.push_back(makeNode(int(nodes.size()), 0, solvedOf(solved, results)));
        const ArchiveView view(nodes, tasks, Direction::Maximize);
        DgmStrategy dgm({}, 1);
        const auto next = dgm.nextStageTasks(view, nodes.back());
        QCOMPARE(int(next.size()), expectedTasks);
        if (!next.empty())
            QCOMPARE(next.front(), tasks[std::size_t(results)]);
    }

    // The stage the explorer shows, from how many results a node has: stage ends
    // {2, 4, 5} over five tasks.
    void insightStages_data()
    {
        QTest::addColumn<int>("results");
        QTest::addColumn<int>("stage");
        QTest::addColumn<int>("stageEnd");
        QTest::newRow("none") << 0 << 0 << 0;
        QTest::newRow("first under way") << 1 << 1 << 2;
        QTest::newRow("first done") << 2 << 1 << 2;
        QTest::newRow("second under way") << 3 << 2 << 4;
        QTest::newRow("second done") << 4 << 2 << 4;
        QTest::newRow("all") << 5 << 3 << 5;
    }

    void insightStages()
    {
        QFETCH(int, results);
        QFETCH(int, stage);
        QFETCH(int, stageEnd);
        const std::vector<Node> nodes{makeNode(0, -1, {1, 1, 1, 1, 1}),
                                      makeNode(1, 0, std::vector<double>(std::size_t(results), 0.5))};
        const auto tasks = taskList(5);
        const ArchiveView view(nodes, tasks, Direction::Maximize);
        const auto insight = DgmStrategy({{"stage_tasks", {2, 2}}}, 1).insight(view);
        QVERIFY(insight);
        QCOMPARE(insight->stageEnds, (std::vector<int>{2, 4, 5}));
        const NodeInsight* node = insight->find(1);
        if (stage == 0) {
            QVERIFY(!node);
            return;
        }
        QVERIFY(node);
        QCOMPARE(node->stage, stage);
        QCOMPARE(node->stages, 3);
        QCOMPARE(node->stageTasksDone, results);
        QCOMPARE(node->stageTasksEnd, stageEnd);
    }

    void stagesSkipClosedNodes()
    {
        const auto tasks = taskList(100);
        std::vector<Node> nodes{makeNode(0, -1, {}), makeNode(1, 0, solvedOf(10, 10)),
                                makeNode(2, 0, solvedOf(10, 10)), makeNode(3, 0, {}, NodeStatus::AwaitingApproval),
                                makeNode(4, 0, {}, NodeStatus::Rejected)};
        nodes[1].flags |= FlagReverted;
        const std::set<int> blocked{2};
        const ArchiveView view = ArchiveView(nodes, tasks, Direction::Maximize).blocking(blocked);
        DgmStrategy dgm({}, 1);
        QCOMPARE(dgm.nextStageTasks(view, nodes[0]).size(), std::size_t(100)); // the root: all
        for (std::size_t i = 1; i < nodes.size(); ++i)
            QVERIFY(dgm.nextStageTasks(view, nodes[i]).empty());
    }

    void keepRule_data()
    {
        QTest::addColumn<QString>("archive");
        QTest::addColumn<bool>("minimize");
        QTest::addColumn<double>("root");
        QTest::addColumn<double>("child");
        QTest::addColumn<bool>("kept");
        QTest::newRow("keep_better within the margin") << "keep_better" << false << 0.5 << 0.45 << true;
        QTest::newRow("keep_better below it") << "keep_better" << false << 0.5 << 0.35 << false;
        QTest::newRow("keep_all keeps a poor child") << "keep_all" << false << 0.5 << 0.1 << true;
        QTest::newRow("minimize: 0.55 errors is within") << "keep_better" << true << 0.5 << 0.55 << true;
        QTest::newRow("minimize: 0.7 errors is not") << "keep_better" << true << 0.5 << 0.7 << false;
    }
    void keepRule()
    {
        QFETCH(QString, archive);
        QFETCH(bool, minimize);
        QFETCH(double, root);
        QFETCH(double, child);
        QFETCH(bool, kept);
        const std::vector<Node> nodes{makeNode(0, -1, {root}), makeNode(1, 0, {child})};
        const auto tasks = taskList(1);
        const ArchiveView view(nodes, tasks, minimize ? Direction::Minimize : Direction::Maximize);
        DgmStrategy dgm(nlohmann::json{{"archive", archive.toStdString()}}, 1);
        const auto childFlags = dgm.flagsAfterEvaluation(view, nodes[1]);
        QVERIFY(childFlags);
        QCOMPARE(bool(*childFlags & FlagKept), kept);
        QCOMPARE(bool(*childFlags & FlagReverted), !kept);
        QCOMPARE(*dgm.flagsAfterEvaluation(view, nodes[0]), unsigned(FlagKept));
    }

    // Root first; then a generation of two expansions; it waits for the generation's work
    // before drawing the next one; children finish their stages before more expansions.
    void generation()
    {
        const auto tasks = taskList(20);
        const std::set<int> none;
        DgmStrategy dgm({}, 5);
        std::vector<Node> fresh{makeNode(0, -1, {})};
        const ArchiveView start(fresh, tasks, Direction::Maximize);
        const Action root = dgm.next(start);
        QCOMPARE(int(root.kind), int(Action::Kind::Evaluate));
        QCOMPARE(root.tasks, tasks);

        const std::vector<Node> evaluated{makeNode(0, -1, solvedOf(10, 20))};
        const ArchiveView idle(evaluated, tasks, Direction::Maximize);
        QCOMPARE(int(dgm.next(idle).kind), int(Action::Kind::Expand));
        const ArchiveView onePending = idle.inFlight(none, 1);
        QCOMPARE(int(dgm.next(onePending).kind), int(Action::Kind::Expand)); // same generation
        const ArchiveView twoPending = idle.inFlight(none, 2);
        QCOMPARE(int(dgm.next(twoPending).kind), int(Action::Kind::Wait));

        const std::vector<Node> withChild{makeNode(0, -1, solvedOf(10, 20)), makeNode(1, 0, {})};
        const ArchiveView child =
            ArchiveView(withChild, tasks, Direction::Maximize).inFlight(none, 1);
        const Action first = dgm.next(child);
        QCOMPARE(int(first.kind), int(Action::Kind::Evaluate));
        QCOMPARE(first.node, 1);
        QCOMPARE(first.tasks.size(), std::size_t(10));

        const ArchiveView spent = idle.closedToExpansions();
        QCOMPARE(int(dgm.next(spent).kind), int(Action::Kind::Stop));
    }

    void sameSeedSameDecisions()
    {
        const auto tasks = taskList(30);
        const auto run = [&](std::uint64_t seed) {
            DgmStrategy dgm(nlohmann::json{{"archive", "keep_better"}, {"parents_per_generation", 3}}, seed);
            const auto solved = [](const Node& n, const std::string& task) {
                return double((n.id * 5 + int(task.size()) + task.back()) % 2);
            };
            testsupport::StrategySimulator simulator(tasks, solved);
            std::vector<std::pair<int, int>> decisions;
            for (const Action& action : simulator.run(dgm, 80))
                decisions.emplace_back(int(action.kind), action.node);
            return decisions;
        };
        const auto first = run(9);
        QCOMPARE(run(9), first);
        QVERIFY(run(10) != first);
    }

    void parameters()
    {
        const auto params = DgmStrategy(nlohmann::json{{"stage_tasks", {5, 20}}}, 1).parameters();
        QCOMPARE(params.at("stage_tasks").get<std::vector<int>>(), (std::vector<int>{5, 20}));
        QCOMPARE(params.at("parents_per_generation").get<int>(), 2);
        QCOMPARE(params.at("archive").get<std::string>(), std::string("keep_all"));
        QVERIFY_THROWS_EXCEPTION(InputError, DgmStrategy(nlohmann::json{{"parents", 1}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, DgmStrategy(nlohmann::json{{"parents_per_generation", 0}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, DgmStrategy(nlohmann::json{{"stage_tasks", {10, -1}}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, DgmStrategy(nlohmann::json{{"stage_threshold", 2}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, DgmStrategy(nlohmann::json{{"archive", "keep_some"}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, DgmStrategy(nlohmann::json{{"noise_margin", "x"}}, 1));
        QCOMPARE(QString::fromStdString(makeStrategy("dgm", nlohmann::json::object(), 1)->name()),
                 QString("dgm"));
    }
};

QTEST_GUILESS_MAIN(TestDgmStrategy)
#include "tst_dgmstrategy.moc"
