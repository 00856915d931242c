#include "engine/llm/LlmSettings.h"

#include "engine/util/InputError.h"

#include <QUrl>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace clade::llm {

using engine::InputError;

const char* providerName(ProviderKind kind)
{
    return kind == ProviderKind::Anthropic ? "anthropic" : "openai";
}

std::optional<ProviderKind> parseProviderName(const std::string& name)
{
    if (name == "openai")
        return ProviderKind::OpenAi;
    if (name == "anthropic")
        return ProviderKind::Anthropic;
    return std::nullopt;
}

std::string defaultBaseUrl(ProviderKind kind)
{
    return kind == ProviderKind::Anthropic ? "https://api.anthropic.com"
                                           : "https://api.openai.com/v1";
}

std::string LlmSettings::effectiveBaseUrl() const
{
    std::string url = baseUrl.empty() ? defaultBaseUrl(provider) : baseUrl;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

nlohmann::json LlmSettings::toJson() const
{
    return {{"provider", providerName(provider)},
            {"base_url", effectiveBaseUrl()},
            {"model", model},
            {"key_env", keyEnv},
            {"timeout_seconds", timeoutSeconds},
            {"concurrency", concurrency},
            {"max_retries", maxRetries},
            {"backoff_initial_ms", backoffInitialMs},
            {"backoff_max_ms", backoffMaxMs},
            {"retry_after_max_seconds", retryAfterMaxSeconds}};
}

namespace {

template <typename T>
T readNumber(const nlohmann::json& json, const std::string& where, const char* field, T fallback,
             T minimum)
{
    if (!json.contains(field))
        return fallback;
    const auto& value = json.at(field);
    if (!value.is_number() || value.get<double>() < static_cast<double>(minimum))
        throw InputError::field(where, std::string("llm.") + field,
                                "a number >= " + std::to_string(minimum));
    return value.get<T>();
}

std::string readString(const nlohmann::json& json, const std::string& where, const char* field)
{
    if (!json.contains(field))
        return {};
    if (!json.at(field).is_string())
        throw InputError::field(where, std::string("llm.") + field, "a string");
    return json.at(field).get<std::string>();
}

/// The URL for a message: a password given as user:password@ must not be echoed.
std::string withoutUserInfo(const std::string& url)
{
    const std::size_t authority = url.find("://");
    if (authority == std::string::npos)
        return url;
    const std::size_t start = authority + 3;
    const std::size_t end = std::min(url.find_first_of("/?#", start), url.size());
    const std::size_t at = url.rfind('@', end - 1);
    if (at == std::string::npos || at < start)
        return url;
    return url.substr(0, start) + url.substr(at + 1);
}

/// What is wrong with the host and port of `authority` (user info removed), or "".
/// QUrl takes "host:" (an empty port) as the scheme's default port, hence this check.
std::string authorityProblem(std::string_view authority)
{
    std::size_t hostEnd = 0;
    if (authority.starts_with('[')) {
        hostEnd = authority.find(']');
        if (hostEnd == std::string_view::npos)
            return {}; // QUrl names the missing ']'
        ++hostEnd;
    } else {
        hostEnd = std::min(authority.find(':'), authority.size());
    }
    if (hostEnd == 0)
        return "a host name or address after '://' (an IPv6 address in brackets, like "
               "http://[::1]:8080/v1)";
    const std::string_view rest = authority.substr(hostEnd);
    if (rest.empty() || rest.front() != ':')
        return {}; // anything else after "[...]" is QUrl's to name
    const std::string_view port = rest.substr(1);
    if (port.empty())
        return "a port number after ':' (or no ':' for the scheme's default port)";
    const bool digits = port.size() <= 5 && std::all_of(port.begin(), port.end(), [](char c) {
                            return std::isdigit(static_cast<unsigned char>(c));
                        });
    const int number = digits ? std::stoi(std::string(port)) : 0;
    if (number < 1 || number > 65535)
        return "a port number from 1 to 65535 after ':'";
    return {};
}

} // namespace

std::string baseUrlProblem(const std::string& url)
{
    if (url.empty())
        return {};
    const std::string got = ", got '" + withoutUserInfo(url) + "'";
    if (std::any_of(url.begin(), url.end(),
                    [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
        return "a URL without spaces or line breaks" + got;
    const std::size_t schemeEnd = url.find("://");
    if (schemeEnd == std::string::npos)
        return "a URL that starts with http:// or https://, like http://127.0.0.1:8080/v1" + got;
    std::string scheme = url.substr(0, schemeEnd);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme != "http" && scheme != "https")
        return "http:// or https:// at the start" + got;
    const std::string shown = withoutUserInfo(url);
    const std::size_t start = schemeEnd + 3;
    const std::size_t end = std::min(shown.find_first_of("/?#", start), shown.size());
    if (std::string problem = authorityProblem(std::string_view(shown).substr(start, end - start));
        !problem.empty())
        return problem + got;
    if (url.find_first_of("?#") != std::string::npos)
        return "a URL without '?' or '#' (the API's path is added at its end)" + got;
    // The client adds the endpoint's path; a URL that already ends with it would be doubled.
    std::string_view path = url;
    while (path.ends_with('/'))
        path.remove_suffix(1);
    for (const char* endpoint : {"/chat/completions", "/v1/messages"})
        if (path.ends_with(endpoint))
            return std::string("the URL before ") + endpoint + " (the client adds that path)" + got;
    const QUrl parsed(QString::fromStdString(url), QUrl::StrictMode);
    if (!parsed.isValid()) {
        // Qt's reason, without the "; source was ..." part that repeats the whole URL.
        const QString reason = parsed.errorString().section(QLatin1String("; source was"), 0, 0);
        return "a valid URL" + got + " (" + reason.toLower().toStdString() + ")";
    }
    return {};
}

bool isEnvironmentName(const std::string& name)
{
    if (name.empty())
        return true; // no key
    if (std::isdigit(static_cast<unsigned char>(name.front())))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

LlmSettings LlmSettings::fromJson(const nlohmann::json& json, const std::string& where)
{
    if (!json.is_object())
        throw InputError::field(where, "llm", "an object");
    for (const char* secretField : {"api_key", "apiKey", "key"})
        if (json.contains(secretField))
            throw InputError::field(where, std::string("llm.") + secretField,
                                    "no key here: name the environment variable that holds "
                                    "it in llm.key_env");
    LlmSettings s;
    const std::string provider = readString(json, where, "provider");
    const auto kind = parseProviderName(provider);
    if (!kind)
        throw InputError::field(where, "llm.provider", "\"openai\" or \"anthropic\"");
    s.provider = *kind;
    s.baseUrl = readString(json, where, "base_url");
    if (const std::string problem = baseUrlProblem(s.baseUrl); !problem.empty())
        throw InputError::field(where, "llm.base_url", problem);
    s.model = readString(json, where, "model");
    if (s.model.empty())
        throw InputError::field(where, "llm.model", "the model's name");
    s.keyEnv = readString(json, where, "key_env");
    // A key pasted here by mistake would land in run.json: refuse it without echoing it.
    if (!isEnvironmentName(s.keyEnv))
        throw InputError::field(where, "llm.key_env",
                                "the NAME of an environment variable (letters, digits, '_'), "
                                "not the key itself");
    s.timeoutSeconds = readNumber(json, where, "timeout_seconds", s.timeoutSeconds, 0.001);
    s.concurrency = readNumber(json, where, "concurrency", s.concurrency, 1);
    s.maxRetries = readNumber(json, where, "max_retries", s.maxRetries, 0);
    s.backoffInitialMs = readNumber(json, where, "backoff_initial_ms", s.backoffInitialMs, 0);
    s.backoffMaxMs = readNumber(json, where, "backoff_max_ms", s.backoffMaxMs, 0);
    s.retryAfterMaxSeconds =
        readNumber(json, where, "retry_after_max_seconds", s.retryAfterMaxSeconds, 0);
    return s;
}

} // namespace clade::llm
