#include "engine/llm/LlmSettings.h"

#include "engine/util/InputError.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

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

} // namespace

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
