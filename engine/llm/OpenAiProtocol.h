#pragma once

#include "engine/llm/WireProtocol.h"

namespace clade::llm {

/// OpenAI chat completions, `POST {base}/chat/completions`, which vLLM, the llama.cpp
/// server, Ollama and LM Studio also speak. Usage: prompt_tokens (cached ones included),
/// completion_tokens, prompt_tokens_details.cached_tokens where the server reports it.
class OpenAiProtocol : public WireProtocol {
public:
    HttpCall buildCall(const LlmSettings& settings, const ChatRequest& request,
                       const std::string& model, const std::string& key) const override;
    ChatResponse parseAnswer(const std::string& body) const override;
    std::string requestIdHeader() const override { return "x-request-id"; }
};

} // namespace clade::llm
