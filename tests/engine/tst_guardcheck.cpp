// The guard rule (engine/eval/GuardCheck.h), the metrics the engine measures itself
// (engine/eval/EngineMetrics.h), the Pareto front (engine/eval/ParetoFront.h) and how
// clade.json declares guards.
#include "engine/eval/EngineMetrics.h"
#include "engine/eval/GuardCheck.h"
#include "engine/eval/ParetoFront.h"
#include "engine/eval/ScoreOutput.h"
#include "engine/manifest/Manifest.h"
#include "engine/util/InputError.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

Node scored(int id, int parent, double score, std::map<std::string, double> metrics = {})
{
    Node n;
    n.id = id;
    if (parent >= 0)
        n.parents = {parent};
    n.status = NodeStatus::Evaluated;
    n.score = score;
    n.results = {{"t1", score}, {"t2", score}};
    n.metrics = std::move(metrics);
    return n;
}

GuardMetric guard(std::string name, std::optional<double> limit,
                  std::optional<double> maxRegression = std::nullopt,
                  Direction direction = Direction::Minimize)
{
    return GuardMetric{std::move(name), direction, limit, maxRegression};
}

GuardOutcome::Verdict verdictOf(const std::vector<GuardMetric>& guards, const Node& node,
                                const std::vector<Node>& nodes)
{
    const GuardReport report = checkGuards(guards, node, nodes);
    return report.guards.at(0).verdict;
}

} // namespace

