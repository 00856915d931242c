#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace clade::llm {

// Lenient readers for answer bodies: servers that speak "OpenAI-compatible" differ in which
// fields they send and in nulls, so a missing or mistyped field reads as empty, not as an
// error. Only the fields without which there is no answer are checked by the protocols.

inline std::int64_t intField(const nlohmann::json& object, const char* field)
{
    const auto it = object.find(field);
    return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

inline std::string stringField(const nlohmann::json& object, const char* field)
{
    const auto it = object.find(field);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace clade::llm
