#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/store/Node.h"
#include "engine/strategy/StrategyInsight.h"
#include "models/TreeFilter.h"
#include "models/TreeLayout.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

namespace clade::models {

/// How a node is coloured: by its score, or by a status that has none.
enum class ColorClass : std::uint8_t {
    Scored,           ///< colourKey is the score normalised over the evaluated nodes
    Unscored,         ///< proposed, or evaluated without a score
    Evaluating,
    AwaitingApproval,
    Failed,
    Rejected,
};

enum SceneMark : std::uint16_t {
    MarkKept = 1u << 0,
    MarkReverted = 1u << 1,
    MarkPinned = 1u << 2,
    MarkBest = 1u << 3,
    MarkBestPath = 1u << 4, ///< on the primary path from the root to the best node
    MarkCollapsed = 1u << 5, ///< has descendants hidden under it
    MarkDimmed = 1u << 6,    ///< fails the filter
    MarkArchived = 1u << 7,
    MarkHeld = 1u << 8,    ///< evaluated, its keep decision waits for a person
    MarkStarred = 1u << 9, ///< a person starred it
    MarkGuardFailed = 1u << 10, ///< evaluated, and fails one of the run's guards (engine::checkGuards)
};

/// One visible node. Positions are in layout units: x = column, y = depth.
struct SceneNode {
    int id = -1;
    float x = 0;
    float y = 0;
    float colorKey = 0; ///< in [0, 1] for ColorClass::Scored
    ColorClass colorClass = ColorClass::Unscored;
    std::uint16_t marks = 0;
    engine::NodeStatus status = engine::NodeStatus::Proposed;
    int parent = -1; ///< scene index of the primary parent; -1 for a root
    int firstChild = -1;
    int lastChild = -1;
    int prevSibling = -1;
    int nextSibling = -1;
    std::optional<double> score;

    bool has(SceneMark mark) const { return (marks & mark) != 0; }
};

/// Totals over a node's whole clade (itself and every descendant by primary parent,
/// including those hidden under a collapsed node).
struct CladeRollup {
    int size = 0;
    int bestId = -1; ///< best evaluated descendant passing the guards (or the node itself); -1 if none
    double bestScore = 0;
    int evaluatedOk = 0;
    int failed = 0;
    double cost = 0; ///< proposer cost, USD

    /// Share of finished evaluations that succeeded; -1 when none finished.
    double okShare() const
    {
        return evaluatedOk + failed ? double(evaluatedOk) / (evaluatedOk + failed) : -1;
    }
};

struct SceneEdge {
    int from = -1; ///< scene index of the parent
    int to = -1;   ///< scene index of the child
};

/// What a node's colour stands for.
enum class ColorBy : std::uint8_t {
    Score,         ///< its own primary score
    CladeEstimate, ///< hgm: the estimate of its whole clade's promise (StrategyInsight)
};

/// What a scene shows besides the nodes themselves.
struct TreeSceneOptions {
    TreeFilter filter;
    std::vector<int> collapsedIds; ///< nodes whose clades are folded away
    bool higherIsBetter = true;    ///< the manifest's score direction
    ColorBy colorBy = ColorBy::Score; ///< Score when the insight has no clade estimates
    /// The node marked best, with its path: the run's best (engine::runBest, which the
    /// builder passes, so the tree names the node status and the engine name). Unset:
    /// engine::bestNode over the nodes alone (a scene of bare nodes, as in tests).
    std::optional<int> bestId;
    /// The run's guards (the manifest's metrics.guards; the builder passes them). An
    /// evaluated node failing them (engine::checkGuards) carries MarkGuardFailed and is
    /// never a best: not the bare-nodes best above, nor a clade's best in its roll-up.
    std::vector<engine::GuardMetric> guards;
};

/// An immutable picture of the run's tree for TreeView and TreeMinimap: positions,
/// colours, marks, edges, a grid index for culling and hit tests, and clade roll-ups.
/// Built off the GUI thread (build() is a pure function) and shared as
/// std::shared_ptr<const TreeScene>. Scene indices follow the grid (for drawing speed), not
/// ids or preorder: look nodes up with indexOf().
class TreeScene {
public:
    using Options = TreeSceneOptions;

