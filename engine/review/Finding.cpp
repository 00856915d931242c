#include "engine/review/Finding.h"

#include <climits>

#include <nlohmann/json.hpp>

#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

namespace clade::engine {

using json = nlohmann::json;

std::string findingExcerpt(std::string_view line)
{
    constexpr std::size_t kMax = 200;
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!line.empty() && blank(line.front()))
        line.remove_prefix(1);
    while (!line.empty() && blank(line.back()))
        line.remove_suffix(1);
    return toValidUtf8(utf8Prefix(line, kMax)); // the agent's file need not be UTF-8
}

json findingsToJson(const std::vector<Finding>& findings)
{
    json list = json::array();
    for (const Finding& f : findings)
        // A path is a file name in the agent's folder: any bytes but '/' and NUL. As JSON
        // text (review.json, the decisions' audit trail) it is repaired; the finding itself
        // keeps the real name.
        list.push_back({{"detector", f.detector},
                        {"path", toValidUtf8(f.path)},
                        {"line", f.line},
                        {"message", toValidUtf8(f.message)},
                        {"excerpt", toValidUtf8(f.excerpt)}});
    return list;
}

std::vector<Finding> findingsFromJson(const json& value, const std::string& source)
{
    if (!value.is_array())
        throw InputError::field(source, "findings", "an array of finding objects");
    std::vector<Finding> findings;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string field = "findings[" + std::to_string(i) + "]";
        const json& item = value[i];
        if (!item.is_object())
            throw InputError::field(source, field,
                                    "an object {\"detector\", \"path\", \"line\", \"message\", "
                                    "\"excerpt\"}");
        // detector and message make a finding; the rest may be absent in hand-written files.
        const auto text = [&](const char* key, bool required) {
            const auto it = item.find(key);
            if (it == item.end()) {
                if (required)
                    throw InputError::field(source, field + "." + key,
                                            "a string (the field is missing)");
                return std::string();
            }
            if (!it->is_string() || (required && it->get_ref<const std::string&>().empty()))
                throw InputError::field(source, field + "." + key,
                                        required ? "a non-empty string" : "a string");
            return it->get<std::string>();
        };
        Finding f;
        f.detector = text("detector", true);
        f.path = text("path", false);
        f.message = text("message", true);
        f.excerpt = text("excerpt", false);
        if (const auto it = item.find("line"); it != item.end()) {
            if (!it->is_number_integer() || it->get<long long>() < 0 ||
                it->get<long long>() > INT_MAX)
                throw InputError::field(source, field + ".line", "an integer >= 0");
            f.line = static_cast<int>(it->get<long long>());
        }
        findings.push_back(std::move(f));
    }
    return findings;
}

} // namespace clade::engine
