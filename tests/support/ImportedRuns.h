#pragma once
// Helpers for the importer tests: find an imported node, a warning, a node's code, a diff.

#include "engine/git/Repository.h"
#include "engine/run/RunSummary.h"
#include "engine/store/RunFolder.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace testsupport {

inline const std::filesystem::path kImportFixtures =
    std::filesystem::path(CLADE_SOURCE_DIR) / "tests" / "fixtures" / "import";

/// The first node whose description starts with `prefix` (importers put the source's id first).
inline const clade::engine::Node& byDescription(const clade::engine::RunSnapshot& run, const std::string& prefix)
{
    for (const auto& node : run.nodes)
        if (node.description.rfind(prefix, 0) == 0)
            return node;
    throw std::runtime_error("no node described as " + prefix);
}

inline bool anyWarning(const std::vector<std::string>& warnings, const std::string& part)
{
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

/// `file` in `node`'s commit of the run at `run`, or "<missing>".
inline std::string readCode(const std::filesystem::path& run, const clade::engine::Node& node, const std::string& file)
{
    auto repo = clade::git::Repository::openBare(clade::engine::RunFolder{run}.repo());
    return repo.readFile(clade::git::Oid::fromHex(node.commit), file).value_or("<missing>");
}

/// The unified diff from `from`'s code to `to`'s.
inline std::string diffOf(const std::filesystem::path& run, const clade::engine::Node& from,
                          const clade::engine::Node& to)
{
    auto repo = clade::git::Repository::openBare(clade::engine::RunFolder{run}.repo());
    return repo.diffPatch(clade::git::Oid::fromHex(from.commit), clade::git::Oid::fromHex(to.commit));
}

} // namespace testsupport
