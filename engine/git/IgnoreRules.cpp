#include "engine/git/IgnoreRules.h"

#include <fnmatch.h>

namespace clade::git {

IgnoreRules::IgnoreRules(const std::vector<std::string>& patterns)
{
    for (const std::string& pattern : patterns) {
        if (pattern.empty() || pattern.front() == '#')
            continue;
        Rule rule;
        rule.glob = pattern;
        if (rule.glob.back() == '/') {
            rule.foldersOnly = true;
            rule.glob.pop_back();
        }
        if (!rule.glob.empty() && rule.glob.front() == '/') {
            rule.anchored = true;
            rule.glob.erase(0, 1);
        }
        // As in .gitignore, a slash inside the pattern ties it to the root.
        if (rule.glob.find('/') != std::string::npos)
            rule.anchored = true;
        if (!rule.glob.empty())
            m_rules.push_back(std::move(rule));
    }
}

bool IgnoreRules::ignores(std::string_view relativePath, bool isFolder) const
{
    const std::string path(relativePath);
    const std::size_t slash = path.rfind('/');
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    for (const Rule& rule : m_rules) {
        if (rule.foldersOnly && !isFolder)
            continue;
        const std::string& subject = rule.anchored ? path : name;
        if (::fnmatch(rule.glob.c_str(), subject.c_str(), FNM_PATHNAME) == 0)
            return true;
    }
    return false;
}

} // namespace clade::git
