#include "engine/llm/Redactor.h"

#include <algorithm>
#include <regex>

namespace clade::llm {

namespace {

// The credential forms of both APIs, in headers ("Authorization: Bearer k", "x-api-key: k")
// and in JSON or query-like text ("x-api-key":"k", api_key=k). The value ends at white
// space, a quote or a separator.
const std::regex& credentialPattern()
{
    static const std::regex pattern(
        R"((bearer\s+|(?:x-api-key|api[-_]?key|authorization)["']?\s*[:=]\s*["']?(?:bearer\s+)?)[^\s"',;&}]+)",
        std::regex::ECMAScript | std::regex::icase);
    return pattern;
}

} // namespace

Redactor::Redactor(std::vector<std::string> secrets) : m_secrets(std::move(secrets))
{
    std::erase_if(m_secrets, [](const std::string& s) { return s.empty(); });
    // Longest first, so a secret that contains another is removed whole.
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redactor::operator()(std::string_view text) const
{
    std::string out(text);
    for (const auto& secret : m_secrets) {
        for (auto pos = out.find(secret); pos != std::string::npos;
             pos = out.find(secret, pos + std::char_traits<char>::length(kRedacted)))
            out.replace(pos, secret.size(), kRedacted);
    }
    return std::regex_replace(out, credentialPattern(), std::string("$1") + kRedacted);
}

} // namespace clade::llm