class TestGuardCheck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void limitsBothWays()
    {
        const std::vector<Node> nodes{scored(0, -1, 0.5, {{"seconds", 2}, {"accuracy", 0.9}})};
        using V = GuardOutcome::Verdict;
        QCOMPARE(verdictOf({guard("seconds", 3)}, nodes[0], nodes), V::Passed);
        QCOMPARE(verdictOf({guard("seconds", 2)}, nodes[0], nodes), V::Passed); // at the limit
        QCOMPARE(verdictOf({guard("seconds", 1.5)}, nodes[0], nodes), V::PastLimit);
        QCOMPARE(verdictOf({guard("accuracy", 0.8, {}, Direction::Maximize)}, nodes[0], nodes), V::Passed);
        QCOMPARE(verdictOf({guard("accuracy", 0.95, {}, Direction::Maximize)}, nodes[0], nodes),
                 V::PastLimit);
        // Every guard must pass; the failures say which and by how much.
        const GuardReport report =
            checkGuards({guard("seconds", 3), guard("accuracy", 0.95, {}, Direction::Maximize)},
                        nodes[0], nodes);
        QVERIFY(report.failed());
        QVERIFY(!report.passed());
        QCOMPARE(QString::fromStdString(report.failures()),
                 QString("accuracy 0.9 is past its limit 0.95 (maximize)"));
        QVERIFY(!passesGuards({guard("seconds", 3), guard("accuracy", 0.95, {}, Direction::Maximize)},
                              nodes[0], nodes));
        QVERIFY(passesGuards({}, nodes[0], nodes)); // no guards: nothing to fail
    }

    void missingMetricFailsAndUnscoredIsPending()
    {
        Node proposed;
        proposed.id = 1;
        proposed.parents = {0};
        const std::vector<Node> nodes{scored(0, -1, 0.5), proposed};
        QCOMPARE(verdictOf({guard("seconds", 3)}, nodes[0], nodes), GuardOutcome::Verdict::Missing);
        const GuardReport pending = checkGuards({guard("seconds", 3)}, nodes[1], nodes);
        QCOMPARE(pending.guards[0].verdict, GuardOutcome::Verdict::Pending);
        QVERIFY(!pending.failed()); // no verdict yet: not marked as failed
        QVERIFY(!pending.passed()); // nor may it be built on
    }

    // Each child 5% slower than its parent: within 20% of every single parent, but the drift
    // from the best ancestor passes 20% at the fourth step (1.05^4 = 1.2155).
    void maxRegressionMeasuresTheDriftFromTheBestAncestor()
    {
        std::vector<Node> chain;
        for (int i = 0; i < 7; ++i)
            chain.push_back(scored(i, i - 1, 0.5 + 0.01 * i, {{"seconds", std::pow(1.05, i)}}));
        const std::vector<GuardMetric> guards{guard("seconds", std::nullopt, 0.2)};
        for (int i = 0; i < 7; ++i) {
            const GuardReport report = checkGuards(guards, chain[static_cast<size_t>(i)], chain);
            QCOMPARE(report.passed(), i < 4);
            if (i >= 4) {
                QCOMPARE(report.guards[0].verdict, GuardOutcome::Verdict::Regressed);
                QCOMPARE(report.guards[0].referenceNode, 0);
                QVERIFY2(QString::fromStdString(report.failures()).contains("worse than node 0's 1"),
                         report.failures().c_str());
            }
        }
        // Against the parent alone the same chain would never be stopped.
        for (int i = 1; i < 7; ++i)
            QVERIFY(worseningFraction(chain[size_t(i)].metrics.at("seconds"),
                                      chain[size_t(i - 1)].metrics.at("seconds"),
                                      Direction::Minimize) < 0.2);
        // A checker for the whole run remembers the references it found: asked in any
        // order, it says what checking each node alone says.
        {
            const GuardChecker checker(guards, chain);
            for (int i = 6; i >= 0; --i)
                QCOMPARE(checker.check(chain[size_t(i)]).guards[0].verdict,
                         checkGuards(guards, chain[size_t(i)], chain).guards[0].verdict);
            for (int i = 0; i < 7; ++i) {
                QCOMPARE(checker.passes(chain[size_t(i)]), i < 4);
                QCOMPARE(checker.check(chain[size_t(i)]).guards[0].referenceNode, i == 0 ? -1 : 0);
            }
        }
        // An ancestor that got faster becomes the reference.
        chain[2].metrics["seconds"] = 0.5;
        QCOMPARE(checkGuards(guards, chain[3], chain).guards[0].referenceNode, 2);
        QVERIFY(!passesGuards(guards, chain[3], chain)); // 1.157 vs 0.5
        // A maximized metric regresses downwards; a reference of 0 allows no worsening.
        QCOMPARE(worseningFraction(0.7, 1.0, Direction::Maximize), 0.3);
        QVERIFY(std::isinf(worseningFraction(0.1, 0, Direction::Minimize)));
        QCOMPARE(worseningFraction(0, 0, Direction::Minimize), 0.0);
    }

    void engineMetricsComeFromTheNodeAndItsEvaluation()
    {
        Node node = scored(3, 1, 0.8);
        node.proposer.cost = 0.5;
        node.proposer.tokensIn = 100;
        node.proposer.tokensOut = 20;
        node.proposeSeconds = 1.5;
        node.diff = {2, 10, 4};
        QCOMPARE(*metricValue(node, "clade.cost_usd"), 0.5);
        QCOMPARE(*metricValue(node, "clade.cost_usd_per_task"), 0.25); // two tasks scored
        QCOMPARE(*metricValue(node, "clade.tokens"), 120.0);
        QCOMPARE(*metricValue(node, "clade.propose_seconds"), 1.5);
        QCOMPARE(*metricValue(node, "clade.diff_lines"), 14.0);
        QCOMPARE(*metricValue(node, "clade.diff_files"), 2.0);
        QVERIFY(!metricValue(node, "clade.solve_seconds")); // measured by an evaluation only
        QVERIFY(!metricValue(node, "clade.risk_findings")); // a child's is recorded at birth

        // Two evaluation calls, as a staged strategy makes them: times add up, the peak is
        // the larger, a harness metric is the mean weighted by tasks.
        std::map<std::string, double> stored{{"clade.risk_findings", 1}};
        mergeMeasuredMetrics(stored, {{{"clade.solve_seconds", 2}, {"clade.solve_peak_memory_mb", 30},
                                       {"bins", 10}}, 1}, 0);
        mergeMeasuredMetrics(stored, {{{"clade.solve_seconds", 3}, {"clade.solve_peak_memory_mb", 20},
                                       {"bins", 16}}, 3}, 1);
        QCOMPARE(stored.at("clade.solve_seconds"), 5.0);
        QCOMPARE(stored.at("clade.solve_peak_memory_mb"), 30.0);
        QCOMPARE(stored.at("bins"), 14.5);
        QCOMPARE(stored.at("clade.risk_findings"), 1.0);
        node.metrics = stored;
        node.results = {{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}};
        QCOMPARE(*metricValue(node, "clade.solve_seconds_per_task"), 1.25);
        QCOMPARE(*metricValue(node, "clade.risk_findings"), 1.0);
        QCOMPARE(*metricValue(node, "bins"), 14.5);
        // Evaluated again on every task: the accounts start afresh.
        mergeMeasuredMetrics(stored, {{{"clade.solve_seconds", 4}}, 4}, 0);
        QCOMPARE(stored.at("clade.solve_seconds"), 4.0);

        const auto all = allMetrics(node);
        QVERIFY(all.count("bins") && all.count("clade.cost_usd") && all.count("clade.solve_seconds"));
        // The root changed nothing and was proposed by nobody.
        const Node root = scored(0, -1, 0.1);
        QCOMPARE(*metricValue(root, "clade.risk_findings"), 0.0);
        QCOMPARE(*metricValue(root, "clade.diff_lines"), 0.0);
        // Runs written before the clade. names still show their solve time.
        Node old = scored(1, 0, 0.2, {{"solve_seconds", 7}});
        QCOMPARE(*metricValue(old, "clade.solve_seconds"), 7.0);
    }

    void harnessCannotReportAReservedName()
    {
        try {
            parseScoreOutput(R"({"tasks": {"t1": 1}, "metrics": {"clade.cost_usd": 0}})", {"t1"},
                             "harness/score.py");
            QFAIL("a harness reporting clade.cost_usd was accepted");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("reserved"), e.what());
            QVERIFY2(QString(e.what()).contains("harness/score.py"), e.what());
        }
    }

    void paretoFrontOverScoreAndCost()
    {
        // (score, cost): 1 (0.9, 5) and 2 (0.6, 1) and 4 (0.6, 1) are on the front; 3 (0.5, 2)
        // is dominated by 2; 5 is not evaluated; 6 has no cost.
        std::vector<Node> nodes{scored(0, -1, 0.3, {{"cost", 3}}), scored(1, 0, 0.9, {{"cost", 5}}),
                                scored(2, 0, 0.6, {{"cost", 1}}), scored(3, 0, 0.5, {{"cost", 2}}),
                                scored(4, 0, 0.6, {{"cost", 1}}), scored(5, 0, 0.99, {{"cost", 0}}),
                                scored(6, 0, 1.0)};
        nodes[5].status = NodeStatus::Proposed;
        const std::vector<Objective> objectives{{"score", Direction::Maximize, true},
                                                {"cost", Direction::Minimize, false}};
        QCOMPARE(paretoFront(nodes, objectives), (std::vector<int>{1, 2, 4}));
        // The run's objectives: the primary metric, then each guard.
        Manifest m;
        m.primaryMetric = "score";
        m.guards = {guard("cost", 10), guard("accuracy", std::nullopt, 0.1, Direction::Maximize)};
        const auto run = runObjectives(m);
        QCOMPARE(run.size(), size_t(3));
        QVERIFY(run[0].primary);
        QCOMPARE(QString::fromStdString(run[2].name), QString("accuracy"));
        QCOMPARE(run[2].direction, Direction::Maximize);
    }

    void manifestDeclaresGuards()
    {
        QTemporaryDir dir;
        const fs::path agent = fs::path(dir.path().toStdString());
        fs::create_directories(agent / "harness");
        const auto load = [&](const std::string& guards) {
            const std::string text = R"({"name": "a", "evolvable": ["x.py"], "harness": "harness",
                "solve": {"command": ["/bin/true"]}, "score": {"command": ["/bin/true"]},
                "tasks": ["t"], "metrics": {"primary": "score", "direction": "maximize",
                "guards": )" + guards + "}}";
            return parseManifest(text, agent / "clade.json");
        };
        const Manifest m = load(R"([{"name": "clade.solve_seconds_per_task", "limit": 0.5,
                                      "max_regression": 0.25},
                                     {"name": "accuracy", "direction": "maximize"}])");
        QCOMPARE(m.guards.size(), size_t(2));
        QCOMPARE(*m.guards[0].maxRegression, 0.25);
        QCOMPARE(m.guards[0].direction, Direction::Minimize);
        QVERIFY(!m.guards[1].limit && !m.guards[1].maxRegression);
        // run.json keeps every field and reads back equal.
        QCOMPARE(parseManifest(m.toJson().dump(), agent / "clade.json").guards, m.guards);

        const auto refused = [&](const std::string& guards, const QString& expected) {
            try {
                load(guards);
                QFAIL(qPrintable("accepted: " + QString::fromStdString(guards)));
            } catch (const InputError& e) {
                QVERIFY2(QString(e.what()).contains(expected), e.what());
                QVERIFY2(QString(e.what()).contains("clade.json"), e.what());
            }
        };
        refused(R"([{"name": "clade.speed", "limit": 1}])", "metrics.guards[0].name");
        refused(R"([{"name": "clade.speed", "limit": 1}])", "clade.cost_usd");
        refused(R"([{"name": "t", "max_regression": -0.1}])", "metrics.guards[0].max_regression");
        refused(R"([{"name": "t", "max_regression": "10%"}])", "a number >= 0");
        refused(R"([{"name": "t", "maximum": 3}])", "maximum");
    }
};

QTEST_GUILESS_MAIN(TestGuardCheck)
#include "tst_guardcheck.moc"
