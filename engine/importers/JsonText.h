#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// JSON as research scripts write it: Python's json module emits NaN, Infinity and
/// -Infinity, which strict JSON parsers refuse. These read them as null and count them.
struct LenientJson {
    nlohmann::json value;
    int nonFiniteNumbers = 0; ///< NaN / Infinity tokens read as null
};

/// Parses one JSON document. A syntax error throws InputError naming `file`, the line and
/// column, and what the parser expected.
LenientJson parseLenientJson(const std::string& text, const std::filesystem::path& file);

/// Reads the file whole and parses it (InputError when unreadable or malformed).
LenientJson readLenientJson(const std::filesystem::path& file);

/// An id as source systems write it, a string or an integer, as text; empty otherwise.
std::string jsonIdText(const nlohmann::json& value);

/// Line and column (1-based) of byte `offset` in `text`: "line 3, column 14".
std::string describePosition(const std::string& text, std::size_t offset);

} // namespace clade::engine
