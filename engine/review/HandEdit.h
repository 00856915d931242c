#pragma once

#include <map>
#include <optional>
#include <string>

namespace clade::git {
class Repository;
class Oid;
} // namespace clade::git

namespace clade::engine {

/// Edit-then-approve: a commit whose tree is `base`'s with `files` replaced (a value) or
/// removed (nullopt), written to the run's repository without a ref. The decision that
/// names it (DecisionAction::Edit) makes it a node; until then git may prune it.
/// Throws InputError for a path outside the agent folder ("..", absolute).
git::Oid commitHandEdit(git::Repository& repo, const git::Oid& base,
                        const std::map<std::string, std::optional<std::string>>& files,
                        const std::string& message);

} // namespace clade::engine
