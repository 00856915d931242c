// The guard-worsening rule (engine/review/GuardWorseningDetector.h) on nodes built by hand:
// a child whose primary score beats its parent's while a guard metric gets worse than the
// parent's by more than review.guard_worsening is flagged, whichever way either metric
// points; within the fraction, without a rise, for the root, for a node failing its guards
// or without the metric on both sides it is not. How ReviewHolds records and holds the
// finding is in tst_reviewholds.
#include "engine/review/GuardWorseningDetector.h"
#include "support/SyntheticNodes.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace clade::engine;
using testsupport::scoredNode;

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

// Root 0 and child 1, scored `parentScore` and `score`, with the guard metric "latency" at
// `parentValue` and `value` (kNone: not reported).
std::vector<Node> parentAndChild(double parentScore, double score, double parentValue, double value)
{
    Node root = scoredNode(0, -1, {{"t0", parentScore}});
    Node child = scoredNode(1, 0, {{"t0", score}});
    if (!std::isnan(parentValue))
        root.metrics["latency"] = parentValue;
    if (!std::isnan(value))
        child.metrics["latency"] = value;
    return {root, child};
}

Manifest manifest(Direction primary, Direction guard, double limit, double threshold)
{
    Manifest m;
    m.primaryMetric = "score";
    m.direction = primary;
    GuardMetric g{"latency", guard, std::nullopt, std::nullopt};
    if (!std::isnan(limit))
        g.limit = limit;
    m.guards = {g};
    m.review.guardWorsening = threshold;
    return m;
}

} // namespace

