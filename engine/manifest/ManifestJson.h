#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// Reads typed values out of the JSON of one user-supplied file (clade.json or a tasks
/// file). Every failure is an InputError "<file>: field '<field>': expected <what>", so a
/// user can fix the file from the message alone. Internal to the manifest loader.
class ManifestJson {
public:
    using json = nlohmann::json;

    explicit ManifestJson(std::string file) : m_file(std::move(file)) {}

    const std::string& file() const { return m_file; }

    /// Parses `text`; a syntax error names the file, the line and the column.
    json parse(const std::string& text) const;

    [[noreturn]] void fail(const std::string& field, const std::string& expected) const;

    /// Rejects keys not in `allowed`, naming the key and the allowed ones: a misspelt
    /// optional key would otherwise be silently ignored.
    void checkKeys(const json& object, const std::string& prefix,
                   std::initializer_list<std::string_view> allowed) const;

    /// `object[key]`, or a failure saying what was expected there if it is missing.
    const json& required(const json& object, const std::string& key, const std::string& field,
                         const std::string& expected) const;

    std::string string(const json& value, const std::string& field) const;
    std::string nonEmptyString(const json& value, const std::string& field) const;
    /// A finite number > 0.
    double positiveNumber(const json& value, const std::string& field) const;
    /// An integer in [min, max]; `expected` describes it for the message.
    long long integer(const json& value, const std::string& field, long long min, long long max,
                      const std::string& expected) const;

    /// 1-based line and column of the character at 0-based `offset` in `text`.
    static std::pair<std::size_t, std::size_t> lineColumn(std::string_view text,
                                                          std::size_t offset);

private:
    std::string m_file;
};

} // namespace clade::engine
