#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace clade::llm {

enum class ProviderKind { OpenAi, Anthropic };

/// "openai" or "anthropic", as the command line and run.json spell it.
const char* providerName(ProviderKind kind);
std::optional<ProviderKind> parseProviderName(const std::string& name);
/// https://api.openai.com/v1 or https://api.anthropic.com
std::string defaultBaseUrl(ProviderKind kind);

/// True for "" (no key) and for names like OPENAI_API_KEY; false for anything else, which
/// is most likely a key typed where its variable's name belongs.
bool isEnvironmentName(const std::string& name);

/// "" when `url` can be a base URL (an empty one means the provider's default); otherwise
/// what was expected, worded to follow "expected " in an InputError, ending with the URL
/// as given (its user:password@ left out). Catches what people mistype: no scheme or
/// another one than http/https, no host, an empty or impossible port, spaces, a query, or
/// the endpoint's own path (/chat/completions, /v1/messages), which the client adds itself.
std::string baseUrlProblem(const std::string& url);

/// How a run reaches its model. Holds the NAME of the environment variable with the key,
/// never the key: this struct is written to run.json as is, and the key is read from the
/// environment at each call (LlmClient), so a rotated key needs no new run.
struct LlmSettings {
    ProviderKind provider = ProviderKind::OpenAi;
    /// Empty: the provider's default. OpenAI-compatible servers take the URL that ends
    /// before /chat/completions (vLLM, llama.cpp and LM Studio: http://host:port/v1;
    /// Ollama: http://localhost:11434/v1); Anthropic takes the URL before /v1/messages.
    std::string baseUrl;
    std::string model;
    /// Empty: send no key (local servers).
    std::string keyEnv;
    double timeoutSeconds = 300;    ///< per attempt, the whole exchange
    int concurrency = 4;            ///< calls in flight at once, over all threads using a client
    int maxRetries = 5;             ///< after the first attempt
    int backoffInitialMs = 1000;    ///< full-jitter exponential backoff: first ceiling
    int backoffMaxMs = 60000;       ///< and the ceiling it grows to
    int retryAfterMaxSeconds = 300; ///< a longer Retry-After is cut to this

    std::string effectiveBaseUrl() const;

    nlohmann::json toJson() const;
    /// Reads what toJson writes; an InputError names `where` (a file, or "command line")
    /// and the field. A field that looks like a literal key is refused: keys live in the
    /// environment only. So is a base URL that baseUrlProblem() finds fault with.
    static LlmSettings fromJson(const nlohmann::json& json, const std::string& where);

    bool operator==(const LlmSettings&) const = default;
};

} // namespace clade::llm
