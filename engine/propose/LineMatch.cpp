#include "engine/propose/LineMatch.h"

#include "engine/propose/AnswerText.h"
#include "engine/util/EditDistance.h"

#include <algorithm>
#include <string_view>

namespace clade::engine {

namespace {

bool sameLine(std::string_view a, std::string_view b, LineCompare compare)
{
    return compare == LineCompare::Exact ? a == b : rightTrimmed(a) == rightTrimmed(b);
}

std::size_t indentOf(std::string_view line)
{
    return line.find_first_not_of(" \t");
}

// The line of `text` most like `wanted` (at most half its characters different), as a hint;
// skipped when the file is so large that comparing every line would cost noticeable time.
std::string mostSimilarLine(const std::vector<std::string>& text, std::string_view wanted)
{
    constexpr std::size_t kBudget = 10'000'000; // character comparisons
    std::size_t cost = 0;
    for (const auto& line : text)
        cost += line.size() * wanted.size();
    if (cost > kBudget || wanted.empty())
        return {};
    std::size_t best = wanted.size() / 2 + 1;
    std::size_t bestAt = text.size();
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::string_view line = trimmed(text[i]);
        if (line.empty())
            continue;
        const std::size_t distance = editDistance(line, wanted);
        if (distance < best) {
            best = distance;
            bestAt = i;
        }
    }
    if (bestAt == text.size())
        return {};
    return "the most similar line in the file is line " + std::to_string(bestAt + 1) + ": " +
           quoted(text[bestAt]);
}

} // namespace

std::vector<std::size_t> findLineRuns(const std::vector<std::string>& text,
                                      const std::vector<std::string>& quote, LineCompare compare)
{
    std::vector<std::size_t> runs;
    for (std::size_t at = 0; !quote.empty() && at + quote.size() <= text.size(); ++at) {
        std::size_t i = 0;
        while (i < quote.size() && sameLine(text[at + i], quote[i], compare))
            ++i;
        if (i == quote.size())
            runs.push_back(at);
    }
    return runs;
}

std::optional<ReindentedMatch> findReindented(const std::vector<std::string>& text,
                                              const std::vector<std::string>& quote,
                                              const std::vector<std::string>& replacement)
{
    // The indentation every non-blank line of the quote and the replacement shares is the
    // model's; what stands in the file instead of it is the file's, and goes on every line.
    std::size_t shared = std::string::npos;
    for (const auto* part : {&quote, &replacement})
        for (const auto& line : *part)
            if (!isBlank(line))
                shared = std::min(shared, indentOf(line));
    const bool anyQuoted =
        std::any_of(quote.begin(), quote.end(), [](const auto& line) { return !isBlank(line); });
    if (!anyQuoted)
        return std::nullopt;
    std::vector<std::string> outdented;
    for (const auto& line : quote)
        outdented.emplace_back(isBlank(line) ? std::string_view()
                                             : rightTrimmed(std::string_view(line).substr(shared)));

    for (std::size_t at = 0; at + quote.size() <= text.size(); ++at) {
        std::optional<std::string> indent;
        bool fits = true;
        for (std::size_t i = 0; fits && i < quote.size(); ++i) {
            const std::string_view line = rightTrimmed(text[at + i]);
            if (outdented[i].empty()) {
                fits = line.empty();
                continue;
            }
            const std::size_t lead = line.size() - std::min(line.size(), outdented[i].size());
            fits = line.ends_with(outdented[i]) && isBlank(line.substr(0, lead)) &&
                   (!indent || *indent == line.substr(0, lead));
            if (fits && !indent)
                indent = std::string(line.substr(0, lead));
        }
        if (!fits)
            continue;
        ReindentedMatch match{at, {}};
        for (const auto& line : replacement)
            match.replacement.push_back(isBlank(line) ? std::string()
                                                      : *indent + line.substr(shared));
        return match;
    }
    return std::nullopt;
}

std::string nearMissHint(const std::vector<std::string>& text,
                         const std::vector<std::string>& quote)
{
    const auto firstQuoted =
        std::find_if(quote.begin(), quote.end(), [](const auto& line) { return !isBlank(line); });
    if (firstQuoted == quote.end())
        return {};
    const std::size_t from = static_cast<std::size_t>(firstQuoted - quote.begin());

    // The longest run of the quote's lines, from its first non-blank one, that stands in the
    // file when indentation and trailing spaces are ignored.
    std::size_t bestLength = 0;
    std::size_t bestAt = 0;
    for (std::size_t at = 0; at < text.size(); ++at) {
        std::size_t i = 0;
        while (from + i < quote.size() && at + i < text.size() &&
               trimmed(text[at + i]) == trimmed(quote[from + i]))
            ++i;
        if (i > bestLength) {
            bestLength = i;
            bestAt = at;
        }
    }
    if (bestLength == 0)
        return mostSimilarLine(text, trimmed(*firstQuoted));
    const std::string where = "line " + std::to_string(bestAt + 1);
    if (from + bestLength == quote.size())
        return "the lines stand from " + where +
               " of the file, but indented differently from line to line";
    const std::size_t differs = bestAt + bestLength;
    return "its first " + std::to_string(bestLength) +
           (bestLength == 1 ? " line matches" : " lines match") + " the file from " + where +
           ", then its line " + std::to_string(from + bestLength + 1) + " " +
           quoted(quote[from + bestLength]) + " differs from " +
           (differs < text.size()
                ? "the file's line " + std::to_string(differs + 1) + " " + quoted(text[differs])
                : std::string("the end of the file"));
}

} // namespace clade::engine
