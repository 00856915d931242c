#include "models/TreeLayout.h"

#include <algorithm>

namespace clade::models {

TreeLayout TreeLayout::compute(const std::vector<int>& parent,
                               const std::vector<std::uint8_t>& collapsed)
{
    const int n = static_cast<int>(parent.size());
    TreeLayout layout;
    layout.m_column.assign(static_cast<size_t>(n), -1);
    layout.m_depth.assign(static_cast<size_t>(n), -1);
    layout.m_preorder.reserve(static_cast<size_t>(n));

    // Children lists in compressed form (counts, offsets, items), ordered by index.
    auto validParent = [&](int i) {
        const int p = parent[static_cast<size_t>(i)];
        return p >= 0 && p < n && p != i ? p : -1;
    };
    std::vector<int> offset(static_cast<size_t>(n) + 1, 0);
    for (int i = 0; i < n; ++i)
        if (const int p = validParent(i); p >= 0)
            ++offset[static_cast<size_t>(p) + 1];
    for (int i = 0; i < n; ++i)
        offset[static_cast<size_t>(i) + 1] += offset[static_cast<size_t>(i)];
    std::vector<int> children(static_cast<size_t>(offset[static_cast<size_t>(n)]));
    {
        std::vector<int> fill(offset.begin(), offset.end() - 1);
        for (int i = 0; i < n; ++i)
            if (const int p = validParent(i); p >= 0)
                children[static_cast<size_t>(fill[static_cast<size_t>(p)]++)] = i;
    }
    auto isCollapsed = [&](int i) {
        return static_cast<size_t>(i) < collapsed.size() && collapsed[static_cast<size_t>(i)];
    };

    // nextFree[d]: the leftmost column still free at depth d, for the rest of the preorder.
    std::vector<int> nextFree;
    std::vector<int> stack; // explicit DFS stack: no recursion, any depth
    for (int root = 0; root < n; ++root) {
        if (validParent(root) >= 0)
            continue;
        stack.push_back(root);
        layout.m_depth[static_cast<size_t>(root)] = 0;
        while (!stack.empty()) {
            const int v = stack.back();
            stack.pop_back();
            layout.m_preorder.push_back(v);
            const int d = layout.m_depth[static_cast<size_t>(v)];
            const int p = validParent(v);
            const bool visible = p < 0 || (layout.m_column[static_cast<size_t>(p)] >= 0 &&
                                           !isCollapsed(p));
            if (visible) {
                if (static_cast<int>(nextFree.size()) <= d)
                    nextFree.resize(static_cast<size_t>(d) + 1, 0);
                const int lowest = p < 0 ? 0 : layout.m_column[static_cast<size_t>(p)];
                const int column = std::max(lowest, nextFree[static_cast<size_t>(d)]);
                layout.m_column[static_cast<size_t>(v)] = column;
                nextFree[static_cast<size_t>(d)] = column + 1;
                layout.m_width = std::max(layout.m_width, column + 1);
                layout.m_height = std::max(layout.m_height, d + 1);
            }
            // Push in reverse so the lowest index is visited first.
            for (int k = offset[static_cast<size_t>(v) + 1] - 1; k >= offset[static_cast<size_t>(v)];
                 --k) {
                const int c = children[static_cast<size_t>(k)];
                layout.m_depth[static_cast<size_t>(c)] = d + 1;
                stack.push_back(c);
            }
        }
    }
    return layout;
}

} // namespace clade::models
