#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clade::git {

/// The subset of .gitignore syntax a manifest uses to keep files out of snapshots:
///  - "name/"      a folder with that name (glob allowed) at any depth;
///  - "*.pyc"      a name glob matched against entries at any depth;
///  - "path/file"  a path relative to the snapshot root (glob allowed, "*" stops at "/");
///    a leading "/" anchors a plain name to the root.
/// Negation ("!") and "**" are not supported. Empty patterns and "#" comments are skipped.
class IgnoreRules {
public:
    IgnoreRules() = default;
    explicit IgnoreRules(const std::vector<std::string>& patterns);

    /// `relativePath` uses "/" and has no leading "/".
    bool ignores(std::string_view relativePath, bool isFolder) const;

private:
    struct Rule {
        std::string glob;
        bool foldersOnly = false;
        bool anchored = false; ///< matched against the whole relative path, not the name
    };
    std::vector<Rule> m_rules;
};

} // namespace clade::git
