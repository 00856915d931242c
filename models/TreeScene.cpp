#include "models/TreeScene.h"

#include "engine/eval/GuardCheck.h"
#include "engine/strategy/BestNode.h"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace clade::models {
namespace {

using engine::Node;
using engine::NodeStatus;

ColorClass colorClassOf(const Node& node)
{
    switch (node.status) {
    case NodeStatus::Evaluated: return node.score ? ColorClass::Scored : ColorClass::Unscored;
    case NodeStatus::Evaluating: return ColorClass::Evaluating;
    case NodeStatus::AwaitingApproval: return ColorClass::AwaitingApproval;
    case NodeStatus::Failed: return ColorClass::Failed;
    case NodeStatus::Rejected: return ColorClass::Rejected;
    case NodeStatus::Proposed: break;
    }
    return ColorClass::Unscored;
}

// The best of nodes with no run around them: no tasks to be scored on, nothing blocked,
// judged by the guards the caller gave.
std::optional<int> bestOfBareNodes(const std::vector<Node>& nodes, bool higherIsBetter,
                                   const std::vector<engine::GuardMetric>& guards)
{
    const std::vector<std::string> noTasks;
    const auto direction = higherIsBetter ? engine::Direction::Maximize : engine::Direction::Minimize;
    return engine::bestNode(
        engine::ArchiveView(nodes, noTasks, direction).closedToExpansions().guardedBy(guards));
}

// Why each node fails the run's guards (GuardReport::failures()), empty when it does not:
// evaluated ones only, since a node still being evaluated has no verdict yet and a failed
// one is already marked by its colour. One checker, so each ancestor chain is walked once.
std::vector<std::string> whyNodesFailGuards(const std::vector<Node>& nodes,
                                            const std::vector<engine::GuardMetric>& guards)
{
    std::vector<std::string> why(nodes.size());
    if (guards.empty())
        return why;
    const engine::GuardChecker checker(guards, nodes);
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].status == NodeStatus::Evaluated)
            why[i] = checker.check(nodes[i]).failures();
    return why;
}

// A clade's best descendant, for its roll-up: never one failing the guards, as for the
// run's best.
bool countsForBest(const Node& node, bool failsGuards)
{
    return node.status == NodeStatus::Evaluated && node.score &&
           !node.hasFlag(engine::FlagReverted) && !failsGuards;
}

// Index of each id in `nodes`; a vector when ids are dense (they are in a run).
std::unordered_map<int, int> indexById(const std::vector<Node>& nodes)
{
    std::unordered_map<int, int> index;
    index.reserve(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i)
        index.emplace(nodes[i].id, static_cast<int>(i));
    return index;
}

} // namespace

std::vector<int> TreeScene::primaryParents(const std::vector<Node>& nodes)
{
    const auto index = indexById(nodes);
    std::vector<int> parents(nodes.size(), -1);
    for (size_t i = 0; i < nodes.size(); ++i)
        if (const auto it = index.find(nodes[i].primaryParent()); it != index.end())
            parents[i] = it->second;
    return parents;
}

std::vector<std::uint8_t> TreeScene::collapsedFlags(const std::vector<Node>& nodes,
                                                     const std::vector<int>& collapsedIds)
{
    std::vector<std::uint8_t> flags;
    if (collapsedIds.empty())
        return flags;
    const auto index = indexById(nodes);
    flags.assign(nodes.size(), 0);
    for (int id : collapsedIds)
        if (const auto it = index.find(id); it != index.end())
            flags[static_cast<size_t>(it->second)] = 1;
    return flags;
}

std::shared_ptr<const TreeScene> TreeScene::build(const std::vector<Node>& nodes,
                                                  const Options& options, InsightPtr insight)
{
    const auto layout = TreeLayout::compute(primaryParents(nodes),
                                            collapsedFlags(nodes, options.collapsedIds));
    return build(nodes, layout, options, std::move(insight));
}

double TreeScene::colorWorst() const
{
    if (m_colorBy == ColorBy::CladeEstimate)
        return m_minEstimate;
    return m_higherIsBetter ? m_minScore : m_maxScore;
}

