// TreeScene: colours, marks, best path, links for keyboard navigation, roll-ups, filter,
// secondary edges and the grid index.
#include "models/TreeScene.h"

#include <QtTest>

using namespace clade::models;
using clade::engine::Node;
using clade::engine::NodeStatus;

namespace {

Node node(int id, std::vector<int> parents, NodeStatus status, std::optional<double> score,
          const char* description = "", unsigned flags = 0)
{
    Node n;
    n.id = id;
    n.parents = std::move(parents);
    n.status = status;
    n.score = score;
    n.description = description;
    n.flags = flags;
    n.proposer.cost = 0.5;
    return n;
}

// 0 (0.2) has children 1 (0.5, kept) and 2 (failed); 1 has children 3 (0.9) and 4
// (awaiting approval, a crossover whose second parent is 2).
std::vector<Node> sample()
{
    return {node(0, {}, NodeStatus::Evaluated, 0.2, "root"),
            node(1, {0}, NodeStatus::Evaluated, 0.5, "Cache the prompt", clade::engine::FlagKept),
            node(2, {0}, NodeStatus::Failed, std::nullopt, "rewrite parser"),
            node(3, {1}, NodeStatus::Evaluated, 0.9, "cache tool output"),
            node(4, {1, 2}, NodeStatus::AwaitingApproval, std::nullopt, "merge")};
}

} // namespace

