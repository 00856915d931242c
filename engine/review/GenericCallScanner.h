#pragma once

#include "engine/review/RiskyReference.h"

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace clade::engine {

enum class ScriptLanguage { Python, CLike, Shell, JavaScript, Other };

/// By extension, else by a "#!" first line; Other when neither says.
ScriptLanguage scriptLanguageOf(std::string_view path, std::string_view text);

/// The risky calls on `lines` (1-based) of `text`, by a pattern list for C/C++, shell and
/// JavaScript/TypeScript (nothing for Python or Other: Python has its own scanner).
/// Comments are blanked first (in C/C++ string contents too), so a call that is only
/// mentioned is not reported; the patterns skip member calls (`obj.remove(x)`,
/// `std::remove`) that merely share a name.
std::vector<RiskyReference> scanGenericCalls(ScriptLanguage language, std::string_view text,
                                             const std::vector<int>& lines);

/// regex_search over a line of any length: libstdc++'s matcher recurses per character, so
/// a long minified line could exhaust the stack; long lines are searched in overlapping
/// windows. Returns the matched text, or nothing.
std::optional<std::string> searchLine(const std::regex& pattern, std::string_view line);

} // namespace clade::engine
