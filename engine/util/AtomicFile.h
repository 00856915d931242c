#pragma once

#include <filesystem>
#include <string_view>

namespace clade::engine {

/// Writes `contents` to `path` so that a crash leaves either the old file or the new one,
/// never a half-written one: write a temporary file beside it, fsync, rename, fsync the
/// folder. Throws std::system_error on failure. With `syncFolder` false the caller syncs
/// the folder itself once after writing several files into it (each fsync can cost
/// milliseconds, and a node writes several files).
void writeFileAtomically(const std::filesystem::path& path, std::string_view contents,
                         bool syncFolder = true);

/// Writes a file that need not survive a crash (scratch input for a sandboxed command):
/// no fsync at all. Throws std::system_error on failure.
void writeScratchFile(const std::filesystem::path& path, std::string_view contents);

/// fsync a folder so that entries created or renamed in it survive a crash.
void syncDirectory(const std::filesystem::path& dir);

/// Reads a whole file the engine itself wrote (not sandbox output). Throws on failure.
std::string readTextFile(const std::filesystem::path& path);

} // namespace clade::engine
