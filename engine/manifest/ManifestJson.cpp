#include "engine/manifest/ManifestJson.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/util/EditDistance.h"
#include "engine/util/InputError.h"

namespace clade::engine {

namespace {

// nlohmann's message starts with "[json.exception.parse_error.101] parse error at line 1,
// column 2: "; the reason after it is useful, the prefix repeats what we say better.
std::string parseErrorReason(const std::string& what)
{
    const auto at = what.find("parse error");
    const auto colon = at == std::string::npos ? std::string::npos : what.find(": ", at);
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

} // namespace

nlohmann::json ManifestJson::parse(const std::string& text) const
{
    try {
        return json::parse(text);
    } catch (const json::parse_error& error) {
        // error.byte counts the characters read, so the offending one is at byte - 1.
        const std::size_t offset = error.byte == 0 ? 0 : error.byte - 1;
        const auto [line, column] = lineColumn(text, offset);
        throw InputError(m_file + ": line " + std::to_string(line) + ", column " +
                         std::to_string(column) + ": expected valid JSON (" +
                         parseErrorReason(error.what()) + ")");
    }
}

void ManifestJson::fail(const std::string& field, const std::string& expected) const
{
    throw InputError::field(m_file, field, expected);
}

void ManifestJson::checkKeys(const json& object, const std::string& prefix,
                             std::initializer_list<std::string_view> allowed) const
{
    for (const auto& item : object.items()) {
        const std::string& key = item.key();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
            continue;
        std::string list;
        std::string_view closest;
        std::size_t closestDistance = 3; // further than this is not a typo
        for (std::string_view name : allowed) {
            list += (list.empty() ? "" : ", ") + std::string(name);
            if (const std::size_t d = editDistance(key, name); d < closestDistance) {
                closestDistance = d;
                closest = name;
            }
        }
        std::string expected = "no such field; allowed fields are: " + list;
        if (!closest.empty())
            expected += " (did you mean '" + std::string(closest) + "'?)";
        fail(prefix.empty() ? key : prefix + "." + key, expected);
    }
}

const nlohmann::json& ManifestJson::required(const json& object, const std::string& key,
                                             const std::string& field,
                                             const std::string& expected) const
{
    const auto it = object.find(key);
    if (it == object.end())
        fail(field, expected + " (the field is missing)");
    return *it;
}

std::string ManifestJson::string(const json& value, const std::string& field) const
{
    if (!value.is_string())
        fail(field, "a string");
    return value.get<std::string>();
}

std::string ManifestJson::nonEmptyString(const json& value, const std::string& field) const
{
    if (!value.is_string() || value.get_ref<const std::string&>().empty())
        fail(field, "a non-empty string");
    return value.get<std::string>();
}

double ManifestJson::positiveNumber(const json& value, const std::string& field) const
{
    if (!value.is_number() || !(value.get<double>() > 0) || !std::isfinite(value.get<double>()))
        fail(field, "a number greater than 0");
    return value.get<double>();
}

long long ManifestJson::integer(const json& value, const std::string& field, long long min,
                                long long max, const std::string& expected) const
{
    if (!value.is_number_integer())
        fail(field, expected);
    // Unsigned values beyond long long must not wrap into range. (The JSON parser reads
    // every non-negative integer, 0 included, as unsigned: the minimum applies here too.)
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        if (max < 0 || u > static_cast<std::uint64_t>(max) ||
            (min > 0 && u < static_cast<std::uint64_t>(min)))
            fail(field, expected);
        return static_cast<long long>(u);
    }
    const auto i = value.get<std::int64_t>();
    if (i < min || i > max)
        fail(field, expected);
    return i;
}

std::pair<std::size_t, std::size_t> ManifestJson::lineColumn(std::string_view text,
                                                             std::size_t offset)
{
    offset = std::min(offset, text.size());
    const std::string_view before = text.substr(0, offset);
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t lineStart = before.rfind('\n');
    const std::size_t column =
        lineStart == std::string_view::npos ? offset + 1 : offset - lineStart;
    return {line, column};
}

} // namespace clade::engine