double TreeScene::colorBest() const
{
    if (m_colorBy == ColorBy::CladeEstimate)
        return m_maxEstimate;
    return m_higherIsBetter ? m_maxScore : m_minScore;
}

std::shared_ptr<const TreeScene> TreeScene::build(const std::vector<Node>& nodes,
                                                  const TreeLayout& layout, const Options& options,
                                                  InsightPtr insight)
{
    auto scene = std::make_shared<TreeScene>();
    TreeScene& s = *scene;
    s.m_insight = std::move(insight);
    s.m_colorBy = options.colorBy == ColorBy::CladeEstimate && s.m_insight &&
                          s.m_insight->hasCladeEstimates()
                      ? ColorBy::CladeEstimate
                      : ColorBy::Score;
    if (s.m_colorBy == ColorBy::CladeEstimate)
        for (const auto& [id, entry] : s.m_insight->nodes) {
            if (!entry.cladeEstimate)
                continue;
            const double e = *entry.cladeEstimate;
            s.m_minEstimate = s.m_hasEstimates ? std::min(s.m_minEstimate, e) : e;
            s.m_maxEstimate = s.m_hasEstimates ? std::max(s.m_maxEstimate, e) : e;
            s.m_hasEstimates = true;
        }
    const size_t n = nodes.size();
    s.m_totalNodes = static_cast<int>(n);
    if (layout.nodeCount() != static_cast<int>(n))
        return scene; // a layout of other nodes: show nothing rather than garbage
    const std::vector<int> parents = primaryParents(nodes);
    const std::vector<std::uint8_t> collapsed = collapsedFlags(nodes, options.collapsedIds);
    const auto& order = layout.preorder();

    // Score range over the evaluated nodes.
    s.m_higherIsBetter = options.higherIsBetter;
    for (size_t i = 0; i < n; ++i) {
        const Node& node = nodes[i];
        if (node.status != NodeStatus::Evaluated || !node.score)
            continue;
        const double score = *node.score;
        s.m_minScore = s.m_hasScores ? std::min(s.m_minScore, score) : score;
        s.m_maxScore = s.m_hasScores ? std::max(s.m_maxScore, score) : score;
        s.m_hasScores = true;
    }
    s.m_hasGuards = !options.guards.empty();
    const std::vector<std::string> whyGuardsFail = whyNodesFailGuards(nodes, options.guards);
    s.m_bestId = (options.bestId ? options.bestId
                                 : bestOfBareNodes(nodes, options.higherIsBetter, options.guards))
                     .value_or(-1);
    const auto bestAt = std::find_if(nodes.begin(), nodes.end(),
                                     [&](const Node& node) { return node.id == s.m_bestId; });
    const int best = bestAt == nodes.end() ? -1 : static_cast<int>(bestAt - nodes.begin());
    auto better = [&](double a, double b) { return options.higherIsBetter ? a > b : a < b; };

    // Clade roll-ups for every node in one reverse-preorder pass (children before parents).
    std::vector<CladeRollup> all(n);
    for (size_t i = 0; i < n; ++i) {
        const Node& node = nodes[i];
        CladeRollup& r = all[i];
        r.size = 1;
        r.cost = node.proposer.cost;
        r.evaluatedOk = node.status == NodeStatus::Evaluated;
        r.failed = node.status == NodeStatus::Failed;
        if (countsForBest(node, !whyGuardsFail[i].empty())) {
            r.bestId = node.id;
            r.bestScore = *node.score;
        }
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const int p = parents[static_cast<size_t>(*it)];
        if (p < 0)
            continue;
        const CladeRollup& c = all[static_cast<size_t>(*it)];
        CladeRollup& r = all[static_cast<size_t>(p)];
        r.size += c.size;
        r.cost += c.cost;
        r.evaluatedOk += c.evaluatedOk;
        r.failed += c.failed;
        if (c.bestId >= 0 && (r.bestId < 0 || better(c.bestScore, r.bestScore)))
            r.bestId = c.bestId, r.bestScore = c.bestScore;
    }

    std::vector<std::uint8_t> onBestPath(n, 0);
    for (int v = best, guard = 0; v >= 0 && guard <= static_cast<int>(n); ++guard) {
        onBestPath[static_cast<size_t>(v)] = 1;
        v = parents[static_cast<size_t>(v)];
    }

    // Visible nodes in preorder; children links follow because preorder visits siblings
    // in index order.
    s.m_filterActive = options.filter.isActive();
    const std::string needle = options.filter.needle();
    const double range = s.m_maxScore - s.m_minScore;
    std::vector<int> sceneIndex(n, -1);
    s.m_nodes.reserve(n);
    s.m_rollups.reserve(n);
    s.m_descriptionSpan.reserve(n);
    for (int i : order) {
        if (!layout.isVisible(i))
            continue;
        const Node& node = nodes[static_cast<size_t>(i)];
        const int self = static_cast<int>(s.m_nodes.size());
        sceneIndex[static_cast<size_t>(i)] = self;
        SceneNode sn;
        sn.id = node.id;
        sn.x = static_cast<float>(layout.column(i));
        sn.y = static_cast<float>(layout.depth(i));
        sn.status = node.status;
        sn.score = node.score;
        sn.colorClass = colorClassOf(node);
        if (s.m_colorBy == ColorBy::CladeEstimate && sn.colorClass == ColorClass::Scored) {
            // Statuses keep their colours (work in flight, failures stay visible); a scored
            // node shows its clade's promise instead of its own score.
            const engine::NodeInsight* entry = s.m_insight->find(node.id);
            if (entry && entry->cladeEstimate) {
                const double spread = s.m_maxEstimate - s.m_minEstimate;
                sn.colorKey = spread > 0 ? static_cast<float>((*entry->cladeEstimate - s.m_minEstimate) / spread)
                                         : 1.f;
            } else {
                sn.colorClass = ColorClass::Unscored; // a person took its clade out
            }
        } else if (sn.colorClass == ColorClass::Scored) {
            // The bright end of the colour map is always the better end, whichever way the
            // manifest's primary metric points.
            const float t =
                range > 0 ? static_cast<float>((*node.score - s.m_minScore) / range) : 1.f;
            sn.colorKey = options.higherIsBetter ? t : 1.f - t;
        }
        unsigned marks = 0;
        marks |= node.hasFlag(engine::FlagKept) ? unsigned(MarkKept) : 0u;
        marks |= node.hasFlag(engine::FlagReverted) ? unsigned(MarkReverted) : 0u;
        marks |= node.hasFlag(engine::FlagPinned) ? unsigned(MarkPinned) : 0u;
        marks |= node.hasFlag(engine::FlagArchived) ? unsigned(MarkArchived) : 0u;
        marks |= node.hasFlag(engine::FlagHeld) ? unsigned(MarkHeld) : 0u;
        marks |= node.hasFlag(engine::FlagStarred) ? unsigned(MarkStarred) : 0u;
        marks |= whyGuardsFail[static_cast<size_t>(i)].empty() ? 0u : unsigned(MarkGuardFailed);
        marks |= i == best ? unsigned(MarkBest) : 0u;
        marks |= onBestPath[static_cast<size_t>(i)] ? unsigned(MarkBestPath) : 0u;
        const CladeRollup& rollup = all[static_cast<size_t>(i)];
        const auto parentIndex = parents[static_cast<size_t>(i)];
        if (rollup.size > 1 && !collapsed.empty() && collapsed[static_cast<size_t>(i)])
            marks |= MarkCollapsed;
        if (s.m_filterActive && !options.filter.matches(node, needle))
            marks |= MarkDimmed;
        sn.marks = static_cast<std::uint16_t>(marks);
        if (parentIndex >= 0 && sceneIndex[static_cast<size_t>(parentIndex)] >= 0) {
            sn.parent = sceneIndex[static_cast<size_t>(parentIndex)];
            SceneNode& parent = s.m_nodes[static_cast<size_t>(sn.parent)];
            if (parent.lastChild < 0) {
                parent.firstChild = self;
            } else {
                sn.prevSibling = parent.lastChild;
                s.m_nodes[static_cast<size_t>(parent.lastChild)].nextSibling = self;
            }
            parent.lastChild = self;
        }
        if (!whyGuardsFail[static_cast<size_t>(i)].empty()) // for the tooltip
            s.m_guardFailures.emplace_back(node.id, whyGuardsFail[static_cast<size_t>(i)]);
        s.m_nodes.push_back(sn);
        s.m_rollups.push_back(rollup);
        s.m_descriptionSpan.emplace_back(static_cast<std::uint32_t>(s.m_descriptionText.size()),
                                         static_cast<std::uint32_t>(node.description.size()));
        s.m_descriptionText += node.description;
    }

    // Secondary parents (crossover, inspiration) between visible nodes, drawn dashed.
    const auto byId = indexById(nodes);
    for (size_t i = 0; i < n; ++i) {
        const int to = sceneIndex[i];
        if (to < 0)
            continue;
        for (size_t k = 1; k < nodes[i].parents.size(); ++k)
            if (const auto it = byId.find(nodes[i].parents[k]); it != byId.end())
                if (const int from = sceneIndex[static_cast<size_t>(it->second)]; from >= 0)
                    s.m_secondary.push_back({from, to});
    }

    s.m_columns = layout.width();
    s.m_rows = layout.height();
    s.buildIndex();

    s.m_idToIndex.reserve(s.m_nodes.size());
    for (size_t k = 0; k < s.m_nodes.size(); ++k)
        s.m_idToIndex.emplace_back(s.m_nodes[k].id, static_cast<int>(k));
    std::sort(s.m_idToIndex.begin(), s.m_idToIndex.end());
    std::sort(s.m_guardFailures.begin(), s.m_guardFailures.end());
    if (s.m_filterActive)
        for (const auto& [id, k] : s.m_idToIndex)
            if (!s.m_nodes[static_cast<size_t>(k)].has(MarkDimmed))
                s.m_matches.push_back(k);
    return scene;
}

