// TreeView on a handmade run: click selects, Ctrl+click compares, keys navigate, fit shows
// everything, double-click folds; screenshots for a person to look at.
#include "ui/ColorLegend.h"
#include "ui/TreeMinimap.h"
#include "ui/TreeView.h"

#include "support/Screenshot.h"

#include <QSignalSpy>
#include <QtTest>

#include <random>

using namespace clade;
using engine::Node;
using engine::NodeStatus;

namespace {

Node node(int id, std::vector<int> parents, NodeStatus status, std::optional<double> score,
          unsigned flags = 0)
{
    Node n;
    n.id = id;
    n.parents = std::move(parents);
    n.status = status;
    n.score = score;
    n.flags = flags;
    n.description = "change " + std::to_string(id) + ": tweak the planner prompt";
    n.proposer.cost = 0.02;
    return n;
}

// A small SICA/DGM-like run: a kept chain with side branches, failures, one crossover,
// and nodes in every status.
std::vector<Node> handmadeRun()
{
    using S = NodeStatus;
    const unsigned kept = engine::FlagKept;
    return {
        node(0, {}, S::Evaluated, 0.31, kept),
        node(1, {0}, S::Evaluated, 0.42, kept),
        node(2, {0}, S::Failed, std::nullopt),
        node(3, {1}, S::Evaluated, 0.38),
        node(4, {1}, S::Evaluated, 0.55, kept),
        node(5, {4}, S::Evaluated, 0.61, kept | engine::FlagPinned),
        node(6, {4}, S::Rejected, std::nullopt),
        node(7, {5}, S::Evaluated, 0.58, engine::FlagReverted),
        node(8, {5}, S::Evaluated, 0.74, kept),
        node(9, {3}, S::Evaluated, 0.47),
        node(10, {9}, S::Failed, std::nullopt),
        node(11, {8}, S::Evaluated, 0.81, kept),
        node(12, {8, 9}, S::Evaluated, 0.66),
        node(13, {11}, S::AwaitingApproval, std::nullopt),
        node(14, {11}, S::Evaluating, std::nullopt),
        node(15, {2}, S::Evaluated, 0.22),
        node(16, {11}, S::Proposed, std::nullopt),
        node(17, {12}, S::Evaluated, 0.70),
        node(18, {9}, S::Evaluated, 0.51),
        node(19, {18}, S::Failed, std::nullopt),
    };
}

} // namespace

