#include "engine/util/Utf8Text.h"

#include <QTextBoundaryFinder>

#include <algorithm>

namespace clade::engine {
namespace {

// Elision looks at most this many bytes per wanted character, so cutting a line of a
// megabyte costs no more than cutting a short one. A character longer than this (a family
// emoji is about 25 bytes; only contrived stacks of combining marks are longer) is cut at a
// code point boundary instead.
constexpr std::size_t kBytesPerCharacterLooked = 64;

bool isContinuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

// The well-formed sequence at `at` (Unicode 15, table 3-7): its length, or 0 when the
// bytes there are ill-formed, with `*invalid` set to the length of the maximal ill-formed
// subpart (the lead byte and the continuation bytes that were still possible after it).
std::size_t sequenceAt(std::string_view text, std::size_t at, std::size_t* invalid)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0; // no overlong forms
        else if (lead == 0xED)
            high = 0x9F; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90;
        else if (lead == 0xF4)
            high = 0x8F; // nothing past U+10FFFF
    } else {
        *invalid = 1; // a stray continuation byte, C0/C1, F5..FF
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k) {
        const bool fits =
            at + k < text.size() &&
            (k == 1 ? byte(at + k) >= low && byte(at + k) <= high : isContinuation(byte(at + k)));
        if (!fits) {
            *invalid = k;
            return 0;
        }
    }
    return length;
}

// Where the code point holding byte `at` starts, if `at` falls inside a well-formed
// sequence; `at` itself otherwise (a boundary already, or a stray byte that is cut anyway).
std::size_t startOfSequenceAround(std::string_view text, std::size_t at)
{
    std::size_t lead = at;
    while (lead > 0 && at - lead < 3 && isContinuation(static_cast<unsigned char>(text[lead])))
        --lead;
    if (lead == at)
        return at;
    std::size_t invalid = 0;
    const std::size_t length = sequenceAt(text, lead, &invalid);
    return length > 0 && lead + length > at ? lead : at;
}

qsizetype graphemeCount(const QString& text)
{
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    qsizetype count = 0;
    while (finder.toNextBoundary() != -1)
        ++count;
    return count;
}

// `text` in at most `maxChars` graphemes; `continues` says more text follows it, so it is
// cut even when it fits.
QString elideGraphemes(const QString& text, qsizetype maxChars, const QString& ellipsis,
                       bool continues)
{
    if (maxChars <= 0)
        return {};
    const qsizetype ellipsisChars = graphemeCount(ellipsis);
    const bool roomForEllipsis = maxChars > ellipsisChars;
    const qsizetype keep = roomForEllipsis ? maxChars - ellipsisChars : maxChars;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    qsizetype count = 0;
    qsizetype keepEnd = 0;
    for (qsizetype at = finder.toNextBoundary(); at != -1; at = finder.toNextBoundary()) {
        ++count;
        if (count <= keep)
            keepEnd = at;
        if (count > maxChars)
            break;
    }
    if (count <= maxChars && !continues)
        return text;
    return text.left(keepEnd) + (roomForEllipsis ? ellipsis : QString());
}

} // namespace

bool isValidUtf8(std::string_view text)
{
    for (std::size_t at = 0; at < text.size();) {
        std::size_t invalid = 0;
        const std::size_t length = sequenceAt(text, at, &invalid);
        if (length == 0)
            return false;
        at += length;
    }
    return true;
}

std::string toValidUtf8(std::string_view text, int* replacedBytes)
{
    if (replacedBytes)
        *replacedBytes = 0;
    if (isValidUtf8(text))
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t at = 0; at < text.size();) {
        std::size_t invalid = 0;
        if (const std::size_t length = sequenceAt(text, at, &invalid); length > 0) {
            out.append(text.substr(at, length));
            at += length;
        } else {
            out += "\xEF\xBF\xBD"; // U+FFFD REPLACEMENT CHARACTER
            at += invalid;
            if (replacedBytes)
                *replacedBytes += static_cast<int>(invalid);
        }
    }
    return out;
}

std::string utf8Prefix(std::string_view text, std::size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return std::string(text);
    return std::string(text.substr(0, startOfSequenceAround(text, maxBytes)));
}

std::string utf8Suffix(std::string_view text, std::size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return std::string(text);
    std::size_t start = text.size() - maxBytes;
    // A character that began before the cut is left out whole.
    if (const std::size_t lead = startOfSequenceAround(text, start); lead != start) {
        std::size_t invalid = 0;
        start = lead + sequenceAt(text, lead, &invalid);
    }
    return std::string(text.substr(start));
}

std::size_t leadingContinuationBytes(std::string_view text)
{
    std::size_t count = 0;
    while (count < 3 && count < text.size() &&
           isContinuation(static_cast<unsigned char>(text[count])))
        ++count;
    return count;
}

std::size_t characterCount(std::string_view text)
{
    return static_cast<std::size_t>(graphemeCount(QString::fromStdString(toValidUtf8(text))));
}

std::string elide(std::string_view text, std::size_t maxChars, std::string_view ellipsis)
{
    const bool valid = isValidUtf8(text);
    if (text.size() <= maxChars && valid)
        return std::string(text); // a character is at least one byte
    const std::size_t looked = maxChars > text.size() / kBytesPerCharacterLooked
                                   ? text.size()
                                   : maxChars * kBytesPerCharacterLooked;
    const std::string window = utf8Prefix(text, looked);
    const QString shown = QString::fromStdString(valid ? window : toValidUtf8(window));
    const QString cut =
        elideGraphemes(shown, static_cast<qsizetype>(maxChars),
                       QString::fromUtf8(ellipsis.data(), static_cast<qsizetype>(ellipsis.size())),
                       window.size() < text.size());
    return cut.toStdString();
}

QString elideQString(const QString& text, qsizetype maxChars, const QString& ellipsis)
{
    if (text.size() <= maxChars)
        return text; // a character is at least one UTF-16 unit
    return elideGraphemes(text, maxChars, ellipsis, false);
}

} // namespace clade::engine
