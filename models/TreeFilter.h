#pragma once

#include "engine/store/Node.h"

#include <QString>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace clade::models {

/// What the tree's search box and filter panel ask for. Nodes that fail it are dimmed in
/// the tree, not removed, so the layout does not jump while a person types.
struct TreeFilter {
    static constexpr unsigned kAllStatuses = 0x3f;
    static unsigned statusBit(engine::NodeStatus status)
    {
        return 1u << static_cast<unsigned>(status);
    }

    std::optional<double> minScore; ///< a node without a score fails a score bound
    std::optional<double> maxScore;
    unsigned statuses = kAllStatuses; ///< statusBit() of each status shown
    QString text; ///< case-insensitive, in the change description, a tag or a note

    bool isActive() const
    {
        return minScore || maxScore || (statuses & kAllStatuses) != kAllStatuses ||
               !text.trimmed().isEmpty();
    }

    /// The search text as lower-case UTF-8; compute once per pass over the nodes.
    std::string needle() const { return text.trimmed().toLower().toStdString(); }

    /// `needle` is needle(): kept outside so a pass over 100,000 nodes converts it once.
    bool matches(const engine::Node& node, const std::string& needle) const
    {
        if (!(statuses & statusBit(node.status)))
            return false;
        if ((minScore || maxScore) &&
            (!node.score || (minScore && *node.score < *minScore) ||
             (maxScore && *node.score > *maxScore)))
            return false;
        if (needle.empty())
            return true;
        const auto inAny = [&](const std::vector<std::string>& texts) {
            return std::any_of(texts.begin(), texts.end(),
                               [&](const std::string& text) { return contains(text, needle); });
        };
        return contains(node.description, needle) || inAny(node.tags) || inAny(node.notes);
    }

private:
    // ASCII case folding on the fly: no copy of each description.
    static bool contains(const std::string& hay, const std::string& needle)
    {
        return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                           [](char a, char b) {
                               return std::tolower(static_cast<unsigned char>(a)) == b;
                           }) != hay.end();
    }
};

} // namespace clade::models
