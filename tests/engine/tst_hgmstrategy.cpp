// HGM's rules on synthetic archives: the expand rule, clade pooling, Thompson draws against
// their exact probabilities, the decision sequence of a scripted run, and determinism.
#include "engine/strategy/HgmStrategy.h"
#include "engine/strategy/Sampling.h"
#include "engine/util/InputError.h"

#include "support/StrategySimulator.h"
#include "support/SyntheticNodes.h"

#include <QtTest>

#include <cmath>

using namespace clade::engine;

namespace {

const std::vector<std::string> kTasks{"t0", "t1", "t2", "t3", "t4"};

using testsupport::makeNode;

// Runs `strategy` for `steps` decisions with one worker, applying each action at once:
// an expansion adds a proposed child, an evaluation records `score(node, task)`.
std::vector<Action> simulate(Strategy& strategy, int steps,
                             const std::function<double(int, const std::string&)>& score)
{
    testsupport::StrategySimulator simulator(
        kTasks, [&](const Node& node, const std::string& task) { return score(node.id, task); });
    return simulator.run(strategy, steps);
}

QString kinds(const std::vector<Action>& actions)
{
    QString out;
    for (const auto& a : actions)
        out += a.kind == Action::Kind::Expand ? 'X' : a.kind == Action::Kind::Evaluate ? 'E' : '.';
    return out;
}

// Chi-square statistic of observed counts against expected probabilities.
double chiSquare(const std::vector<int>& observed, const std::vector<double>& probabilities)
{
    double total = 0;
    for (const int o : observed)
        total += o;
    double chi = 0;
    for (std::size_t i = 0; i < observed.size(); ++i) {
        const double expected = total * probabilities[i];
        chi += (observed[i] - expected) * (observed[i] - expected) / expected;
    }
    return chi;
}

} // namespace

