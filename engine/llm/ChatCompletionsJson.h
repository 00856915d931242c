#pragma once

#include "engine/llm/ChatRequest.h"
#include "engine/llm/ChatResponse.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace clade::llm {

// The OpenAI chat-completions format from the serving side: what the model gateway reads
// from a sandboxed client and writes back to it, whichever provider answered upstream.
// (OpenAiProtocol is the same format from the calling side.)

/// The request in a chat-completions body: messages (content a string or a list of text
/// parts, joined), max_tokens (or max_completion_tokens) and temperature. "model" and
/// unknown fields are ignored: the run's model answers. Throws std::invalid_argument with a
/// message for the client when the body is not such a request, also when it is nested
/// deeper or holds more values than a chat request needs (the parsed form of a small hostile
/// body can take many times its size in memory).
ChatRequest parseChatCompletionsRequest(std::string_view body);

/// A chat.completion object: the answer as choices[0], usage with OpenAI's field names.
std::string chatCompletionJson(const ChatResponse& response, const std::string& id,
                               const std::string& model, std::int64_t created);

/// OpenAI's spelling of a finish reason: Anthropic's "end_turn" is "stop", "max_tokens" is
/// "length", and so on; none at all is "stop".
std::string openAiFinishReason(const std::string& reason);

/// {"error": {"message", "type"}}, as OpenAI's API and its client libraries expect.
std::string errorJson(const std::string& message, const std::string& type);

/// The answer to GET /v1/models: a list of the one model the run uses.
std::string modelListJson(const std::string& model);

} // namespace clade::llm