void TreeScene::buildIndex()
{
    // Square cells holding about eight nodes each where the tree is dense; bounded count so
    // that a sparse, very wide tree does not allocate a huge grid.
    const double visible = std::max<size_t>(m_nodes.size(), 1);
    const double area = double(std::max(m_columns, 1)) * double(std::max(m_rows, 1));
    const int cell = std::max(4, static_cast<int>(std::ceil(std::sqrt(area * 8.0 / visible))));
    m_cellWidth = m_cellHeight = cell;
    m_cellsX = std::max(1, (m_columns + cell - 1) / cell);
    m_cellsY = std::max(1, (m_rows + cell - 1) / cell);
    const size_t cells = size_t(m_cellsX) * size_t(m_cellsY);
    auto cellX = [&](float x) { return std::clamp(int(x) / cell, 0, m_cellsX - 1); };
    auto cellY = [&](float y) { return std::clamp(int(y) / cell, 0, m_cellsY - 1); };

    // Nodes are stored in cell order (row-major cells, preorder within a cell), so that a
    // pass over the cells in view reads memory front to back: at far zoom every node is
    // visited each frame and scattered reads would cost more than the drawing.
    m_nodeCellStart.assign(cells + 1, 0);
    for (const SceneNode& node : m_nodes)
        ++m_nodeCellStart[size_t(cellY(node.y)) * size_t(m_cellsX) + size_t(cellX(node.x)) + 1];
    for (size_t c = 0; c < cells; ++c)
        m_nodeCellStart[c + 1] += m_nodeCellStart[c];
    std::vector<int> moved(m_nodes.size());
    {
        std::vector<int> fill(m_nodeCellStart.begin(), m_nodeCellStart.end() - 1);
        for (size_t k = 0; k < m_nodes.size(); ++k) {
            const SceneNode& node = m_nodes[k];
            moved[k] = fill[size_t(cellY(node.y)) * size_t(m_cellsX) + size_t(cellX(node.x))]++;
        }
    }
    auto remap = [&](int& index) {
        if (index >= 0)
            index = moved[size_t(index)];
    };
    std::vector<SceneNode> nodes(m_nodes.size());
    std::vector<CladeRollup> rollups(m_rollups.size());
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans(m_descriptionSpan.size());
    for (size_t k = 0; k < m_nodes.size(); ++k) {
        SceneNode node = m_nodes[k];
        for (int* link : {&node.parent, &node.firstChild, &node.lastChild, &node.prevSibling,
                          &node.nextSibling})
            remap(*link);
        const size_t to = size_t(moved[k]);
        nodes[to] = node;
        rollups[to] = m_rollups[k];
        spans[to] = m_descriptionSpan[k];
    }
    m_nodes = std::move(nodes);
    m_rollups = std::move(rollups);
    m_descriptionSpan = std::move(spans);
    for (SceneEdge& edge : m_secondary) {
        remap(edge.from);
        remap(edge.to);
    }
    m_nodeCellItems.resize(m_nodes.size());
    for (size_t k = 0; k < m_nodes.size(); ++k)
        m_nodeCellItems[k] = int(k);

    // Children bars by row band, sorted by their start column: a query walks a band from
    // the left and stops at the first bar starting right of the view. (Listing a bar in
    // every cell it crosses costs too much when many long bars overlap.)
    m_barBandStart.assign(size_t(m_cellsY) + 1, 0);
    for (const SceneNode& node : m_nodes)
        if (node.lastChild >= 0)
            ++m_barBandStart[size_t(cellY(node.y)) + 1];
    for (int b = 0; b < m_cellsY; ++b)
        m_barBandStart[size_t(b) + 1] += m_barBandStart[size_t(b)];
    m_barBandItems.resize(size_t(m_barBandStart[size_t(m_cellsY)]));
    std::vector<int> barFill(m_barBandStart.begin(), m_barBandStart.end() - 1);
    for (size_t k = 0; k < m_nodes.size(); ++k)
        if (m_nodes[k].lastChild >= 0)
            m_barBandItems[size_t(barFill[size_t(cellY(m_nodes[k].y))]++)] = int(k);
    for (int b = 0; b < m_cellsY; ++b)
        std::sort(m_barBandItems.begin() + m_barBandStart[size_t(b)],
                  m_barBandItems.begin() + m_barBandStart[size_t(b) + 1],
                  [&](int a, int c) { return m_nodes[size_t(a)].x < m_nodes[size_t(c)].x; });
}

