#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace clade::models {

/// Positions of the nodes of a forest on a grid: depth is the row, and each node takes a
/// column. Nodes are given by index; `parent[i]` is the index of node i's primary parent or
/// -1 for a root. Children are ordered by index (a run's ids grow with time).
///
/// The layout is the compact layered one of Wetherell and Shannon: nodes are visited in
/// preorder and each takes the leftmost free column at its depth that is not left of its
/// parent. A first child therefore sits straight under its parent, long chains stay one
/// column wide, and later siblings and their clades go to the right. It is linear time,
/// iterative (a 100,000-deep chain is fine), and stable in a sense a live view can promise:
///
///   Adding a leaf as the last child of any node moves no existing node left, moves no
///   existing node right by more than one column, and moves nothing that precedes the new
///   leaf in preorder (in particular nothing at its parent's depth or above).
///
/// The tidy layout of Buchheim, Jünger and Leipert centres parents but gives no such bound:
/// a first child added under a leaf can push a wide neighbouring clade across the screen.
/// Here a parent sits over its first child and never right of its last one.
class TreeLayout {
public:
    /// `collapsed[i]` true hides node i's descendants (node i stays visible). Shorter than
    /// `parent` (or empty) means not collapsed. Indices out of range and parent cycles are
    /// treated as roots / unreachable (those nodes are not visible).
    static TreeLayout compute(const std::vector<int>& parent,
                              const std::vector<std::uint8_t>& collapsed = {});

    int nodeCount() const { return static_cast<int>(m_column.size()); }
    bool isVisible(int index) const { return m_column[static_cast<size_t>(index)] >= 0; }
    /// -1 for a hidden node.
    int column(int index) const { return m_column[static_cast<size_t>(index)]; }
    /// Depth below its root, also for hidden nodes; -1 when unreachable (cycle).
    int depth(int index) const { return m_depth[static_cast<size_t>(index)]; }
    /// Every reachable node (visible or hidden under a collapsed one) in preorder: parents
    /// before children, so a reverse pass accumulates clade totals in linear time.
    const std::vector<int>& preorder() const { return m_preorder; }
    /// Columns used (max column + 1) and rows used (max visible depth + 1).
    int width() const { return m_width; }
    int height() const { return m_height; }

private:
    std::vector<int> m_column;
    std::vector<int> m_depth;
    std::vector<int> m_preorder;
    int m_width = 0;
    int m_height = 0;
};

} // namespace clade::models
