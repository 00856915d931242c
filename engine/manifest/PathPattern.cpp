#include "engine/manifest/PathPattern.h"

#include <fnmatch.h>

#include <algorithm>
#include <string>

namespace clade::engine {

namespace {

std::string_view withoutTrailingSlashes(std::string_view path)
{
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    return path;
}

} // namespace

bool pathPatternCovers(std::string_view pattern, std::string_view path)
{
    const std::string pat(withoutTrailingSlashes(pattern));
    const std::string target(withoutTrailingSlashes(path));
    if (pat.empty() || target.empty())
        return false;
    for (std::size_t end = target.find('/');; end = target.find('/', end + 1)) {
        const std::string prefix = target.substr(0, end);
        if (::fnmatch(pat.c_str(), prefix.c_str(), FNM_PATHNAME) == 0)
            return true;
        if (end == std::string::npos)
            return false;
    }
}

// Entries name things inside the agent folder; one reaching outside could let a candidate's
// edit land beside the harness, and '.' or empty parts would defeat the matching above.
bool isPlainRelativePath(std::string_view path)
{
    path = withoutTrailingSlashes(path);
    if (path.empty() || path.front() == '/')
        return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..")
            return false;
        if (end == path.size())
            return true;
        start = end + 1;
    }
}

} // namespace clade::engine
