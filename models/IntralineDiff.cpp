#include "models/IntralineDiff.h"

#include <QTextBoundaryFinder>

#include <algorithm>

namespace clade::models {
namespace {

constexpr int kMaxTokens = 500;
// Below this share of the shorter line's non-blank characters, lines count as edits of
// each other only if one stretch changed on each side (a renamed word, a new constant)...
constexpr double kMinShared = 0.4;
// ... and never below this one (a line that kept only its semicolon was rewritten).
constexpr double kMinSharedOneStretch = 0.2;

struct Token {
    int start;
    int length;
};

enum class CharKind { Word, Blank, Other };

CharKind kindOf(QStringView text, int at)
{
    char32_t code = text[at].unicode();
    if (text[at].isHighSurrogate() && at + 1 < text.size() && text[at + 1].isLowSurrogate())
        code = QChar::surrogateToUcs4(text[at], text[at + 1]);
    if (QChar::isLetterOrNumber(code) || code == U'_')
        return CharKind::Word;
    return QChar::isSpace(code) ? CharKind::Blank : CharKind::Other;
}

// Where each character a person sees ends, in UTF-16 positions. A surrogate pair (🧬), a
// ZWJ sequence (👩‍🔬) or a letter with combining accents is one character, so an emphasised
// change never covers half of one. Most lines hold none of those: one unit, one character.
std::vector<int> characterEnds(QStringView text)
{
    std::vector<int> ends;
    ends.reserve(static_cast<size_t>(text.size()));
    const bool simple = std::none_of(text.begin(), text.end(), [](QChar c) {
        return c.isSurrogate() || c.isMark() || c.unicode() == 0x200D || c.unicode() == 0x200C;
    });
    if (simple) {
        for (int i = 1; i <= static_cast<int>(text.size()); ++i)
            ends.push_back(i);
        return ends;
    }
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text.data(), text.size());
    for (qsizetype at = finder.toNextBoundary(); at != -1; at = finder.toNextBoundary())
        ends.push_back(static_cast<int>(at));
    return ends;
}

// Tokens are made of whole characters, a character's kind being its first code point's.
std::vector<Token> tokenize(QStringView text)
{
    std::vector<Token> tokens;
    const std::vector<int> ends = characterEnds(text);
    const auto startOf = [&ends](std::size_t c) { return c == 0 ? 0 : ends[c - 1]; };
    for (std::size_t c = 0; c < ends.size();) {
        const int start = startOf(c);
        const CharKind kind = kindOf(text, start);
        ++c;
        if (kind != CharKind::Other)
            while (c < ends.size() && kindOf(text, startOf(c)) == kind)
                ++c;
        tokens.push_back({start, ends[c - 1] - start});
    }
    return tokens;
}

QStringView tokenText(QStringView text, const Token& t)
{
    return text.mid(t.start, t.length);
}

int nonBlankLength(QStringView text)
{
    return static_cast<int>(std::count_if(text.begin(), text.end(), [](QChar c) { return !c.isSpace(); }));
}

// Turns the unmatched tokens into spans; a blank between two unmatched tokens joins them.
std::vector<TextSpan> spansOf(QStringView text, const std::vector<Token>& tokens,
                              const std::vector<bool>& matched)
{
    std::vector<TextSpan> spans;
    const int count = static_cast<int>(tokens.size());
    for (int i = 0; i < count; ++i) {
        if (matched[static_cast<size_t>(i)])
            continue;
        const int start = tokens[static_cast<size_t>(i)].start;
        int end = start + tokens[static_cast<size_t>(i)].length;
        int j = i + 1;
        while (j < count) {
            if (!matched[static_cast<size_t>(j)]) {
                end = tokens[static_cast<size_t>(j)].start + tokens[static_cast<size_t>(j)].length;
                ++j;
            } else if (j + 1 < count && tokenText(text, tokens[static_cast<size_t>(j)]).front().isSpace() &&
                       !matched[static_cast<size_t>(j + 1)]) {
                ++j; // the blank is taken with the next unmatched token
            } else {
                break;
            }
        }
        spans.push_back({start, end - start});
        i = j - 1;
    }
    return spans;
}

} // namespace

IntralineChanges intralineChanges(QStringView oldLine, QStringView newLine)
{
    if (oldLine == newLine)
        return {};
    const std::vector<Token> a = tokenize(oldLine);
    const std::vector<Token> b = tokenize(newLine);
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    if (n > kMaxTokens || m > kMaxTokens)
        return {};

    // Longest common subsequence of tokens, suffix table: lcs[i][j] for a[i..], b[j..].
    std::vector<int> lcs(static_cast<size_t>((n + 1) * (m + 1)), 0);
    const auto at = [m](int i, int j) { return static_cast<size_t>(i * (m + 1) + j); };
    for (int i = n - 1; i >= 0; --i)
        for (int j = m - 1; j >= 0; --j)
            lcs[at(i, j)] = tokenText(oldLine, a[static_cast<size_t>(i)]) ==
                                    tokenText(newLine, b[static_cast<size_t>(j)])
                                ? lcs[at(i + 1, j + 1)] + 1
                                : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);

    std::vector<bool> oldMatched(static_cast<size_t>(n), false);
    std::vector<bool> newMatched(static_cast<size_t>(m), false);
    int sharedNonBlank = 0;
    for (int i = 0, j = 0; i < n && j < m;) {
        const QStringView token = tokenText(oldLine, a[static_cast<size_t>(i)]);
        if (token == tokenText(newLine, b[static_cast<size_t>(j)])) {
            oldMatched[static_cast<size_t>(i)] = newMatched[static_cast<size_t>(j)] = true;
            sharedNonBlank += nonBlankLength(token);
            ++i;
            ++j;
        } else if (lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            ++i;
        } else {
            ++j;
        }
    }
    if (sharedNonBlank == 0)
        return {};
    IntralineChanges changes{spansOf(oldLine, a, oldMatched), spansOf(newLine, b, newMatched)};
    const int shorter = std::min(nonBlankLength(oldLine), nonBlankLength(newLine));
    const bool oneStretch = changes.oldSpans.size() <= 1 && changes.newSpans.size() <= 1;
    if (sharedNonBlank < (oneStretch ? kMinSharedOneStretch : kMinShared) * shorter)
        return {};
    return changes;
}

std::vector<LinePair> pairSimilarLines(const std::vector<QString>& deleted,
                                       const std::vector<QString>& added)
{
    constexpr std::size_t kMaxComparisons = 10000;
    const int d = static_cast<int>(deleted.size());
    const int a = static_cast<int>(added.size());
    const bool searchAll = deleted.size() * added.size() <= kMaxComparisons;
    std::vector<LinePair> pairs;
    int nextAdded = 0;
    for (int i = 0; i < d && nextAdded < a; ++i) {
        const int last = searchAll ? a - 1 : std::min(nextAdded, a - 1);
        for (int j = nextAdded; j <= last; ++j) {
            IntralineChanges changes =
                intralineChanges(deleted[static_cast<size_t>(i)], added[static_cast<size_t>(j)]);
            if (changes.empty())
                continue;
            pairs.push_back({i, j, std::move(changes)});
            nextAdded = j + 1;
            break;
        }
        if (!searchAll && (pairs.empty() || pairs.back().deleted != i))
            ++nextAdded; // positional only: line i faces line i
    }
    return pairs;
}

} // namespace clade::models
