#include "engine/review/GenericCallScanner.h"

#include "engine/review/RiskLabels.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <array>
#include <optional>

namespace clade::engine {

namespace {

using namespace RiskLabel;

struct Pattern {
    const char* regex;
    const char* why; ///< a RiskLabel
};

// "(^|[^\w.>:$])" before a name: not a member (obj.f, p->f), not qualified (std::f).
constexpr std::array<Pattern, 7> kCLike = {{
    {R"((^|[^\w.>:])(::\s*)?(system|popen|_popen|execl|execlp|execle|execv|execvp|execvpe|execve|fork|vfork|posix_spawnp?|CreateProcess[AW]?|ShellExecute(Ex)?[AW]?|WinExec)\s*\()",
     StartsProcess},
    {R"(\bstd\s*::\s*system\s*\()", StartsProcess},
    {R"((^|[^\w.>:])(::\s*)?(unlink|unlinkat|remove|rmdir|nftw)\s*\()", RemovesFiles},
    {R"(\b(filesystem|fs)\s*::\s*remove(_all)?\s*\()", RemovesFiles},
    {R"((^|[^\w.>:])(::\s*)?(socket|getaddrinfo|gethostbyname)\s*\()", OpensNetwork},
    {R"(#\s*include\s*[<"](sys/socket\.h|netinet/|arpa/inet\.h|curl/curl\.h|winsock2?\.h))",
     OpensNetwork},
    {R"((^|[^\w.>:])(dlopen|dlsym|LoadLibrary(Ex)?[AW]?)\s*\()", LoadsNative},
}};

constexpr std::array<Pattern, 6> kShell = {{
    {R"((^|[^\w-])rm\s+(-[a-zA-Z]*[rRf][a-zA-Z]*|--recursive|--force))", RemovesFiles},
    {R"((^|[^\w-])(shred|unlink)\s)", RemovesFiles},
    {R"(\bfind\b.*\s-delete\b)", RemovesFiles},
    {R"((^|[^\w./-])(curl|wget|nc|ncat|netcat|socat|ssh|scp|telnet|ftp)(\s|$|;|\|))",
     OpensNetwork},
    {R"(/dev/(tcp|udp)/)", OpensNetwork},
    {R"((^|[;&|(\s])eval(\s|$))", RunsDynamicCode},
}};

