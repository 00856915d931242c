#include "engine/importers/JsonStream.h"

#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <cctype>

namespace clade::engine {

JsonStream parseJsonStream(const std::string& source, const std::filesystem::path& file)
{
    JsonStream stream;
    // Repaired once for the whole file, not per record.
    std::string repaired;
    if (!isValidUtf8(source))
        repaired = toValidUtf8(source, &stream.invalidUtf8Bytes);
    const std::string& text = stream.invalidUtf8Bytes > 0 ? repaired : source;
    std::size_t i = 0;
    while (true) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        if (i >= text.size())
            break;
        const std::size_t start = i;
        int depth = 0;
        bool inString = false;
        bool complete = false;
        for (; i < text.size(); ++i) {
            const char c = text[i];
            if (inString) {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    inString = false;
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth <= 0) {
                    ++i;
                    complete = depth == 0;
                    break;
                }
            } else if (depth == 0 && std::isspace(static_cast<unsigned char>(c))) {
                complete = true; // a bare scalar record ends at white space
                break;
            }
        }
        if (!complete && depth > 0) {
            stream.truncatedTail = "the record at " + describePosition(text, start) +
                                   " is cut off (the file ends inside it)";
            break;
        }
        try {
            LenientJson value = parseLenientJson(text.substr(start, i - start), file);
            stream.nonFiniteNumbers += value.nonFiniteNumbers;
            stream.values.push_back(std::move(value.value));
        } catch (const InputError&) {
            throw InputError(file.string() + ": malformed JSON record at " + describePosition(text, start) +
                             " (expected one JSON value after another)");
        }
    }
    return stream;
}

JsonStream readJsonStream(const std::filesystem::path& file)
{
    return parseJsonStream(readTextFile(file), file);
}

} // namespace clade::engine
