#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// JSON as research scripts write it: Python's json module emits NaN, Infinity and
/// -Infinity, which strict JSON parsers refuse. These read them as null and count them.
/// Bytes that are not UTF-8 (a log pasted into a record, a file cut by the writer), which
/// strict parsers refuse too, become U+FFFD and are counted.
struct LenientJson {
    nlohmann::json value;
    int nonFiniteNumbers = 0; ///< NaN / Infinity tokens read as null
    int invalidUtf8Bytes = 0; ///< bytes that were not UTF-8, each run of them now U+FFFD
};

/// Parses one JSON document. A syntax error throws InputError naming `file`, the line and
/// column (in characters), and what the parser expected.
LenientJson parseLenientJson(const std::string& text, const std::filesystem::path& file);

/// Reads the file whole and parses it (InputError when unreadable or malformed).
LenientJson readLenientJson(const std::filesystem::path& file);

/// An id as source systems write it, a string or an integer, as text; empty otherwise.
std::string jsonIdText(const nlohmann::json& value);

/// Line and column (1-based) of byte `offset` in `text`: "line 3, column 14". Columns
/// count characters (code points), not bytes.
std::string describePosition(const std::string& text, std::size_t offset);

/// Adds to `warnings` that `file` held `invalidBytes` bytes that are not UTF-8 (replaced
/// with U+FFFD), when it did.
void noteInvalidUtf8(std::vector<std::string>& warnings, const std::filesystem::path& file, int invalidBytes);

} // namespace clade::engine
