#include "engine/review/ImproverDetector.h"

#include "engine/manifest/PathPattern.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace clade::engine {

namespace {

constexpr std::string_view kAgentMount = "/agent/"; // where the sandbox mounts the candidate

std::optional<std::string> agentPath(std::string_view arg)
{
    if (arg.rfind(kAgentMount, 0) == 0)
        arg.remove_prefix(kAgentMount.size());
    else if (!arg.empty() && arg.front() == '/')
        return std::nullopt; // elsewhere: the interpreter, the harness
    while (arg.rfind("./", 0) == 0)
        arg.remove_prefix(2);
    if (!isPlainRelativePath(arg))
        return std::nullopt;
    return std::string(arg);
}

std::string lowered(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Why `path` belongs to the improver, or nothing.
std::optional<std::string> improverReason(const std::string& path,
                                          const std::vector<std::string>& commandPaths,
                                          const Manifest& manifest)
{
    for (const std::string& p : commandPaths) {
        if (pathPatternCovers(p, path))
            return "the propose command runs '" + p + "'";
    }
    for (const std::string& p : manifest.review.improver) {
        if (pathPatternCovers(p, path))
            return "clade.json review.improver lists '" + p + "'";
    }
    if (isPromptPath(path))
        return "it is a prompt";
    return std::nullopt;
}

} // namespace

std::vector<std::string> proposeCommandPaths(const Manifest& manifest)
{
    std::vector<std::string> paths;
    if (!manifest.propose)
        return paths;
    const std::vector<std::string>& argv = manifest.propose->argv;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string_view arg = argv[i];
        if (i > 0 && argv[i - 1] == "-m") {
            // python -m pkg.mod runs pkg/mod.py, or pkg/mod/__main__.py of a package.
            std::string module(arg);
            std::replace(module.begin(), module.end(), '.', '/');
            if (isPlainRelativePath(module)) {
                paths.push_back(module + ".py");
                paths.push_back(module + "/");
            }
            continue;
        }
        if (const std::size_t eq = arg.find('='); arg.rfind("-", 0) == 0 && eq != std::string_view::npos)
            arg = arg.substr(eq + 1);
        if (const std::optional<std::string> path = agentPath(arg))
            paths.push_back(*path);
    }
    return paths;
}

bool isPromptPath(std::string_view path)
{
    const std::string lower = lowered(path);
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = lower.find('/', start);
        const std::string_view part =
            std::string_view(lower).substr(start, slash == std::string::npos ? std::string::npos
                                                                              : slash - start);
        if (slash == std::string::npos)
            return part.find("prompt") != std::string_view::npos;
        if (part == "prompts" || part == "prompt")
            return true;
        start = slash + 1;
    }
}

std::vector<Finding> detectImproverChanges(const ChangeSet& change, const Manifest& manifest)
{
    const std::vector<std::string> commandPaths = proposeCommandPaths(manifest);
    std::vector<Finding> findings;
    for (const FileChange& file : change.files) {
        for (const std::string* path : {&file.path, &file.oldPath}) {
            if (path->empty() || (path == &file.oldPath && *path == file.path))
                continue;
            if (const auto reason = improverReason(*path, commandPaths, manifest))
                findings.push_back({"improver", *path, 0,
                                    "changes the agent's improver ('" + *path + "': " + *reason +
                                        "), which shapes every later candidate",
                                    ""});
        }
    }
    return findings;
}

} // namespace clade::engine
