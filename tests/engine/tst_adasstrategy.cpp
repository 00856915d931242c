// ADAS: one generation at a time from the best (or newest) node, keep-all, and the archive
// a command proposer sees in the context folder.
#include "engine/propose/ProposeContext.h"
#include "engine/strategy/AdasStrategy.h"
#include "engine/util/InputError.h"

#include "support/StrategySimulator.h"

#include <QtTest>

#include <fstream>

using namespace clade::engine;

namespace {

// Archive spec: "id[<parent][flags]=score;..." with flags p (proposed), f (failed),
// a (awaiting approval), j (rejected), r (reverted), b (blocked by a person). The parent
// defaults to 0. Each evaluated node has the score on every task.
struct Archive {
    std::vector<Node> nodes;
    std::set<int> blocked;
};

const std::vector<std::string> kTasks{"t0", "t1"};

Archive parseArchive(const QString& spec)
{
    Archive archive;
    for (const QString& part : spec.split(';', Qt::SkipEmptyParts)) {
        const auto sides = part.split('=');
        QString head = sides.at(0).trimmed();
        QString flags;
        while (!head.isEmpty() && head.back().isLetter()) {
            flags.prepend(head.back());
            head.chop(1);
        }
        Node n;
        const auto ids = head.split('<');
        n.id = ids.at(0).toInt();
        if (n.id > 0)
            n.parents = {ids.size() > 1 ? ids.at(1).toInt() : 0};
        n.status = flags.contains('f')   ? NodeStatus::Failed
                   : flags.contains('p') ? NodeStatus::Proposed
                   : flags.contains('a') ? NodeStatus::AwaitingApproval
                   : flags.contains('j') ? NodeStatus::Rejected
                                         : NodeStatus::Evaluated;
        if (flags.contains('r'))
            n.flags |= FlagReverted;
        if (flags.contains('b'))
            archive.blocked.insert(n.id);
        if (sides.size() > 1 && n.status == NodeStatus::Evaluated) {
            const double score = sides.at(1).toDouble();
            for (const auto& task : kTasks)
                n.results[task] = score;
            n.score = score;
        }
        archive.nodes.push_back(n);
    }
    return archive;
}

// A deterministic stand-in for evaluation: a score that wanders with the id.
double simulatedScore(int id)
{
    return 0.5 + 0.4 * std::sin(id * 1.7);
}

// Runs `iterations` expansions with one worker, as RunEngine does, and lists the actions.
std::vector<std::string> simulate(Strategy& strategy, int iterations)
{
    testsupport::StrategySimulator simulator(kTasks, [](const Node& node, const std::string&) {
        return simulatedScore(node.id);
    });
    simulator.childBudget(iterations);
    std::vector<std::string> log;
    for (const Action& action : simulator.run(strategy, 4 * iterations))
        log.push_back(std::to_string(int(action.kind)) + ":" + std::to_string(action.node));
    return log;
}

} // namespace

