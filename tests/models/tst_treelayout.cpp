// TreeLayout: no overlaps, parents over their children, linear and iterative, stable when a
// leaf is added, collapsed clades hidden.
#include "models/TreeLayout.h"

#include <QElapsedTimer>
#include <QtTest>

#include <map>
#include <random>
#include <set>

using clade::models::TreeLayout;

namespace {

// A run-like random tree: each node's parent is an earlier node, often the previous one
// (chains), otherwise uniform.
std::vector<int> randomTree(int n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<int> parent(static_cast<size_t>(n), -1);
    for (int i = 1; i < n; ++i)
        parent[static_cast<size_t>(i)] =
            std::uniform_real_distribution<>(0, 1)(rng) < 0.6
                ? i - 1
                : std::uniform_int_distribution<int>(0, i - 1)(rng);
    return parent;
}

// Checks the invariants every layout must hold; returns false with a message otherwise.
void checkInvariants(const std::vector<int>& parent, const TreeLayout& layout)
{
    std::map<int, std::vector<int>> byDepth; // depth -> visible nodes in preorder
    for (int v : layout.preorder())
        if (layout.isVisible(v))
            byDepth[layout.depth(v)].push_back(v);
    for (const auto& [depth, nodes] : byDepth)
        for (size_t k = 1; k < nodes.size(); ++k) // strictly increasing: no overlap, no crossing
            QVERIFY2(layout.column(nodes[k]) > layout.column(nodes[k - 1]),
                     qPrintable(QStringLiteral("overlap at depth %1").arg(depth)));
    for (int v = 0; v < static_cast<int>(parent.size()); ++v) {
        const int p = parent[static_cast<size_t>(v)];
        if (p < 0 || !layout.isVisible(v))
            continue;
        QCOMPARE(layout.depth(v), layout.depth(p) + 1);
        QVERIFY(layout.column(v) >= layout.column(p)); // a parent is never right of a child
    }
}

} // namespace

