#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace clade::engine {

/// Where `clade open` keeps runs it imported on the fly: $XDG_CACHE_HOME/clade/imports
/// (else ~/.cache/clade/imports).
std::filesystem::path importCacheFolder();

/// A run folder for `path`: `path` itself when it is a Clade run; otherwise, when it holds
/// a run of a format this build imports, that run imported into the cache — once: an
/// import whose source file has not changed since (same path, size and modification time)
/// is reused. Any other path comes back as it is, for the caller's run-folder checks to
/// name what is missing. `progress` receives one line per step.
std::filesystem::path openableRunFolder(const std::filesystem::path& path,
                                        const std::function<void(const std::string&)>& progress = {});

} // namespace clade::engine