class TestAdasStrategy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nextAction_data()
    {
        QTest::addColumn<QString>("archive");
        QTest::addColumn<QString>("evaluating");
        QTest::addColumn<int>("pending");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("parent");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("node");
        using K = Action::Kind;
        QTest::newRow("fresh run evaluates the root") << "0p" << "" << 0 << true << "best" << int(K::Evaluate) << 0;
        QTest::newRow("root being evaluated: wait") << "0p" << "0" << 0 << true << "best" << int(K::Wait) << -1;
        QTest::newRow("root failed: stop") << "0f" << "" << 0 << true << "best" << int(K::Stop) << -1;
        QTest::newRow("the new agent is evaluated first")
            << "0=0.5;1=0.9;2<1p" << "" << 0 << true << "best" << int(K::Evaluate) << 2;
        QTest::newRow("proposal in flight: wait, one generation at a time")
            << "0=0.5" << "" << 1 << true << "best" << int(K::Wait) << -1;
        QTest::newRow("evaluation in flight: wait")
            << "0=0.5;1p" << "1" << 0 << true << "best" << int(K::Wait) << -1;
        QTest::newRow("best so far") << "0=0.5;1=0.9;2<1=0.6" << "" << 0 << true << "best"
                                     << int(K::Expand) << 1;
        QTest::newRow("newest") << "0=0.5;1=0.9;2<1=0.6" << "" << 0 << true << "newest"
                                << int(K::Expand) << 2;
        QTest::newRow("blocked best is skipped") << "0=0.5;1b=0.9;2=0.6" << "" << 0 << true << "best"
                                                 << int(K::Expand) << 2;
        QTest::newRow("blocked newest is skipped") << "0=0.5;1=0.9;2b=0.6" << "" << 0 << true
                                                   << "newest" << int(K::Expand) << 1;
        QTest::newRow("reverted is skipped") << "0=0.5;1r=0.9" << "" << 0 << true << "best"
                                             << int(K::Expand) << 0;
        QTest::newRow("held, rejected and failed are never evaluated nor expanded")
            << "0=0.5;1a;2j;3f" << "" << 0 << true << "newest" << int(K::Expand) << 0;
        QTest::newRow("budget used: stop") << "0=0.5;1=0.6" << "" << 0 << false << "best"
                                           << int(K::Stop) << -1;
    }
    void nextAction()
    {
        QFETCH(QString, archive);
        QFETCH(QString, evaluating);
        QFETCH(int, pending);
        QFETCH(bool, allowed);
        QFETCH(QString, parent);
        QFETCH(int, kind);
        QFETCH(int, node);
        const Archive a = parseArchive(archive);
        const std::set<int> busy = testsupport::nodeIdsIn(evaluating);
        const ArchiveView view = ArchiveView(a.nodes, kTasks, Direction::Maximize)
                                     .inFlight(busy, pending)
                                     .allowingExpansions(allowed)
                                     .blocking(a.blocked);
        AdasStrategy adas({{"parent", parent.toStdString()}}, 1);
        const Action action = adas.next(view);
        QCOMPARE(int(action.kind), kind);
        QCOMPARE(action.node, node);
        if (action.kind == Action::Kind::Evaluate)
            QCOMPARE(action.tasks, kTasks);
    }

    void minimizeBest()
    {
        const Archive a = parseArchive("0=0.5;1=0.2;2=0.9");
        const ArchiveView view(a.nodes, kTasks, Direction::Minimize);
        QCOMPARE(adasParent(view, AdasStrategy::Parent::Best).value_or(-1), 1);
    }

    void keepAll_data()
    {
        QTest::addColumn<QString>("archive");
        QTest::addColumn<int>("node");
        QTest::addColumn<bool>("decided");
        QTest::newRow("root") << "0=0.5" << 0 << true;
        QTest::newRow("better child") << "0=0.5;1=0.9" << 1 << true;
        QTest::newRow("much worse child is kept too") << "0=0.5;1=0.9;2=0.01" << 2 << true;
        QTest::newRow("zero score") << "0=0.5;1=0" << 1 << true;
        QTest::newRow("a node a person took out stays out") << "0=0.5;1b=0.9" << 1 << false;
        QTest::newRow("failed: nothing to keep") << "0=0.5;1f" << 1 << false;
    }
    void keepAll()
    {
        QFETCH(QString, archive);
        QFETCH(int, node);
        QFETCH(bool, decided);
        const Archive a = parseArchive(archive);
        const ArchiveView view =
            ArchiveView(a.nodes, kTasks, Direction::Maximize).blocking(a.blocked);
        AdasStrategy adas({}, 1);
        const auto flags = adas.flagsAfterEvaluation(view, *view.find(node));
        QCOMPARE(flags.has_value(), decided);
        if (flags) {
            QVERIFY(*flags & FlagKept);
            QVERIFY(!(*flags & FlagReverted));
        }
    }

    void sameSeedSameDecisions()
    {
        AdasStrategy first({}, 7);
        AdasStrategy second({}, 7);
        const auto a = simulate(first, 20);
        QCOMPARE(a, simulate(second, 20));
        QCOMPARE(a.back(), std::string("3:-1")); // stops at the budget
        // Sequential: every expansion is followed by that child's evaluation.
        for (size_t i = 1; i + 1 < a.size(); i += 2) {
            QCOMPARE(a[i].substr(0, 2), std::string("0:"));
            QCOMPARE(a[i + 1].substr(0, 2), std::string("1:"));
        }
    }

    void archiveInContext()
    {
        // ADAS's meta agent reads every archived agent: its description, fitness and
        // generation. history.json is that archive for a command proposer.
        Archive a = parseArchive("0=0.5;1=0.7;2<1=0.2;3<2f");
        for (auto& n : a.nodes) {
            n.description = "agent " + std::to_string(n.id);
            n.metrics["cost"] = n.id * 1.5;
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path folder = dir.path().toStdString();
        writeProposeContext(folder, a.nodes[2], a.nodes, "");
        std::ifstream in(folder / "history.json");
        const auto history = nlohmann::json::parse(in);
        QCOMPARE(history.size(), size_t(4));
        const int generations[] = {0, 1, 2, 3};
        for (size_t i = 0; i < 4; ++i) {
            QCOMPARE(history[i].at("description").get<std::string>(), a.nodes[i].description);
            QCOMPARE(history[i].at("generation").get<int>(), generations[i]);
            QCOMPARE(history[i].at("metrics").at("cost").get<double>(), i * 1.5);
        }
        QCOMPARE(history[1].at("score").get<double>(), 0.7);
        QVERIFY(history[3].at("score").is_null());
        QCOMPARE(history[3].at("status").get<std::string>(), toString(NodeStatus::Failed));
    }

    void parameters()
    {
        QCOMPARE(AdasStrategy({}, 1).parameters().at("parent").get<std::string>(), std::string("best"));
        QCOMPARE(AdasStrategy({{"parent", "newest"}}, 1).parameters().at("parent").get<std::string>(),
                 std::string("newest"));
        QVERIFY_THROWS_EXCEPTION(InputError, AdasStrategy({{"parent", "oldest"}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, AdasStrategy({{"parent", 3}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, AdasStrategy({{"z", 1}}, 1));
        QCOMPARE(QString::fromStdString(makeStrategy("adas", nlohmann::json::object(), 1)->name()),
                 QString("adas"));
    }
};

QTEST_GUILESS_MAIN(TestAdasStrategy)
#include "tst_adasstrategy.moc"
