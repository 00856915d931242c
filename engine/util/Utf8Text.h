#pragma once

#include <QString>

#include <cstddef>
#include <string>
#include <string_view>

namespace clade::engine {

/// The one rule for cutting and repairing text. Text in the engine is UTF-8 in
/// std::string; what comes from outside (an imported run, a model's answer, a sandbox's
/// output, a file name) may hold bytes that are not UTF-8, and a cut made by byte count can
/// split a character in two. Both break JSON (nlohmann::json::dump throws on them) and show
/// as garbage. Every place that cuts, pads or repairs text calls these.

/// True when `text` is well-formed UTF-8: no stray continuation byte, no truncated or
/// overlong sequence, no surrogate, nothing past U+10FFFF.
bool isValidUtf8(std::string_view text);

/// `text` with every ill-formed sequence replaced by U+FFFD, one per maximal ill-formed
/// subpart (as Unicode recommends and the WHATWG decoder does): a lone \xff is one
/// U+FFFD, and so is a truncated \xe2\x80. Valid text comes back unchanged. When given,
/// `*replacedBytes` is set to the number of bytes that were not UTF-8 (0 for valid text).
std::string toValidUtf8(std::string_view text, int* replacedBytes = nullptr);

/// The longest start of `text` of at most `maxBytes` bytes that does not end inside a
/// UTF-8 sequence: for byte budgets (a prompt, a capped file), where a character that does
/// not fit whole is left out whole.
std::string utf8Prefix(std::string_view text, std::size_t maxBytes);

/// The longest end of `text` of at most `maxBytes` bytes that does not start inside a
/// UTF-8 sequence: for the tail of a log.
std::string utf8Suffix(std::string_view text, std::size_t maxBytes);

/// How many bytes at the start of `text` (0 to 3) continue a character that began before
/// it: what is left of a character when a longer text was cut just before `text`.
std::size_t leadingContinuationBytes(std::string_view text);

/// The characters a person sees: grapheme clusters, so "👩‍🔬" (three code points joined)
/// and "é" written as e + combining accent each count one. Invalid bytes count as U+FFFD.
std::size_t characterCount(std::string_view text);

/// `text` in at most `maxChars` characters: unchanged when it fits, else its first
/// characters followed by `ellipsis` (counted in `maxChars`). Never splits a character;
/// always valid UTF-8 (invalid bytes become U+FFFD, as in toValidUtf8).
std::string elide(std::string_view text, std::size_t maxChars, std::string_view ellipsis = "…");

/// The same for text already in a QString (the views): a QString's size() counts UTF-16
/// units, and left() can split an emoji's surrogate pair.
QString elideQString(const QString& text, qsizetype maxChars,
                     const QString& ellipsis = QStringLiteral("…"));

} // namespace clade::engine