class TestTreeScene : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void coloursMarksAndLinks()
    {
        const auto scene = TreeScene::build(sample());
        QCOMPARE(scene->size(), 5);
        QCOMPARE(scene->bestId(), 3);
        QCOMPARE(scene->minScore(), 0.2);
        QCOMPARE(scene->maxScore(), 0.9);
        const SceneNode& best = scene->node(scene->indexOf(3));
        QVERIFY(best.has(MarkBest) && best.has(MarkBestPath));
        QCOMPARE(best.colorKey, 1.f);
        QCOMPARE(scene->node(scene->indexOf(0)).colorKey, 0.f);
        QVERIFY(scene->node(scene->indexOf(1)).has(MarkBestPath));
        QVERIFY(scene->node(scene->indexOf(1)).has(MarkKept));
        QVERIFY(!scene->node(scene->indexOf(2)).has(MarkBestPath));
        QVERIFY(scene->node(scene->indexOf(2)).colorClass == ColorClass::Failed);
        QVERIFY(scene->node(scene->indexOf(4)).colorClass == ColorClass::AwaitingApproval);

        const SceneNode& one = scene->node(scene->indexOf(1));
        QCOMPARE(scene->node(one.parent).id, 0);
        QCOMPARE(scene->node(one.firstChild).id, 3);
        QCOMPARE(scene->node(one.lastChild).id, 4);
        QCOMPARE(scene->node(one.nextSibling).id, 2);
        QCOMPARE(scene->node(scene->node(one.nextSibling).prevSibling).id, 1);
        QCOMPARE(scene->description(scene->indexOf(1)), std::string_view("Cache the prompt"));

        QCOMPARE(scene->secondaryEdges().size(), size_t(1));
        QCOMPARE(scene->node(scene->secondaryEdges()[0].from).id, 2);
        QCOMPARE(scene->node(scene->secondaryEdges()[0].to).id, 4);
    }

    // For a lower-is-better run the bright (1) end is still the best node.
    void colourKeyFollowsTheDirection()
    {
        TreeScene::Options options;
        options.higherIsBetter = false;
        const auto scene = TreeScene::build(sample(), options);
        QCOMPARE(scene->bestId(), 0);
        QVERIFY(!scene->higherIsBetter());
        QCOMPARE(scene->node(scene->indexOf(0)).colorKey, 1.f);
        QCOMPARE(scene->node(scene->indexOf(3)).colorKey, 0.f);
        QCOMPARE(scene->minScore(), 0.2); // the range itself stays numeric
    }

    // Colouring by hgm's clade estimate: scored nodes take their clade's estimate on the
    // key (normalised over the estimates), statuses keep their colours, a scored node
    // without an estimate (a blocked clade) reads as unscored; without estimates the
    // option falls back to scores.
    void colourByCladeEstimate()
    {
        auto insight = std::make_shared<clade::engine::StrategyInsight>();
        insight->strategy = "hgm";
        insight->nodes[0].cladeEstimate = 0.6;
        insight->nodes[1].cladeEstimate = 0.8;
        insight->nodes[2].cladeEstimate = 0.7; // failed: keeps its status colour
        TreeScene::Options options;
        options.colorBy = ColorBy::CladeEstimate;
        const auto scene = TreeScene::build(sample(), options, insight);
        QCOMPARE(int(scene->colorBy()), int(ColorBy::CladeEstimate));
        QVERIFY(scene->hasColorRange());
        QCOMPARE(scene->colorWorst(), 0.6);
        QCOMPARE(scene->colorBest(), 0.8);
        QCOMPARE(scene->node(scene->indexOf(0)).colorKey, 0.f);
        QCOMPARE(scene->node(scene->indexOf(1)).colorKey, 1.f);
        QCOMPARE(scene->node(scene->indexOf(2)).colorClass, ColorClass::Failed);
        QCOMPARE(scene->node(scene->indexOf(3)).colorClass, ColorClass::Unscored);
        QVERIFY(scene->insightFor(1) && scene->insightFor(1)->cladeEstimate);
        QCOMPARE(scene->bestId(), 3); // the best node is still the best score

        insight->strategy = "islands"; // no clade estimates: scores again
        const auto plain = TreeScene::build(sample(), options, insight);
        QCOMPARE(int(plain->colorBy()), int(ColorBy::Score));
        QCOMPARE(plain->node(plain->indexOf(3)).colorKey, 1.f);
        QCOMPARE(plain->colorBest(), 0.9);
    }

    void rollups()
    {
        const auto scene = TreeScene::build(sample());
        const CladeRollup& root = scene->rollup(scene->indexOf(0));
        QCOMPARE(root.size, 5);
        QCOMPARE(root.bestId, 3);
        QCOMPARE(root.evaluatedOk, 3);
        QCOMPARE(root.failed, 1);
        QCOMPARE(root.okShare(), 0.75);
        QCOMPARE(root.cost, 2.5);
        const CladeRollup& one = scene->rollup(scene->indexOf(1));
        QCOMPARE(one.size, 3);
        QCOMPARE(scene->rollup(scene->indexOf(2)).okShare(), 0.0);
        QCOMPARE(scene->rollup(scene->indexOf(4)).okShare(), -1.0);
    }

    void collapseKeepsRollupsAndMarksTheNode()
    {
        TreeScene::Options options;
        options.collapsedIds = {1};
        const auto scene = TreeScene::build(sample(), options);
        QCOMPARE(scene->size(), 3);
        QCOMPARE(scene->indexOf(3), -1);
        const int one = scene->indexOf(1);
        QVERIFY(scene->node(one).has(MarkCollapsed));
        QVERIFY(scene->node(one).has(MarkBestPath)); // the best node is folded inside it
        QCOMPARE(scene->rollup(one).size, 3);
        QVERIFY(scene->secondaryEdges().empty()); // node 4 is hidden
    }

    void filterDimsAndLists()
    {
        TreeScene::Options options;
        options.filter.text = "CACHE";
        auto scene = TreeScene::build(sample(), options);
        QVERIFY(scene->filterActive());
        QCOMPARE(scene->size(), 5); // dimmed, not removed
        QCOMPARE(scene->matches().size(), size_t(2));
        QCOMPARE(scene->node(scene->matches()[0]).id, 1);
        QCOMPARE(scene->node(scene->matches()[1]).id, 3);
        QVERIFY(scene->node(scene->indexOf(0)).has(MarkDimmed));

        options.filter = {};
        options.filter.minScore = 0.4;
        options.filter.statuses = TreeFilter::statusBit(NodeStatus::Evaluated);
        scene = TreeScene::build(sample(), options);
        QCOMPARE(scene->matches().size(), size_t(2));
        options.filter = {};
        options.filter.statuses = TreeFilter::statusBit(NodeStatus::Failed);
        scene = TreeScene::build(sample(), options);
        QCOMPARE(scene->matches().size(), size_t(1));
        QVERIFY(!TreeScene::build(sample())->filterActive());
    }

    void filterMatchesTagsAndMarksReview()
    {
        auto nodes = sample();
        nodes[2].tags = {"Parser-Idea", "revisit"};
        nodes[3].flags |= clade::engine::FlagHeld | clade::engine::FlagStarred;
        TreeScene::Options options;
        options.filter.text = "parser-idea";
        auto scene = TreeScene::build(nodes, options);
        QCOMPARE(scene->matches().size(), size_t(1));
        QCOMPARE(scene->node(scene->matches()[0]).id, 2);
        const SceneNode& held = scene->node(scene->indexOf(3));
        QVERIFY(held.has(MarkHeld) && held.has(MarkStarred) && held.has(MarkBest));
        QVERIFY(!scene->node(scene->indexOf(1)).has(MarkHeld));

        // A person's notes are searched too.
        nodes[1].notes = {"Compare with the cache-free variant"};
        options.filter.text = "CACHE-FREE";
        const auto noted = TreeScene::build(nodes, options);
        QCOMPARE(noted->matches().size(), size_t(1));
        QCOMPARE(noted->node(noted->matches()[0]).id, 1);
    }

    void gridIndex()
    {
        // A wide star and a deep chain, so nodes spread over many cells.
        std::vector<Node> nodes{node(0, {}, NodeStatus::Evaluated, 0.0)};
        for (int i = 1; i <= 300; ++i)
            nodes.push_back(node(i, {0}, NodeStatus::Evaluated, i / 300.0));
        for (int i = 301; i <= 600; ++i)
            nodes.push_back(node(i, {i - 1}, NodeStatus::Proposed, std::nullopt));
        const auto scene = TreeScene::build(nodes);
        QCOMPARE(scene->columns(), 300);
        for (int k = 0; k < scene->size(); ++k) {
            const SceneNode& n = scene->node(k);
            QCOMPARE(scene->hitTest(n.x + 0.1f, n.y - 0.1f, 0.4f, 0.4f), k);
        }
        QCOMPARE(scene->hitTest(150.5f, 200.f, 0.3f, 0.3f), -1);
        int inRect = 0;
        scene->forEachNodeIn(100, 1, 120, 1, [&](int k) {
            const SceneNode& n = scene->node(k);
            inRect += n.x >= 100 && n.x <= 120 && n.y == 1;
        });
        QCOMPARE(inRect, 21);
        // The root's bar spans all 300 columns: every cell on its row reports a piece.
        float covered = 0;
        scene->forEachBarIn(0, 0, 400, 0.5f, [&](int p, float x0, float x1) {
            QCOMPARE(scene->node(p).id, 0);
            covered += x1 - x0;
        });
        QCOMPARE(covered, 299.f);
    }
};

QTEST_GUILESS_MAIN(TestTreeScene)
#include "tst_treescene.moc"
