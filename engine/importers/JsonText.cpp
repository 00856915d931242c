#include "engine/importers/JsonText.h"

#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>

namespace clade::engine {
namespace {

// Replaces the bare tokens NaN, Infinity and -Infinity outside strings with null, padded
// with spaces to the token's length so byte offsets, and so error positions, stay those
// of the original; "NaN" is one byte shorter than "null", so each one shifts later
// offsets by one, recorded in `grownAt` (offsets in the result) to map them back.
std::string replaceNonFinite(const std::string& text, int& count, std::vector<std::size_t>& grownAt)
{
    std::string out;
    out.reserve(text.size() + 16);
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < text.size())
                out += text[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            out += c;
            continue;
        }
        bool replaced = false;
        for (const std::string token : {"-Infinity", "Infinity", "NaN"}) {
            if (text.compare(i, token.size(), token) == 0) {
                if (token.size() < 4)
                    grownAt.push_back(out.size() + 3);
                out += "null" + std::string(token.size() > 4 ? token.size() - 4 : 0, ' ');
                i += token.size() - 1;
                ++count;
                replaced = true;
                break;
            }
        }
        if (!replaced)
            out += c;
    }
    return out;
}

} // namespace

std::string jsonIdText(const nlohmann::json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number_integer())
        return std::to_string(value.get<long long>());
    return {};
}

std::string describePosition(const std::string& text, std::size_t offset)
{
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column; // a continuation byte is part of the character before it
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

void noteInvalidUtf8(std::vector<std::string>& warnings, const std::filesystem::path& file, int invalidBytes)
{
    if (invalidBytes > 0)
        warnings.push_back(file.string() + ": " + std::to_string(invalidBytes) +
                           " byte(s) that are not UTF-8, replaced with U+FFFD");
}

LenientJson parseLenientJson(const std::string& source, const std::filesystem::path& file)
{
    LenientJson result;
    // Repaired first: the parser refuses what is not UTF-8, and a record must not be lost
    // for one bad byte. Positions below are those of the repaired text (same lines).
    std::string repaired;
    if (!isValidUtf8(source))
        repaired = toValidUtf8(source, &result.invalidUtf8Bytes);
    const std::string& text = result.invalidUtf8Bytes > 0 ? repaired : source;
    std::vector<std::size_t> grownAt;
    const std::string cleaned = replaceNonFinite(text, result.nonFiniteNumbers, grownAt);
    try {
        result.value = nlohmann::json::parse(cleaned);
    } catch (const nlohmann::json::parse_error& error) {
        // error.byte is 1-based, one past the offending character.
        std::size_t at = error.byte > 0 ? error.byte - 1 : 0;
        at -= static_cast<std::size_t>(std::count_if(grownAt.begin(), grownAt.end(),
                                                     [at](std::size_t grown) { return grown <= at; }));
        std::string what = error.what();
        if (const auto colon = what.rfind(": "); colon != std::string::npos)
            what = what.substr(colon + 2);
        throw InputError(file.string() + ": malformed JSON at " + describePosition(text, at) + " (" +
                         (at >= text.size() ? "the file ends early, truncated?" : what) + ")");
    }
    return result;
}

LenientJson readLenientJson(const std::filesystem::path& file)
{
    return parseLenientJson(readTextFile(file), file);
}

} // namespace clade::engine
