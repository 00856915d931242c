#pragma once

#include "engine/importers/JsonText.h"

#include <filesystem>
#include <string>
#include <vector>

namespace clade::engine {

/// A file of JSON values one after another, as DGM and HGM write their metadata.jsonl:
/// records pretty-printed over many lines, so "one per line" cannot be relied on.
struct JsonStream {
    std::vector<nlohmann::json> values;
    int nonFiniteNumbers = 0;
    int invalidUtf8Bytes = 0; ///< bytes that were not UTF-8, now U+FFFD
    /// Set when the file ends inside a record (a run killed while writing): the complete
    /// records before it are kept and this says where the broken one starts.
    std::string truncatedTail;
};

/// Splits `text` into top-level values (tracking brackets and strings) and parses each
/// leniently (NaN / Infinity read as null, bytes that are not UTF-8 as U+FFFD). A record that is complete but malformed
/// throws InputError naming `file` and its line and column.
JsonStream parseJsonStream(const std::string& text, const std::filesystem::path& file);
JsonStream readJsonStream(const std::filesystem::path& file);

} // namespace clade::engine
