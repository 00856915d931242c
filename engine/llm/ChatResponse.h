#pragma once

#include <cstdint>
#include <string>

namespace clade::llm {

/// Token counts of one call, normalised across providers: OpenAI counts cached tokens inside
/// prompt_tokens, Anthropic reports them beside input_tokens; here inputTokens is always
/// every prompt token and the cache fields say which part of it was cached.
struct Usage {
    std::int64_t inputTokens = 0;
    std::int64_t outputTokens = 0;
    std::int64_t cachedInputTokens = 0; ///< read from the provider's prompt cache
    std::int64_t cacheWriteTokens = 0;  ///< written to it (Anthropic); priced as input
    bool reported = false;              ///< false: the server sent no usage (some local servers)
};

/// The answer to one ChatRequest, after any retries.
struct ChatResponse {
    std::string text;
    std::string finishReason; ///< as the provider spells it ("stop", "end_turn", "length", ...)
    std::string model;        ///< as the server names it (may be a dated snapshot)
    std::string requestId;    ///< the provider's request id, for support tickets
    Usage usage;
    double costUsd = 0;
    bool priceMissing = false; ///< the model is not in the price table: costUsd is 0, not real
    double latencySeconds = 0; ///< of the attempt that answered
    double totalSeconds = 0;   ///< including failed attempts and waits between them
    int attempts = 1;
    /// Bytes of the answer that were not UTF-8 (a broken server or proxy), replaced with
    /// U+FFFD before it was read: JSON holds nothing else.
    int invalidUtf8Bytes = 0;
};

} // namespace clade::llm
