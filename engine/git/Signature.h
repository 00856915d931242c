#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace clade::git {

/// Author and committer of the commits the engine writes. The defaults are fixed so that
/// snapshots do not depend on the user's git configuration; only the time varies.
struct Signature {
    std::string name = "Clade";
    std::string email = "clade@localhost";
    /// nullopt means "now", read when the commit is created.
    std::optional<std::chrono::system_clock::time_point> when;
    int offsetMinutes = 0; ///< time zone offset from UTC
};

} // namespace clade::git