    using InsightPtr = std::shared_ptr<const engine::StrategyInsight>;

    /// Lays out and builds in one call. `insight` is what the run's strategy knows of the
    /// nodes (null: nothing beyond scores); the scene keeps it for the views.
    static std::shared_ptr<const TreeScene> build(const std::vector<engine::Node>& nodes,
                                                  const Options& options = {},
                                                  InsightPtr insight = nullptr);
    /// Builds from a layout computed by the caller over primaryParents(nodes) and
    /// collapsedFlags(nodes, options.collapsedIds).
    static std::shared_ptr<const TreeScene> build(const std::vector<engine::Node>& nodes,
                                                  const TreeLayout& layout, const Options& options,
                                                  InsightPtr insight = nullptr);
    /// The layout's input: per node, the index of its primary parent (-1 for a root).
    static std::vector<int> primaryParents(const std::vector<engine::Node>& nodes);
    static std::vector<std::uint8_t> collapsedFlags(const std::vector<engine::Node>& nodes,
                                                    const std::vector<int>& collapsedIds);

    // --- nodes -------------------------------------------------------------------------
    const std::vector<SceneNode>& nodes() const { return m_nodes; }
    int size() const { return static_cast<int>(m_nodes.size()); }
    const SceneNode& node(int index) const { return m_nodes[static_cast<size_t>(index)]; }
    /// Scene index of a node id, or -1 if it is not visible.
    int indexOf(int id) const;
    std::string_view description(int index) const;
    const CladeRollup& rollup(int index) const { return m_rollups[static_cast<size_t>(index)]; }
    const std::vector<SceneEdge>& secondaryEdges() const { return m_secondary; }

    // --- extent, scores, filter ----------------------------------------------------------
    int columns() const { return m_columns; }
    int rows() const { return m_rows; }
    double minScore() const { return m_minScore; }
    double maxScore() const { return m_maxScore; }
    /// The colour key runs from worst (0) to best (1): for a lower-is-better run, from the
    /// highest score to the lowest.
    bool higherIsBetter() const { return m_higherIsBetter; }
    int bestId() const { return m_bestId; }
    /// The run declares guards (the legend explains their mark only then).
    bool hasGuards() const { return m_hasGuards; }
    /// Why the visible node `id` fails its guards (engine::GuardReport::failures()); empty
    /// when it passes them, has not been scored, or is not in the scene.
    std::string_view guardFailures(int id) const;
    /// What the colour key stands for and the values at its ends (worst, best): the score
    /// range, or for ColorBy::CladeEstimate the range of the clade estimates.
    ColorBy colorBy() const { return m_colorBy; }
    bool hasColorRange() const { return m_colorBy == ColorBy::Score ? m_hasScores : m_hasEstimates; }
    double colorWorst() const;
    double colorBest() const;
    /// What the run's strategy knows of its nodes; null for strategies that keep nothing.
    const engine::StrategyInsight* insight() const { return m_insight.get(); }
    const engine::NodeInsight* insightFor(int id) const { return m_insight ? m_insight->find(id) : nullptr; }
    bool filterActive() const { return m_filterActive; }
    /// Scene indices of the visible nodes that pass the filter, by id (search next/prev).
    const std::vector<int>& matches() const { return m_matches; }
    int totalNodes() const { return m_totalNodes; }

    // --- spatial index ------------------------------------------------------------------
    /// Calls f(sceneIndex) for each node in cells touching the rectangle (layout units);
    /// may report nodes slightly outside it.
    template <typename F> void forEachNodeIn(float x0, float y0, float x1, float y1, F&& f) const
    {
        forEachCell(x0, y0, x1, y1, m_nodeCellStart, m_nodeCellItems, f);
    }

