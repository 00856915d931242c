#pragma once
// Text that is not ASCII, for every reader and writer of outside text: accented Latin with
// the typographic apostrophe that broke the AIDE import, CJK, emoji (one of them a ZWJ
// sequence of three code points that is one character), right-to-left scripts, and the two
// kinds of bytes that are not UTF-8 (a lone \xff, a sequence cut short).

#include <string>

namespace testsupport::corpus {

inline const std::string kAccented = "’Café señor’s naïve jalapeño";
inline const std::string kCjk = "中文 日本語";
inline const std::string kEmoji = "🧬 👩‍🔬";
inline const std::string kRightToLeft = "العربية עברית";

/// All of the above, valid UTF-8. Starts with ’ (3 bytes), which splitAt() relies on.
inline const std::string kValid = kAccented + " " + kCjk + " " + kEmoji + " " + kRightToLeft;

inline const std::string kLoneInvalid = "\xff";
inline const std::string kTruncated = "\xe2\x80"; // the first two bytes of ’
inline const std::string kReplacement = "\xEF\xBF\xBD"; // U+FFFD

/// kValid with the invalid bytes in it, and what a reader must make of it: each invalid
/// piece one U+FFFD, every other character kept.
inline const std::string kWithInvalid = kValid + " a" + kLoneInvalid + "b c" + kTruncated + "|d";
inline const std::string kRepaired = kValid + " a" + kReplacement + "b c" + kReplacement + "|d";
inline constexpr int kInvalidBytes = 3;

/// Text that a cut after `byte` bytes splits inside a character: byte-1 ASCII letters,
/// then kValid (whose ’ then spans bytes byte-1 .. byte+1).
inline std::string splitAt(std::size_t byte)
{
    return std::string(byte - 1, 'a') + kValid;
}

/// kValid repeated until it holds at least `bytes` bytes.
inline std::string atLeast(std::size_t bytes)
{
    std::string text;
    while (text.size() < bytes)
        text += kValid + " ";
    return text;
}

} // namespace testsupport::corpus
