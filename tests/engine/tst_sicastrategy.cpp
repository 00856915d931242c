// SICA's base rule and keep rule, data-driven over small archives.
#include "engine/strategy/SicaStrategy.h"
#include "engine/util/InputError.h"
#include "support/StrategySimulator.h"

#include <QtTest>

using namespace clade::engine;

namespace {

// Archive spec: "id[flags]=s1 s2 ...;..." with flags r (reverted), f (failed),
// p (proposed, no results), e (evaluating). Parents: each node's parent is 0.
std::vector<Node> parseArchive(const QString& spec)
{
    std::vector<Node> nodes;
    for (const QString& part : spec.split(';', Qt::SkipEmptyParts)) {
        const auto sides = part.split('=');
        QString head = sides.at(0).trimmed();
        Node n;
        QString flags;
        while (!head.isEmpty() && head.back().isLetter()) {
            flags.prepend(head.back());
            head.chop(1);
        }
        n.id = head.toInt();
        if (n.id > 0)
            n.parents = {0};
        n.status = flags.contains('f')   ? NodeStatus::Failed
                   : flags.contains('p') ? NodeStatus::Proposed
                                         : NodeStatus::Evaluated;
        if (flags.contains('r'))
            n.flags |= FlagReverted;
        if (sides.size() > 1) {
            int task = 0;
            double sum = 0;
            for (const QString& s : sides.at(1).split(' ', Qt::SkipEmptyParts)) {
                n.results["t" + std::to_string(task++)] = s.toDouble();
                sum += s.toDouble();
            }
            if (n.status == NodeStatus::Evaluated && task > 0)
                n.score = sum / task;
        }
        nodes.push_back(n);
    }
    return nodes;
}

const std::vector<std::string> kTasks{"t0", "t1", "t2"};

} // namespace

