#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace clade::engine {

/// Reads a file that sandboxed code may have written. Opens it without following
/// symlinks (O_NOFOLLOW on the last component, and checks that no parent inside `root`
/// is a symlink), accepts only a regular file under `root`, and reads at most `maxBytes`.
/// Returns nullopt with `why` set when the file is absent or not acceptable.
std::optional<std::string> readSandboxFile(const std::filesystem::path& root,
                                           const std::filesystem::path& relative,
                                           long long maxBytes, std::string* why = nullptr);

} // namespace clade::engine
