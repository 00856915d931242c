#pragma once

#include "engine/llm/ChatRequest.h"
#include "engine/llm/ChatResponse.h"
#include "engine/llm/HttpTransport.h"
#include "engine/llm/LlmSettings.h"

#include <memory>
#include <string>

namespace clade::llm {

/// What differs between the provider APIs: endpoint, headers and the JSON both ways.
/// Everything else (retries, limits, accounting, redaction) is LlmClient's and the same
/// for every provider.
class WireProtocol {
public:
    virtual ~WireProtocol() = default;

    /// The POST for `request`; `key` empty means no credential header at all.
    virtual HttpCall buildCall(const LlmSettings& settings, const ChatRequest& request,
                               const std::string& model, const std::string& key) const = 0;
    /// Text, finish reason, usage and ids of a 2xx body. Throws std::runtime_error saying
    /// what is wrong when the body is not the API's JSON.
    virtual ChatResponse parseAnswer(const std::string& body) const = 0;
    /// The response header with the provider's request id.
    virtual std::string requestIdHeader() const = 0;

    static std::unique_ptr<WireProtocol> forProvider(ProviderKind kind);
};

/// The server's own words from an error body: error.message (OpenAI, Anthropic, vLLM,
/// llama.cpp), error as a string (Ollama), else the start of the body.
std::string serverErrorMessage(const std::string& body);

} // namespace clade::llm