class TestSicaStrategy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lowerBound_data()
    {
        QTest::addColumn<QString>("scores");
        QTest::addColumn<double>("expected");
        QTest::newRow("single task: the mean") << "0.7" << 0.7;
        QTest::newRow("no spread: the mean") << "0.5 0.5 0.5" << 0.5;
        // mean 0.7, sample sd 0.2, n 3: 0.7 - 1.96 * 0.2 / sqrt(3)
        QTest::newRow("spread") << "0.7 0.9 0.5" << 0.7 - 1.96 * 0.2 / std::sqrt(3.0);
        QTest::newRow("two tasks") << "0 1" << 0.5 - 1.96 * std::sqrt(0.5) / std::sqrt(2.0);
    }
    void lowerBound()
    {
        QFETCH(QString, scores);
        QFETCH(double, expected);
        std::map<std::string, double> results;
        int i = 0;
        for (const auto& s : scores.split(' '))
            results["t" + std::to_string(i++)] = s.toDouble();
        QVERIFY(std::abs(lowerConfidenceBound(results) - expected) < 1e-12);
    }

    // A mean over part of the tasks (a dgm stage, an hgm node still being sampled) is not
    // compared with means over all of them, unless no node has them all.
    void bestIsScoredOnEveryTask_data()
    {
        QTest::addColumn<QString>("archive");
        QTest::addColumn<int>("expectedBest");
        QTest::newRow("a higher mean over one task") << "0=0.5 0.5 0.5;1=0.6 0.6 0.6;2=0.9" << 1;
        QTest::newRow("over two of three") << "0=0.5 0.5 0.5;1=0.95 0.95" << 0;
        QTest::newRow("none has every task: the means") << "0=0.5;1=0.7 0.6" << 1;
    }
    void bestIsScoredOnEveryTask()
    {
        QFETCH(QString, archive);
        QFETCH(int, expectedBest);
        const auto nodes = parseArchive(archive);
        const ArchiveView view(nodes, kTasks, Direction::Maximize);
        QCOMPARE(bestNode(view).value_or(-1), expectedBest);
    }

    void base_data()
    {
        QTest::addColumn<QString>("archive");
        QTest::addColumn<bool>("minimize");
        QTest::addColumn<int>("expectedBase");
        QTest::addColumn<int>("expectedBest");
        QTest::newRow("only the root") << "0=0.5 0.5 0.5" << false << 0 << 0;
        QTest::newRow("better child is newest") << "0=0.5 0.5 0.5;1=0.6 0.6 0.6" << false << 1 << 1;
        QTest::newRow("newest within the best's bound")
            << "0=0.5 0.5 0.5;1=0.7 0.9 0.5;2=0.6 0.6 0.6" << false << 2 << 1;
        QTest::newRow("newest below the bound falls back")
            << "0=0.5 0.5 0.5;1=0.7 0.7 0.7;2=0.6 0.6 0.6" << false << 1 << 1;
        QTest::newRow("falls back past several")
            << "0=0.5 0.5 0.5;1=0.8 0.8 0.8;2=0.6 0.6 0.6;3=0.7 0.7 0.7" << false << 1 << 1;
        QTest::newRow("a newer node within the bound is the base, not the best")
            << "0=0.5 0.5 0.5;1=0.7 0.9 0.8;2=0.79 0.81 0.78" << false << 2 << 1;
        QTest::newRow("a newer node just below a tight bound is not")
            << "0=0.5 0.5 0.5;1=0.8 0.8 0.8;2=0.79 0.81 0.78" << false << 1 << 1;
        QTest::newRow("reverted nodes are never the best or the base")
            << "0=0.5 0.5 0.5;1r=0.9 0.9 0.9;2=0.6 0.6 0.6" << false << 2 << 2;
        QTest::newRow("failed and proposed nodes are ignored")
            << "0=0.5 0.5 0.5;1f;2p;3=0.4 0.4 0.4" << false << 0 << 0;
        QTest::newRow("nothing evaluated") << "0p" << false << -1 << -1;
        QTest::newRow("minimize: lowest is best") << "0=0.5 0.5 0.5;1=0.3 0.3 0.3;2=0.4 0.4 0.4"
                                                  << true << 1 << 1;
        QTest::newRow("minimize: within the upper bound")
            << "0=0.5 0.5 0.5;1=0.3 0.1 0.5;2=0.35 0.35 0.35" << true << 2 << 1;
    }
    void base()
    {
        QFETCH(QString, archive);
        QFETCH(bool, minimize);
        QFETCH(int, expectedBase);
        QFETCH(int, expectedBest);
        const auto nodes = parseArchive(archive);
        const ArchiveView view(nodes, kTasks, minimize ? Direction::Minimize : Direction::Maximize);
        QCOMPARE(sicaBase(view).value_or(-1), expectedBase);
        QCOMPARE(bestNode(view).value_or(-1), expectedBest);
    }

    void nextAction_data()
    {
        QTest::addColumn<QString>("archive");
        QTest::addColumn<QString>("evaluating");
        QTest::addColumn<int>("pending");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("node");
        using K = Action::Kind;
        QTest::newRow("fresh run evaluates the root") << "0p" << "" << 0 << true << int(K::Evaluate) << 0;
        QTest::newRow("root being evaluated: wait") << "0p" << "0" << 0 << true << int(K::Wait) << -1;
        QTest::newRow("proposed child first") << "0=0.5 0.5 0.5;1p" << "" << 0 << true
                                              << int(K::Evaluate) << 1;
        QTest::newRow("expand from the base") << "0=0.5 0.5 0.5;1=0.6 0.6 0.6" << "" << 0 << true
                                              << int(K::Expand) << 1;
        QTest::newRow("budget used, work in flight: wait")
            << "0=0.5 0.5 0.5;1p" << "1" << 0 << false << int(K::Wait) << -1;
        QTest::newRow("budget used, idle: stop") << "0=0.5 0.5 0.5" << "" << 0 << false
                                                 << int(K::Stop) << -1;
        QTest::newRow("root failed: stop") << "0f" << "" << 0 << true << int(K::Stop) << -1;
    }
    void nextAction()
    {
        QFETCH(QString, archive);
        QFETCH(QString, evaluating);
        QFETCH(int, pending);
        QFETCH(bool, allowed);
        QFETCH(int, kind);
        QFETCH(int, node);
        const auto nodes = parseArchive(archive);
        const std::set<int> busy = testsupport::nodeIdsIn(evaluating);
        const ArchiveView view = ArchiveView(nodes, kTasks, Direction::Maximize)
                                     .inFlight(busy, pending)
                                     .allowingExpansions(allowed);
        SicaStrategy sica({}, 1);
        const Action action = sica.next(view);
        QCOMPARE(int(action.kind), kind);
        QCOMPARE(action.node, node);
        if (action.kind == Action::Kind::Evaluate)
            QCOMPARE(action.tasks, kTasks);
    }

    void keepRule_data()
    {
        QTest::addColumn<QString>("archive");
        QTest::addColumn<int>("node");
        QTest::addColumn<bool>("kept");
        QTest::newRow("root is kept") << "0=0.5 0.5 0.5" << 0 << true;
        QTest::newRow("new best is kept") << "0=0.5 0.5 0.5;1=0.6 0.6 0.6" << 1 << true;
        QTest::newRow("within the bound is kept") << "0=0.5 0.5 0.5;1=0.7 0.9 0.5;2=0.6 0.6 0.6" << 2 << true;
        QTest::newRow("below the bound is reverted") << "0=0.5 0.5 0.5;1=0.4 0.4 0.4" << 1 << false;
    }
    void keepRule()
    {
        QFETCH(QString, archive);
        QFETCH(int, node);
        QFETCH(bool, kept);
        const auto nodes = parseArchive(archive);
        const ArchiveView view(nodes, kTasks, Direction::Maximize);
        SicaStrategy sica({}, 1);
        const auto flags = sica.flagsAfterEvaluation(view, *view.find(node));
        QVERIFY(flags.has_value());
        QCOMPARE(bool(*flags & FlagKept), kept);
        QCOMPARE(bool(*flags & FlagReverted), !kept);
    }

    void parameters()
    {
        QCOMPARE(SicaStrategy(nlohmann::json{{"z", 2.5}}, 1).parameters().at("z").get<double>(), 2.5);
        QVERIFY_THROWS_EXCEPTION(InputError, SicaStrategy(nlohmann::json{{"zz", 1}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, SicaStrategy(nlohmann::json{{"z", "x"}}, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, makeStrategy("nope", {}, 1));
        QCOMPARE(QString::fromStdString(makeStrategy("sica", nlohmann::json::object(), 1)->name()),
                 QString("sica"));
    }
};

QTEST_GUILESS_MAIN(TestSicaStrategy)
#include "tst_sicastrategy.moc"