    /// Calls f(sceneIndex of parent, barX0, barX1) once for each children bar (the
    /// horizontal line at y + 0.5 joining a parent to its children) that meets the
    /// rectangle, clipped to it.
    template <typename F> void forEachBarIn(float x0, float y0, float x1, float y1, F&& f) const
    {
        if (m_nodes.empty())
            return;
        const int cy0 = std::clamp(int(std::floor(y0 / m_cellHeight)), 0, m_cellsY - 1);
        const int cy1 = std::clamp(int(std::floor(y1 / m_cellHeight)), 0, m_cellsY - 1);
        for (int cy = cy0; cy <= cy1; ++cy)
            for (int k = m_barBandStart[size_t(cy)]; k < m_barBandStart[size_t(cy) + 1]; ++k) {
                const int p = m_barBandItems[size_t(k)];
                const SceneNode& n = m_nodes[size_t(p)];
                if (n.x > x1)
                    break; // sorted by start: the rest start further right
                if (n.y < y0 - 1 || n.y > y1)
                    continue;
                const float end = m_nodes[size_t(n.lastChild)].x;
                if (end >= x0 && end > n.x)
                    f(p, std::max(n.x, x0), std::min(end, x1));
            }
    }
    /// The visible node nearest to (x, y) within `radius` (layout units), or -1.
    int hitTest(float x, float y, float radiusX, float radiusY) const;

private:
    template <typename F>
    void forEachCell(float x0, float y0, float x1, float y1, const std::vector<int>& start,
                     const std::vector<int>& items, F&& f) const
    {
        if (m_nodes.empty())
            return;
        const int cx0 = std::clamp(int(std::floor(x0 / m_cellWidth)), 0, m_cellsX - 1);
        const int cx1 = std::clamp(int(std::floor(x1 / m_cellWidth)), 0, m_cellsX - 1);
        const int cy0 = std::clamp(int(std::floor(y0 / m_cellHeight)), 0, m_cellsY - 1);
        const int cy1 = std::clamp(int(std::floor(y1 / m_cellHeight)), 0, m_cellsY - 1);
        for (int cy = cy0; cy <= cy1; ++cy)
            for (int cx = cx0; cx <= cx1; ++cx) {
                const size_t cell = size_t(cy) * size_t(m_cellsX) + size_t(cx);
                for (int k = start[cell]; k < start[cell + 1]; ++k)
                    f(items[static_cast<size_t>(k)]);
            }
    }
    void buildIndex();

    std::vector<SceneNode> m_nodes;
    std::vector<CladeRollup> m_rollups;
    std::vector<SceneEdge> m_secondary;
    std::vector<std::pair<int, int>> m_idToIndex; ///< sorted by id
    std::string m_descriptionText;                ///< all descriptions, back to back
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_descriptionSpan; ///< offset, length
    std::vector<int> m_matches;
    int m_columns = 0;
    int m_rows = 0;
    int m_totalNodes = 0;
    bool m_hasScores = false;
    double m_minScore = 0;
    double m_maxScore = 0;
    bool m_higherIsBetter = true;
    ColorBy m_colorBy = ColorBy::Score;
    bool m_hasEstimates = false;
    double m_minEstimate = 0;
    double m_maxEstimate = 0;
    InsightPtr m_insight;
    int m_bestId = -1;
    bool m_hasGuards = false;
    std::vector<std::pair<int, std::string>> m_guardFailures; ///< by id, failing nodes only
    bool m_filterActive = false;
    // Grid index: cells of m_cellWidth x m_cellHeight layout units, items per cell in
    // compressed form.
    int m_cellWidth = 16;
    int m_cellHeight = 16;
    int m_cellsX = 1;
    int m_cellsY = 1;
    std::vector<int> m_nodeCellStart;
    std::vector<int> m_nodeCellItems;
    std::vector<int> m_barBandStart; ///< per cell row: parents with children, by column
    std::vector<int> m_barBandItems;
};

} // namespace clade::models
