#pragma once

#include "engine/llm/WireProtocol.h"

namespace clade::llm {

/// The Anthropic Messages API, `POST {base}/v1/messages` with `x-api-key` and
/// `anthropic-version`. The system prompt is a top-level field, the answer a list of
/// content blocks; usage input_tokens excludes the cache_read_input_tokens and
/// cache_creation_input_tokens reported beside it.
class AnthropicProtocol : public WireProtocol {
public:
    static constexpr const char* kApiVersion = "2023-06-01";

    HttpCall buildCall(const LlmSettings& settings, const ChatRequest& request,
                       const std::string& model, const std::string& key) const override;
    ChatResponse parseAnswer(const std::string& body) const override;
    std::string requestIdHeader() const override { return "request-id"; }
};

} // namespace clade::llm