int TreeScene::indexOf(int id) const
{
    const auto it = std::lower_bound(m_idToIndex.begin(), m_idToIndex.end(),
                                     std::pair<int, int>(id, -1));
    return it != m_idToIndex.end() && it->first == id ? it->second : -1;
}

std::string_view TreeScene::guardFailures(int id) const
{
    const auto it = std::lower_bound(
        m_guardFailures.begin(), m_guardFailures.end(), id,
        [](const std::pair<int, std::string>& entry, int wanted) { return entry.first < wanted; });
    return it != m_guardFailures.end() && it->first == id ? std::string_view(it->second)
                                                           : std::string_view();
}

std::string_view TreeScene::description(int index) const
{
    const auto [from, length] = m_descriptionSpan[static_cast<size_t>(index)];
    return std::string_view(m_descriptionText).substr(from, length);
}

int TreeScene::hitTest(float x, float y, float radiusX, float radiusY) const
{
    int found = -1;
    float bestDistance = 1.f;
    forEachNodeIn(x - radiusX, y - radiusY, x + radiusX, y + radiusY, [&](int k) {
        const SceneNode& node = m_nodes[static_cast<size_t>(k)];
        const float dx = (node.x - x) / radiusX;
        const float dy = (node.y - y) / radiusY;
        const float distance = dx * dx + dy * dy;
        if (distance <= bestDistance)
            found = k, bestDistance = distance;
    });
    return found;
}

} // namespace clade::models