class TestGuardWorsening : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void flagsAScoreBoughtWithAGuard_data()
    {
        QTest::addColumn<int>("primary");
        QTest::addColumn<double>("parentScore");
        QTest::addColumn<double>("score");
        QTest::addColumn<int>("guard");
        QTest::addColumn<double>("parentValue");
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("limit");
        QTest::addColumn<double>("threshold");
        QTest::addColumn<bool>("applies");
        QTest::addColumn<bool>("flagged");
        const int max = int(Direction::Maximize);
        const int min = int(Direction::Minimize);
        // name: primary, parent score, score, guard, parent value, value, limit, threshold
        QTest::newRow("score up, latency doubled")
            << max << 0.5 << 0.7 << min << 1.0 << 2.0 << kNone << 0.5 << true << true;
        QTest::newRow("score up, latency 40% worse: within")
            << max << 0.5 << 0.7 << min << 1.0 << 1.4 << kNone << 0.5 << true << false;
        QTest::newRow("score up, latency exactly 50% worse: within")
            << max << 0.5 << 0.7 << min << 1.0 << 1.5 << kNone << 0.5 << true << false;
        QTest::newRow("score level, latency doubled")
            << max << 0.5 << 0.5 << min << 1.0 << 2.0 << kNone << 0.5 << true << false;
        QTest::newRow("score down, latency doubled")
            << max << 0.5 << 0.3 << min << 1.0 << 2.0 << kNone << 0.5 << true << false;
        QTest::newRow("minimized score down is up, latency doubled")
            << min << 0.5 << 0.3 << min << 1.0 << 2.0 << kNone << 0.5 << true << true;
        QTest::newRow("minimized score up is down, latency doubled")
            << min << 0.5 << 0.7 << min << 1.0 << 2.0 << kNone << 0.5 << true << false;
        QTest::newRow("maximized guard falls by two thirds")
            << max << 0.5 << 0.7 << max << 0.9 << 0.3 << kNone << 0.5 << true << true;
        QTest::newRow("maximized guard rises")
            << max << 0.5 << 0.7 << max << 0.3 << 0.9 << kNone << 0.5 << true << false;
        QTest::newRow("guard was 0 and got worse")
            << max << 0.5 << 0.7 << min << 0.0 << 0.1 << kNone << 0.5 << true << true;
        QTest::newRow("threshold 0: any worsening")
            << max << 0.5 << 0.7 << min << 1.0 << 1.01 << kNone << 0.0 << true << true;
        QTest::newRow("no value on the parent")
            << max << 0.5 << 0.7 << min << kNone << 2.0 << kNone << 0.5 << true << false;
        // Past its limit the node fails its guards and is never kept: no keep to hold.
        QTest::newRow("guard failed")
            << max << 0.5 << 0.7 << min << 1.0 << 2.0 << 1.5 << 0.5 << false << false;
        QTest::newRow("within the limit")
            << max << 0.5 << 0.7 << min << 1.0 << 2.0 << 3.0 << 0.5 << true << true;
    }
    void flagsAScoreBoughtWithAGuard()
    {
        QFETCH(int, primary);
        QFETCH(double, parentScore);
        QFETCH(double, score);
        QFETCH(int, guard);
        QFETCH(double, parentValue);
        QFETCH(double, value);
        QFETCH(double, limit);
        QFETCH(double, threshold);
        QFETCH(bool, applies);
        QFETCH(bool, flagged);
        const auto nodes = parentAndChild(parentScore, score, parentValue, value);
        const Manifest m = manifest(static_cast<Direction>(primary), static_cast<Direction>(guard),
                                    limit, threshold);

        const auto assessment = assessGuardWorsening(nodes[1], nodes, m);
        QCOMPARE(assessment.has_value(), applies);
        if (assessment)
            QCOMPARE(assessment->flagged, flagged);
        const auto finding = detectGuardWorsening(nodes[1], nodes, m);
        QCOMPARE(finding.has_value(), flagged);
        if (finding) {
            QCOMPARE(finding->detector, "guard-worsening");
            QVERIFY(finding->path.empty());
        }
    }

    // What a person reads: the metric, both values, by how much, the parent, and what to do.
    void theFindingSaysWhatWorsened()
    {
        const auto nodes = parentAndChild(0.5, 0.7, 1.0, 1.8);
        const auto finding = detectGuardWorsening(
            nodes[1], nodes, manifest(Direction::Maximize, Direction::Minimize, kNone, 0.5));
        QVERIFY(finding);
        const QString message = QString::fromStdString(finding->message);
        for (const char* part : {"score 0.7 improves on parent node 0 (0.5)",
                                 "latency 1.8 is 80% worse than the parent's 1 (minimize)",
                                 "more than the 50% review.guard_worsening allows",
                                 "check for reward hacking before building on it"})
            QVERIFY2(message.contains(part), qPrintable(message));

        const auto fromZero = parentAndChild(0.5, 0.7, 0.0, 0.1);
        const auto infinite = detectGuardWorsening(
            fromZero[1], fromZero, manifest(Direction::Maximize, Direction::Minimize, kNone, 0.5));
        QVERIFY(infinite);
        QVERIFY2(QString::fromStdString(infinite->message)
                     .contains("latency 0.1 is worse than the parent's 0 (minimize)"),
                 infinite->message.c_str());
    }

    // The root has no parent to be worse than; a node not evaluated has no values; a run
    // without guards has nothing to worsen.
    void doesNotApplyWithoutAParentOrGuards()
    {
        auto nodes = parentAndChild(0.5, 0.7, 1.0, 2.0);
        const Manifest m = manifest(Direction::Maximize, Direction::Minimize, kNone, 0.5);
        QVERIFY(!assessGuardWorsening(nodes[0], nodes, m));
        QVERIFY(!detectGuardWorsening(nodes[0], nodes, m));

        Manifest noGuards = m;
        noGuards.guards.clear();
        QVERIFY(!assessGuardWorsening(nodes[1], nodes, noGuards));

        nodes[1].status = NodeStatus::Failed;
        QVERIFY(!assessGuardWorsening(nodes[1], nodes, m));
    }

    // Compared with the primary parent, not with an older ancestor: a grandchild whose
    // latency stays where its parent's already was is not flagged again.
    void comparesWithThePrimaryParent()
    {
        auto nodes = parentAndChild(0.5, 0.6, 1.0, 2.0);
        Node grandchild = scoredNode(2, 1, {{"t0", 0.7}});
        grandchild.metrics["latency"] = 2.2;
        nodes.push_back(grandchild);
        const Manifest m = manifest(Direction::Maximize, Direction::Minimize, kNone, 0.5);
        const auto a = assessGuardWorsening(nodes[2], nodes, m);
        QVERIFY(a);
        QCOMPARE(a->parentId, 1);
        QVERIFY(!a->flagged);
    }
};

QTEST_GUILESS_MAIN(TestGuardWorsening)
#include "tst_guardworsening.moc"