class TestHgmStrategy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void expandRule_data()
    {
        QTest::addColumn<int>("evaluations");
        QTest::addColumn<int>("children");
        QTest::addColumn<double>("alpha");
        QTest::addColumn<bool>("expand");
        QTest::newRow("empty tree: 0^a >= 0") << 0 << 0 << 0.6 << true;
        QTest::newRow("one evaluation, one child") << 1 << 1 << 0.6 << true;
        QTest::newRow("3^0.6 = 1.93 < 2") << 3 << 2 << 0.6 << false;
        QTest::newRow("4^0.6 = 2.30 >= 2") << 4 << 2 << 0.6 << true;
        QTest::newRow("10^0.6 = 3.98 < 4") << 10 << 4 << 0.6 << false;
        QTest::newRow("11^0.6 = 4.21 >= 4") << 11 << 4 << 0.6 << true;
        QTest::newRow("100^0.6 = 15.85 < 16") << 100 << 16 << 0.6 << false;
        QTest::newRow("alpha 1: one child per evaluation") << 5 << 5 << 1.0 << true;
        QTest::newRow("alpha 0.5: 9^0.5 = 3 < 4") << 9 << 4 << 0.5 << false;
    }
    void expandRule()
    {
        QFETCH(int, evaluations);
        QFETCH(int, children);
        QFETCH(double, alpha);
        QFETCH(bool, expand);
        QCOMPARE(hgmShouldExpand(evaluations, children, alpha), expand);
    }

    void evaluationsCountWorkInFlight()
    {
        const std::vector<Node> nodes{makeNode(0, -1, {1, 0}), makeNode(1, 0, {1})};
        const std::set<int> busy{1};
        const ArchiveView view = ArchiveView(nodes, kTasks, Direction::Maximize).inFlight(busy, 2);
        QCOMPARE(hgmEvaluations(view), 4);
    }

    // Every result 1: the kinds follow the rule alone, evaluations^0.6 >= nodes - 1. The
    // first decision evaluates although the rule says expand: no node has solved anything.
    void decisionSequence()
    {
        HgmStrategy hgm({}, 11);
        const auto actions = simulate(hgm, 16, [](int, const std::string&) { return 1.0; });
        QCOMPARE(kinds(actions), QString("EXXEEEXEEEXEEEEX"));
        QCOMPARE(actions[0].node, 0);
        QCOMPARE(actions[1].node, 0); // the root is the only node that solved a task
        for (const auto& a : actions)
            if (a.kind == Action::Kind::Evaluate)
                QCOMPARE(a.tasks.size(), std::size_t(1));
    }

    // Pending proposals count as children: with 1 evaluation, one in flight is enough.
    void pendingExpansionsCount()
    {
        const std::vector<Node> nodes{makeNode(0, -1, {1})};
        const std::set<int> none;
        HgmStrategy hgm({}, 1);
        const ArchiveView idle(nodes, kTasks, Direction::Maximize);
        QCOMPARE(int(hgm.next(idle).kind), int(Action::Kind::Expand));
        const ArchiveView one = idle.inFlight(none, 1);
        QCOMPARE(int(hgm.next(one).kind), int(Action::Kind::Expand));
        const ArchiveView two = idle.inFlight(none, 2);
        QCOMPARE(int(hgm.next(two).kind), int(Action::Kind::Evaluate));
    }

    // With the budget spent, hgm still evaluates until its rule would expand again.
    void budget()
    {
        const std::vector<Node> nodes{makeNode(0, -1, {1}), makeNode(1, 0, {}),
                                      makeNode(2, 0, {})};
        HgmStrategy hgm({}, 1);
        const ArchiveView evaluate =
            ArchiveView(nodes, kTasks, Direction::Maximize).closedToExpansions();
        QCOMPARE(int(hgm.next(evaluate).kind), int(Action::Kind::Evaluate));
        const std::vector<Node> small{makeNode(0, -1, {1})};
        const ArchiveView expand =
            ArchiveView(small, kTasks, Direction::Maximize).closedToExpansions();
        QCOMPARE(int(hgm.next(expand).kind), int(Action::Kind::Stop));
        const std::set<int> busy{0};
        const ArchiveView waiting = expand.inFlight(busy, 0);
        QCOMPARE(int(hgm.next(waiting).kind), int(Action::Kind::Wait));
    }

    void pooledCounts()
    {
        // 0 ─ 1 ─ 2, 0 ─ 3 ─ 4 (4 blocked by a person)
        const std::vector<Node> nodes{makeNode(0, -1, {1, 0}), makeNode(1, 0, {1, 1}),
                                      makeNode(2, 1, {0}), makeNode(3, 0, {0.5}),
                                      makeNode(4, 3, {1, 1, 1})};
        const auto before = nodes;
        const std::set<int> blocked{4};
        const ArchiveView view = ArchiveView(nodes, kTasks, Direction::Maximize).blocking(blocked);
        const auto first = cladeCounts(view);
        const auto second = cladeCounts(view);
        const std::map<int, std::pair<double, double>> expected{
            {0, {1 + 2 + 0 + 0.5, 1 + 0 + 1 + 0.5}}, // own + 1 + 2 + 3
            {1, {2, 1}},
            {2, {0, 1}},
            {3, {0.5, 0.5}}, // 4 is blocked
            {4, {0, 0}}};
        for (const auto& [id, counts] : expected) {
            QCOMPARE(first.at(id).successes, counts.first);
            QCOMPARE(first.at(id).failures, counts.second);
            QCOMPARE(second.at(id).successes, counts.first);
            QCOMPARE(second.at(id).failures, counts.second);
        }
        for (std::size_t i = 0; i < nodes.size(); ++i)
            QCOMPARE(nodes[i].results, before[i].results);
        // The draws pool the same way every time, however often they run.
        HgmStrategy hgm({}, 5);
        for (int i = 0; i < 50; ++i)
            hgm.sampleParent(view);
        QCOMPARE(cladeCounts(view).at(0).successes, 3.5);
    }

    // The explorer's clade estimate: the pooled Beta's mean, blocked clades left out.
    void cladeEstimates()
    {
        const std::vector<Node> nodes{makeNode(0, -1, {1, 0}), makeNode(1, 0, {1, 1}),
                                      makeNode(2, 1, {0}), makeNode(3, 0, {0.5}),
                                      makeNode(4, 3, {1, 1, 1}), makeNode(5, 2, {})};
        const std::set<int> blocked{4};
        const ArchiveView view = ArchiveView(nodes, kTasks, Direction::Maximize).blocking(blocked);
        const auto insight = HgmStrategy({}, 1).insight(view);
        QVERIFY(insight);
        QVERIFY(insight->hasCladeEstimates());
        // node: successes, failures, nodes with results pooled
        const std::map<int, std::tuple<double, double, int>> expected{
            {0, {3.5, 2.5, 4}}, {1, {2, 1, 2}}, {2, {0, 1, 1}}, {3, {0.5, 0.5, 1}}};
        for (const auto& [id, e] : expected) {
            const NodeInsight* node = insight->find(id);
            QVERIFY2(node, qPrintable(QString("node %1").arg(id)));
            QCOMPARE(node->cladeSuccesses, std::get<0>(e));
            QCOMPARE(node->cladeFailures, std::get<1>(e));
            QCOMPARE(*node->cladeEstimate, (1 + std::get<0>(e)) / (2 + std::get<0>(e) + std::get<1>(e)));
            QCOMPARE(node->cladeNodes, std::get<2>(e));
        }
        QVERIFY(!insight->find(4)); // blocked: no estimate
        QVERIFY(!insight->find(5)); // nothing evaluated in its clade
    }

    void minimizedResultsAreFlipped()
    {
        const std::vector<Node> nodes{makeNode(0, -1, {0.25, 1})};
        const ArchiveView view(nodes, kTasks, Direction::Minimize);
        QCOMPARE(ownCounts(view, nodes[0]).successes, 0.75);
        QCOMPARE(ownCounts(view, nodes[0]).failures, 1.25);
    }

    // Beta(2, 3) draws against the exact CDF F(x) = sum_{j=2..4} C(4,j) x^j (1-x)^(4-j).
    void betaSampler()
    {
        std::mt19937_64 rng(42);
        const int bins = 10, draws = 20000;
        std::vector<int> observed(bins, 0);
        for (int i = 0; i < draws; ++i)
            ++observed[std::min(bins - 1, static_cast<int>(sampleBeta(rng, 2, 3) * bins))];
        const auto cdf = [](double x) {
            return 6 * x * x * std::pow(1 - x, 2) + 4 * std::pow(x, 3) * (1 - x) + std::pow(x, 4);
        };
        std::vector<double> p;
        for (int b = 0; b < bins; ++b)
            p.push_back(cdf((b + 1.0) / bins) - cdf(double(b) / bins));
        QVERIFY2(chiSquare(observed, p) < 27.877, "chi-square, 9 degrees of freedom, 99.9%");
    }

    // Node 0's clade pools 0, 1 and 2 (3 is blocked): 2 successes, 3 failures, Beta(3, 4);
    // node 1's clade is itself: Beta(2, 2). With F the Beta(3, 4) CDF,
    // P(Beta(3,4) > Beta(2,2)) = 1 - ∫ 6y(1-y) F(y) dy = 17/42 (exact, integer parameters).
    void parentDraws()
    {
        const std::vector<Node> nodes{makeNode(0, -1, {1}), makeNode(1, 0, {1, 0}),
                                      makeNode(2, 0, {0, 0}), makeNode(3, 0, {1, 1}),
                                      makeNode(4, 0, {}, NodeStatus::Failed)};
        const std::set<int> blocked{3};
        const ArchiveView view = ArchiveView(nodes, kTasks, Direction::Maximize).blocking(blocked);
        HgmStrategy hgm({}, 2024);
        std::vector<int> observed(2, 0);
        for (int i = 0; i < 20000; ++i) {
            const auto parent = hgm.sampleParent(view);
            QVERIFY(parent && (*parent == 0 || *parent == 1)); // 2 solved nothing, 3 blocked, 4 failed
            ++observed[static_cast<std::size_t>(*parent)];
        }
        QVERIFY2(chiSquare(observed, {17.0 / 42, 25.0 / 42}) < 10.828,
                 "chi-square, 1 degree of freedom, 99.9%");
    }

    // Node 0 solved its one task: Beta(2, 1); node 1 has none: Beta(1, 1).
    // P(Beta(2,1) > U) = ∫ 2x · x dx = 2/3.
    void targetDraws()
    {
        const std::vector<Node> nodes{
            makeNode(0, -1, {1}), makeNode(1, 0, {}),
            makeNode(2, 0, {}, NodeStatus::AwaitingApproval), makeNode(3, 0, {}, NodeStatus::Rejected),
            makeNode(4, 0, {1, 1, 1, 1, 1}), makeNode(5, 0, {}), makeNode(6, 0, {})};
        const std::set<int> evaluating{5};
        const std::set<int> blocked{6};
        const ArchiveView view = ArchiveView(nodes, kTasks, Direction::Maximize)
                                     .inFlight(evaluating, 0)
                                     .blocking(blocked);
        HgmStrategy hgm({}, 99);
        std::vector<int> observed(2, 0);
        for (int i = 0; i < 20000; ++i) {
            const auto target = hgm.sampleTarget(view);
            QVERIFY(target && (*target == 0 || *target == 1)); // 4 has no task left
            ++observed[static_cast<std::size_t>(*target)];
        }
        QVERIFY2(chiSquare(observed, {2.0 / 3, 1.0 / 3}) < 10.828,
                 "chi-square, 1 degree of freedom, 99.9%");
    }

    // A late cool-down sharpens the posteriors: Beta(2,1) vs Beta(1,1) scaled by
    // (10 / 1)^2 = 100 are Beta(200, 100) vs Beta(100, 100), so node 0 nearly always wins.
    void cooldown()
    {
        std::vector<Node> nodes{makeNode(0, -1, {1}), makeNode(1, 0, {})};
        for (int i = 2; i < 10; ++i) // nine evaluations spent of the budget of ten
            nodes.push_back(makeNode(i, 0, {0}));
        const ArchiveView view(nodes, kTasks, Direction::Maximize);
        HgmStrategy hgm({{"cooldown_beta", 2}, {"cooldown_evaluations", 10}}, 3);
        int zero = 0;
        for (int i = 0; i < 1000; ++i)
            zero += hgm.sampleTarget(view) == 0;
        QVERIFY2(zero > 990, qPrintable(QString::number(zero)));
    }

    void sameSeedSameDecisions()
    {
        const auto score = [](int node, const std::string& task) {
            return double((node * 7 + task.back()) % 3 == 0);
        };
        HgmStrategy a({}, 7), b({}, 7), c({}, 8);
        const auto first = simulate(a, 40, score);
        const auto second = simulate(b, 40, score);
        const auto other = simulate(c, 40, score);
        QCOMPARE(first.size(), second.size());
        bool differs = first.size() != other.size();
        for (std::size_t i = 0; i < first.size(); ++i) {
            QCOMPARE(int(first[i].kind), int(second[i].kind));
            QCOMPARE(first[i].node, second[i].node);
            QCOMPARE(first[i].tasks, second[i].tasks);
            if (i < other.size())
                differs = differs || first[i].node != other[i].node || first[i].tasks != other[i].tasks;
        }
        QVERIFY(differs);
    }

    void parameters()
    {
        QCOMPARE(HgmStrategy(nlohmann::json{{"alpha", 0.5}}, 1).parameters().at("alpha").get<double>(), 0.5);
        QVERIFY_THROWS_EXCEPTION(InputError, HgmStrategy(nlohmann::json{{"alpah", 1}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, HgmStrategy(nlohmann::json{{"alpha", "x"}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, HgmStrategy(nlohmann::json{{"alpha", -1}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, HgmStrategy(nlohmann::json{{"cooldown_beta", 1}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 HgmStrategy(nlohmann::json{{"cooldown_evaluations", 0}}, 1));
        QCOMPARE(QString::fromStdString(makeStrategy("hgm", nlohmann::json::object(), 1)->name()),
                 QString("hgm"));
    }
};

QTEST_GUILESS_MAIN(TestHgmStrategy)
#include "tst_hgmstrategy.moc"