class TestTreeView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_nodes = handmadeRun();
        m_view = std::make_unique<ui::TreeView>();
        m_view->resize(1000, 640);
        m_view->setScene(models::TreeScene::build(m_nodes));
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_view->fitAll();
    }
    void cleanup() { m_view.reset(); }

    void fitShowsEveryNode()
    {
        const QRect area = m_view->viewport()->rect();
        const auto& scene = *m_view->scene();
        for (const auto& n : scene.nodes())
            QVERIFY(area.contains(pixelOf(n.id)));
        QVERIFY(m_view->legend()->isVisible());
        QVERIFY(!m_view->minimap()->isVisible()); // everything in view: no overview needed
        m_view->zoomBy(8);
        QVERIFY(m_view->minimap()->isVisible());
        QVERIFY(!area.contains(pixelOf(0)) || !area.contains(pixelOf(19)));
        QTest::keyClick(m_view.get(), Qt::Key_F);
        for (const auto& n : scene.nodes())
            QVERIFY(area.contains(pixelOf(n.id)));
    }

    void clickSelectsAndCtrlClickCompares()
    {
        QSignalSpy current(m_view.get(), &ui::TreeView::currentNodeChanged);
        QSignalSpy compare(m_view.get(), &ui::TreeView::comparePairChanged);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, pixelOf(8));
        QCOMPARE(current.count(), 1);
        QCOMPARE(current.at(0).at(0).toInt(), 8);
        QCOMPARE(m_view->currentNode(), 8);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::ControlModifier, pixelOf(17));
        QCOMPARE(compare.count(), 1);
        QCOMPARE(compare.at(0).at(0).toInt(), 8);
        QCOMPARE(compare.at(0).at(1).toInt(), 17);
        QCOMPARE(m_view->currentNode(), 8); // the current node stays
        // A click on empty canvas changes nothing.
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(3, 3));
        QCOMPARE(m_view->currentNode(), 8);
    }

    void keyboardNavigation()
    {
        m_view->setCurrentNode(5);
        QTest::keyClick(m_view.get(), Qt::Key_Up);
        QCOMPARE(m_view->currentNode(), 4);
        QTest::keyClick(m_view.get(), Qt::Key_Down);
        QCOMPARE(m_view->currentNode(), 5); // first child
        QTest::keyClick(m_view.get(), Qt::Key_Right);
        QCOMPARE(m_view->currentNode(), 6);
        QTest::keyClick(m_view.get(), Qt::Key_Right);
        QCOMPARE(m_view->currentNode(), 6); // no further sibling
        QTest::keyClick(m_view.get(), Qt::Key_Left);
        QCOMPARE(m_view->currentNode(), 5);
        QTest::keyClick(m_view.get(), Qt::Key_Up);
        QTest::keyClick(m_view.get(), Qt::Key_Up);
        QTest::keyClick(m_view.get(), Qt::Key_Up);
        QCOMPARE(m_view->currentNode(), 0);
        QTest::keyClick(m_view.get(), Qt::Key_Up);
        QCOMPARE(m_view->currentNode(), 0); // the root has no parent

        // With nothing selected, arrows pan.
        m_view->setCurrentNode(-1);
        const double before = m_view->transform().ox;
        QTest::keyClick(m_view.get(), Qt::Key_Left);
        QVERIFY(m_view->transform().ox > before);
    }

    void collapseAsksTheOwner()
    {
        QSignalSpy toggled(m_view.get(), &ui::TreeView::collapseToggled);
        QTest::mouseDClick(m_view->viewport(), Qt::LeftButton, {}, pixelOf(9));
        QCOMPARE(toggled.count(), 1);
        QCOMPARE(toggled.at(0).at(0).toInt(), 9);
        QCOMPARE(toggled.at(0).at(1).toBool(), true);

        // The owner rebuilds with 9 folded; Space on it asks to unfold.
        models::TreeScene::Options options;
        options.collapsedIds = {9};
        m_view->setScene(models::TreeScene::build(m_nodes, options));
        QCOMPARE(m_view->scene()->indexOf(10), -1);
        m_view->setCurrentNode(9);
        QTest::keyClick(m_view.get(), Qt::Key_Space);
        QCOMPARE(toggled.count(), 2);
        QCOMPARE(toggled.at(1).at(1).toBool(), false);
        QTest::keyClick(m_view.get(), Qt::Key_Down); // nothing visible below a folded node
        QCOMPARE(m_view->currentNode(), 9);
    }

    void searchMovesThroughMatches()
    {
        models::TreeScene::Options options;
        options.filter.minScore = 0.6;
        m_view->setScene(models::TreeScene::build(m_nodes, options));
        m_view->setCurrentNode(-1);
        QTest::keyClick(m_view.get(), Qt::Key_F3);
        QCOMPARE(m_view->currentNode(), 5);
        QTest::keyClick(m_view.get(), Qt::Key_F3);
        QCOMPARE(m_view->currentNode(), 8);
        QTest::keyClick(m_view.get(), Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(m_view->currentNode(), 5);
        QTest::keyClick(m_view.get(), Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(m_view->currentNode(), 17); // wraps around
    }

    void screenshots()
    {
        // Close-up of the handmade run with a selection and a comparison.
        m_view->setCurrentNode(11);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::ControlModifier, pixelOf(17));
        saveShot(QStringLiteral("tst_treeview.png"));

        // A 5,000-node synthetic run at fit (far level of detail), then at medium zoom.
        std::mt19937 rng(3);
        std::vector<Node> big{node(0, {}, NodeStatus::Evaluated, 0.3)};
        for (int i = 1; i < 5000; ++i) {
            const int parent = std::uniform_real_distribution<>(0, 1)(rng) < 0.6
                                   ? i - 1
                                   : std::uniform_int_distribution<int>(0, i - 1)(rng);
            const double u = std::uniform_real_distribution<>(0, 1)(rng);
            const auto& p = big[size_t(parent)];
            const double base = p.score.value_or(0.3);
            Node n = u < 0.12 ? node(i, {parent}, NodeStatus::Failed, std::nullopt)
                              : node(i, {parent}, NodeStatus::Evaluated,
                                     std::clamp(base + std::normal_distribution<>(0.005, 0.04)(rng), 0.0, 1.0));
            if (i % 97 == 0)
                n.parents.push_back(std::uniform_int_distribution<int>(0, i - 1)(rng));
            big.push_back(std::move(n));
        }
        m_view->setScene(models::TreeScene::build(big));
        m_view->setCurrentNode(-1);
        m_view->fitAll();
        saveShot(QStringLiteral("tst_treeview_far.png"));
        m_view->centerOnNode(m_view->scene()->bestId());
        m_view->zoomBy(std::max(1.0, 12 / m_view->transform().sx), std::max(1.0, 12 / m_view->transform().sy),
                       QPointF(500, 320));
        saveShot(QStringLiteral("tst_treeview_mid.png"));
    }

private:
    QPoint pixelOf(int id) const
    {
        const auto& scene = *m_view->scene();
        const auto& n = scene.node(scene.indexOf(id));
        return m_view->transform().toPixels(n.x, n.y).toPoint();
    }

    void saveShot(const QString& name)
    {
        QVERIFY(!testsupport::saveScreenshot(*m_view, name).isEmpty());
    }

    std::vector<Node> m_nodes;
    std::unique_ptr<ui::TreeView> m_view;
};

QTEST_MAIN(TestTreeView)
#include "tst_treeview.moc"