constexpr std::array<Pattern, 9> kJavaScript = {{
    {R"(\bchild_process\b)", StartsProcess},
    {R"((^|[^\w.$])(exec|execSync|spawn|spawnSync|execFile|execFileSync)\s*\()", StartsProcess},
    {R"(\.(execSync|spawn|spawnSync|execFile|execFileSync)\s*\()", StartsProcess},
    {R"(\.(unlink|unlinkSync|rmSync|rmdir|rmdirSync)\s*\(|\bfs(\.promises)?\.rm\s*\()",
     RemovesFiles},
    {R"((^|[^\w.$])eval\s*\(|\bnew\s+Function\s*\()", RunsDynamicCode},
    {R"(require\s*\(\s*['"](node:)?(net|http|https|http2|dgram|tls)['"]\s*\))", OpensNetwork},
    {R"(\bfrom\s+['"](node:)?(net|http|https|http2|dgram|tls)['"])", OpensNetwork},
    {R"((^|[^\w.$])fetch\s*\(|\bXMLHttpRequest\b|\bWebSocket\b)", OpensNetwork},
    {R"(\bprocess\.dlopen\b|\bffi-napi\b)", LoadsNative},
}};

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Replaces comments (and for C/C++ string contents) with spaces, keeping every line
// break, so line numbers still match the file.
std::string blanked(ScriptLanguage language, std::string_view text)
{
    std::string out(text);
    const bool blankStrings = language == ScriptLanguage::CLike;
    std::size_t i = 0;
    const auto blank = [&](std::size_t from, std::size_t to) {
        for (std::size_t k = from; k < to && k < out.size(); ++k)
            if (out[k] != '\n')
                out[k] = ' ';
    };
    while (i < out.size()) {
        const char c = out[i];
        const char next = i + 1 < out.size() ? out[i + 1] : '\0';
        if (language == ScriptLanguage::Shell && c == '#' &&
            (i == 0 || std::isspace(static_cast<unsigned char>(out[i - 1])) || out[i - 1] == ';')) {
            const std::size_t end = std::min(out.find('\n', i), out.size());
            blank(i, end);
            i = end;
        } else if (language != ScriptLanguage::Shell && c == '/' && next == '/') {
            const std::size_t end = std::min(out.find('\n', i), out.size());
            blank(i, end);
            i = end;
        } else if (language != ScriptLanguage::Shell && c == '/' && next == '*') {
            const std::size_t close = out.find("*/", i + 2);
            const std::size_t end = close == std::string::npos ? out.size() : close + 2;
            blank(i, end);
            i = end;
        } else if (c == '"' || c == '\'' || (c == '`' && language == ScriptLanguage::JavaScript)) {
            // Skip the string so comment markers inside it do not count.
            std::size_t k = i + 1;
            const bool escapes = !(language == ScriptLanguage::Shell && c == '\'');
            while (k < out.size() && out[k] != c && (c == '`' || language == ScriptLanguage::Shell || out[k] != '\n'))
                k += (escapes && out[k] == '\\') ? 2 : 1;
            if (blankStrings)
                blank(i + 1, k);
            i = k + 1;
        } else {
            ++i;
        }
    }
    return out;
}

using CompiledTable = std::vector<std::pair<std::regex, const char*>>;

template <std::size_t N> CompiledTable compile(const std::array<Pattern, N>& patterns)
{
    CompiledTable result;
    for (const Pattern& p : patterns)
        result.emplace_back(std::regex(p.regex, std::regex::ECMAScript), p.why);
    return result;
}

std::string trimmedMatch(std::string text)
{
    const auto isJunk = [](unsigned char c) { return std::isspace(c) || c == '(' || c == ';' || c == '|'; };
    while (!text.empty() && isJunk(static_cast<unsigned char>(text.front())))
        text.erase(0, 1);
    while (!text.empty() && isJunk(static_cast<unsigned char>(text.back())))
        text.pop_back();
    return text;
}

} // namespace

ScriptLanguage scriptLanguageOf(std::string_view path, std::string_view text)
{
    const std::size_t slash = path.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const auto any = [&](std::initializer_list<std::string_view> suffixes) {
        return std::any_of(suffixes.begin(), suffixes.end(),
                           [&](std::string_view s) { return endsWith(name, s); });
    };
    if (any({".py", ".pyw", ".pyi"}))
        return ScriptLanguage::Python;
    if (any({".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx", ".ipp", ".inl", ".m", ".mm"}))
        return ScriptLanguage::CLike;
    if (any({".sh", ".bash", ".zsh", ".ksh"}))
        return ScriptLanguage::Shell;
    if (any({".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"}))
        return ScriptLanguage::JavaScript;
    if (text.rfind("#!", 0) == 0) {
        const std::string_view shebang = text.substr(0, text.find('\n'));
        if (shebang.find("python") != std::string_view::npos)
            return ScriptLanguage::Python;
        if (shebang.find("node") != std::string_view::npos)
            return ScriptLanguage::JavaScript;
        if (endsWith(shebang, "sh") || shebang.find("sh ") != std::string_view::npos)
            return ScriptLanguage::Shell;
    }
    return ScriptLanguage::Other;
}

std::optional<std::string> searchLine(const std::regex& pattern, std::string_view line)
{
    constexpr std::size_t kWindow = 4096;
    constexpr std::size_t kOverlap = 512;
    for (std::size_t start = 0;; start += kWindow - kOverlap) {
        const std::string_view window = line.substr(start, kWindow);
        std::match_results<std::string_view::const_iterator> match;
        if (std::regex_search(window.begin(), window.end(), match, pattern))
            return match.str();
        if (start + kWindow >= line.size())
            return std::nullopt;
    }
}

std::vector<RiskyReference> scanGenericCalls(ScriptLanguage language, std::string_view text,
                                             const std::vector<int>& lines)
{
    // Compiled once per language; searching a shared std::regex is thread-safe.
    static const CompiledTable cLike = compile(kCLike);
    static const CompiledTable shell = compile(kShell);
    static const CompiledTable javaScript = compile(kJavaScript);
    const CompiledTable* table = nullptr;
    switch (language) {
    case ScriptLanguage::CLike: table = &cLike; break;
    case ScriptLanguage::Shell: table = &shell; break;
    case ScriptLanguage::JavaScript: table = &javaScript; break;
    default: return {};
    }
    const std::string clean = blanked(language, text);
    std::vector<RiskyReference> found;
    std::size_t start = 0;
    int lineNo = 1;
    for (const int wanted : lines) { // ascending
        for (; lineNo < wanted && start < clean.size(); ++lineNo)
            start = std::min(clean.find('\n', start), clean.size()) + 1;
        if (lineNo != wanted || start > clean.size())
            break;
        const std::size_t end = std::min(clean.find('\n', start), clean.size());
        const std::string_view line = std::string_view(clean).substr(start, end - start);
        for (const auto& [regex, why] : *table) {
            if (const std::optional<std::string> match = searchLine(regex, line)) {
                found.push_back({wanted, wanted, trimmedMatch(*match), why});
                break; // one reason per line is enough to make a person look
            }
        }
    }
    return found;
}

} // namespace clade::engine
