#pragma once

#include "engine/importers/ImportedRun.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// The formats `clade import` reads, by name.
std::vector<std::string> importFormatNames();

/// What `path` (a file or a folder) holds, if it is a run of a format this build reads:
/// the format's name and the file to read. nullopt when nothing matches.
struct DetectedRun {
    std::string format;
    std::filesystem::path file;
};
std::optional<DetectedRun> detectImportFormat(const std::filesystem::path& path);

/// Reads `path` as `format` (empty: detected). Throws InputError for an unknown format,
/// a path that matches none (listing what was looked for) or a malformed file.
/// `base`: the initial agent's code, for formats that store only patches (dgm, hgm).
/// Text that is not UTF-8 comes back repaired, with warnings (repairImportedText).
ImportedRun readImportedRun(const std::filesystem::path& path, const std::string& format = {},
                            const std::optional<std::filesystem::path>& base = std::nullopt);

} // namespace clade::engine