class TestTreeLayout : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void chainIsOneColumn()
    {
        const auto layout = TreeLayout::compute({-1, 0, 1, 2});
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(layout.column(i), 0);
            QCOMPARE(layout.depth(i), i);
        }
        QCOMPARE(layout.width(), 1);
        QCOMPARE(layout.height(), 4);
    }

    void parentsOverTheirChildren()
    {
        //      0
        //    / | \        node 1 has children 4, 5; node 3 has child 6
        //   1  2  3
        //  / \     \_
        // 4   5     6
        const std::vector<int> parent{-1, 0, 0, 0, 1, 1, 3};
        const auto layout = TreeLayout::compute(parent);
        checkInvariants(parent, layout);
        QCOMPARE(layout.column(0), 0);
        QCOMPARE(layout.column(1), 0);
        QCOMPARE(layout.column(4), 0); // first child straight under its parent
        QCOMPARE(layout.column(5), 1);
        QCOMPARE(layout.column(2), 1);
        QCOMPARE(layout.column(3), 2);
        QCOMPARE(layout.column(6), 2); // 3's child under 3, right of 5
        // Every parent lies within the span of its children.
        for (int p : {0, 1, 3}) {
            int lo = 1 << 30, hi = -1;
            for (int c = 0; c < 7; ++c)
                if (parent[static_cast<size_t>(c)] == p) {
                    lo = std::min(lo, layout.column(c));
                    hi = std::max(hi, layout.column(c));
                }
            QVERIFY(layout.column(p) >= lo && layout.column(p) <= hi);
        }
    }

    void forestAndBadInput()
    {
        // Two roots; node 4 names itself, node 5 an index out of range (both roots);
        // nodes 6 and 7 form a cycle (unreachable, not visible).
        const std::vector<int> parent{-1, 0, -1, 2, 4, 99, 7, 6};
        const auto layout = TreeLayout::compute(parent);
        QCOMPARE(layout.column(2), 1);
        QCOMPARE(layout.column(3), 1);
        QVERIFY(layout.isVisible(4) && layout.isVisible(5));
        QVERIFY(!layout.isVisible(6) && !layout.isVisible(7));
        QCOMPARE(layout.depth(6), -1);
        QCOMPARE(layout.preorder().size(), size_t(6));
    }

    void collapsedCladeHidesDescendants()
    {
        const std::vector<int> parent{-1, 0, 1, 2, 1, 0, 5};
        std::vector<std::uint8_t> collapsed(parent.size(), 0);
        collapsed[1] = 1;
        const auto layout = TreeLayout::compute(parent, collapsed);
        QVERIFY(layout.isVisible(0) && layout.isVisible(1) && layout.isVisible(5) &&
                layout.isVisible(6));
        for (int hidden : {2, 3, 4})
            QVERIFY(!layout.isVisible(hidden));
        QCOMPARE(layout.depth(3), 3); // hidden nodes keep their depth, for roll-ups
        QCOMPARE(layout.preorder().size(), parent.size());
        QCOMPARE(layout.column(5), 1);
        QCOMPARE(layout.column(6), 1); // the hidden clade's columns are free again
        QCOMPARE(layout.height(), 3);
        checkInvariants(parent, layout);
    }

    void stableWhenALeafIsAdded_data()
    {
        QTest::addColumn<unsigned>("seed");
        for (unsigned seed : {1u, 2u, 3u, 4u, 5u})
            QTest::addRow("seed %u", seed) << seed;
    }

    // The bound TreeLayout promises: adding a leaf (the newest node, so the last child of its
    // parent) moves no existing node left, none right by more than one column, and none that
    // comes before the leaf in preorder.
    void stableWhenALeafIsAdded()
    {
        QFETCH(unsigned, seed);
        std::mt19937 rng(seed);
        std::vector<int> parent = randomTree(400, seed);
        TreeLayout before = TreeLayout::compute(parent);
        int movedTotal = 0;
        for (int step = 0; step < 300; ++step) {
            const int n = static_cast<int>(parent.size());
            parent.push_back(std::uniform_int_distribution<int>(0, n - 1)(rng));
            const TreeLayout after = TreeLayout::compute(parent);
            checkInvariants(parent, after);
            const auto& order = after.preorder();
            const auto leafAt = std::find(order.begin(), order.end(), n) - order.begin();
            for (long k = 0; k < static_cast<long>(order.size()); ++k) {
                const int v = order[static_cast<size_t>(k)];
                if (v == n)
                    continue;
                const int dx = after.column(v) - before.column(v);
                QVERIFY2(dx >= 0 && dx <= 1, qPrintable(QStringLiteral("node %1 moved %2").arg(v).arg(dx)));
                if (k < leafAt)
                    QCOMPARE(dx, 0);
                movedTotal += dx;
            }
            before = after;
        }
        QVERIFY(movedTotal > 0); // the test did exercise moves
    }

    void scalesLinearly()
    {
        // 100,000-deep chain: would overflow the stack of a recursive layout.
        std::vector<int> chain(100000);
        for (int i = 0; i < 100000; ++i)
            chain[static_cast<size_t>(i)] = i - 1;
        const auto deep = TreeLayout::compute(chain);
        QCOMPARE(deep.height(), 100000);
        QCOMPARE(deep.width(), 1);
        QCOMPARE(deep.column(99999), 0);

        for (int n : {10000, 100000}) {
            const auto parent = randomTree(n, 7);
            QElapsedTimer timer;
            timer.start();
            const auto layout = TreeLayout::compute(parent);
            qInfo("layout of %d nodes: %lld ms, %d columns x %d rows", n,
                  static_cast<long long>(timer.elapsed()), layout.width(), layout.height());
            QCOMPARE(layout.preorder().size(), size_t(n));
            checkInvariants(parent, layout);
            QVERIFY(layout.width() <= n);
        }
    }
};

QTEST_GUILESS_MAIN(TestTreeLayout)
#include "tst_treelayout.moc"
