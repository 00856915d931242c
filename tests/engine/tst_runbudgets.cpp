// A run's budgets on their own, without a run: children (iterations, proposals in flight
// included), active time across sessions, task evaluations (recorded and in flight) and
// model cost (recorded on the nodes and charged since), what each allows next, and why the
// run finishes when one is spent. Whole runs that end on a budget are in tst_runengine
// (task evaluations) and tst_llmrun (cost).
#include "engine/llm/Usage.h"
#include "engine/run/RunBudgets.h"
#include "support/SyntheticNodes.h"

#include <QtTest>

using namespace clade::engine;
using testsupport::makeNode;

namespace {

RunSettings budgets(int iterations, double maxMinutes = 0, int maxTaskEvaluations = 0,
                    double maxCost = 0)
{
    RunSettings s;
    s.iterations = iterations;
    s.maxMinutes = maxMinutes;
    s.maxTaskEvaluations = maxTaskEvaluations;
    s.maxCost = maxCost;
    return s;
}

// The root scored on `rootTasks` tasks, then `children` children with one task each.
std::vector<Node> archive(int rootTasks, int children)
{
    std::vector<Node> nodes{
        makeNode(0, -1, std::vector<double>(static_cast<size_t>(rootTasks), 0.5))};
    for (int id = 1; id <= children; ++id)
        nodes.push_back(makeNode(id, 0, {0.5}));
    return nodes;
}

Node costing(int id, double usd)
{
    Node node = makeNode(id, id == 0 ? -1 : 0, {});
    node.proposer.cost = usd;
    return node;
}

} // namespace

class TestRunBudgets : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Failed proposals are children too, and so is every proposal in flight: two workers
    // never propose past the budget between them.
    void childrenCountProposalsInFlight_data()
    {
        QTest::addColumn<int>("children");
        QTest::addColumn<int>("pending");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("none yet") << 0 << 0 << true;
        QTest::newRow("one left") << 2 << 0 << true;
        QTest::newRow("the last one in flight") << 2 << 1 << false;
        QTest::newRow("all stored") << 3 << 0 << false;
        QTest::newRow("past it (a lowered budget on resume)") << 5 << 0 << false;
    }
    void childrenCountProposalsInFlight()
    {
        QFETCH(int, children);
        QFETCH(int, pending);
        QFETCH(bool, allowed);
        const std::vector<Node> nodes = archive(1, children);
        const RunBudgets budget(budgets(3), nodes, 0);
        QCOMPARE(budget.expansionsAllowed(nodes, pending), allowed);
        QCOMPARE(budget.spent(nodes), std::optional<std::string>()); // children end no work
    }

    // The time budget counts earlier sessions: a resumed run does not start afresh.
    void timeCountsEarlierSessions()
    {
        const std::vector<Node> nodes = archive(1, 0);
        RunBudgets used(budgets(10, 1), nodes, 60);
        used.startSession();
        QVERIFY(used.elapsedSeconds() >= 60);
        QVERIFY(used.elapsedSeconds() < 120);
        QVERIFY(!used.timeLeft());
        QVERIFY(!used.expansionsAllowed(nodes, 0));
        // Out of time is not spent: evaluations already proposed still run.
        QCOMPARE(used.spent(nodes), std::optional<std::string>());

        const RunBudgets fresh(budgets(10, 1), nodes, 59);
        QVERIFY(fresh.timeLeft());
        QVERIFY(fresh.expansionsAllowed(nodes, 0));

        const RunBudgets unlimited(budgets(10, 0), nodes, 1e9);
        QVERIFY(unlimited.timeLeft());
        QVERIFY(unlimited.expansionsAllowed(nodes, 0));
    }

    // Counted from the nodes, so a resumed run picks up where it was, plus the tasks of
    // evaluations in flight, so two workers never start past the budget between them.
    void taskEvaluationsCountWorkInFlight()
    {
        const std::vector<Node> nodes = archive(8, 4); // 8 + 4 recorded
        RunBudgets budget(budgets(100, 0, 20), nodes, 0);
        QCOMPARE(budget.taskEvaluationsSpent(nodes), 12);
        QVERIFY(budget.expansionsAllowed(nodes, 0));
        QCOMPARE(budget.spent(nodes), std::optional<std::string>());

        budget.evaluationStarted(3);
        budget.evaluationStarted(5);
        QCOMPARE(budget.taskEvaluationsSpent(nodes), 20);
        QVERIFY(!budget.expansionsAllowed(nodes, 0)); // its child could not be evaluated
        QCOMPARE(budget.spent(nodes),
                 std::optional<std::string>("task-evaluation budget spent (20 of 20)"));

        // One came back without results (a failed candidate): it cost nothing.
        budget.evaluationEnded(5);
        QCOMPARE(budget.taskEvaluationsSpent(nodes), 15);
        QVERIFY(budget.expansionsAllowed(nodes, 0));

        const RunBudgets unlimited(budgets(100, 0, 0), nodes, 0);
        QCOMPARE(unlimited.spent(nodes), std::optional<std::string>());
    }

    // The cost recorded on the nodes counts from the start; what workers charge since
    // counts at once. The cost budget is named first when both are spent.
    void costCountsRecordedAndCharged()
    {
        const std::vector<Node> nodes{costing(0, 0), costing(1, 0.25), costing(2, 0.5)};
        RunBudgets budget(budgets(100, 0, 0, 1.0), nodes, 0);
        QCOMPARE(budget.cost().spent(), 0.75);
        QVERIFY(budget.expansionsAllowed(nodes, 0));
        QCOMPARE(budget.spent(nodes), std::optional<std::string>());

        budget.cost().charge(0.25);
        QVERIFY(!budget.expansionsAllowed(nodes, 0));
        const auto why = budget.spent(nodes);
        QVERIFY(why.has_value());
        QCOMPARE(*why, budget.cost().describe());
        QVERIFY2(why->find("cost budget of $1.00") != std::string::npos, why->c_str());

        RunBudgets both(budgets(100, 0, 1, 1.0), nodes, 0);
        both.evaluationStarted(1);
        both.cost().charge(1);
        QCOMPARE(both.spent(nodes), std::optional<std::string>(both.cost().describe()));

        RunBudgets unlimited(budgets(100, 0, 0, 0), nodes, 0);
        unlimited.cost().charge(1000);
        QVERIFY(unlimited.expansionsAllowed(nodes, 0));
        QCOMPARE(unlimited.spent(nodes), std::optional<std::string>());
    }
};

QTEST_GUILESS_MAIN(TestRunBudgets)
#include "tst_runbudgets.moc"
