#pragma once
// Helpers for tests that script a model's answers on FakeLlmServer: the answer bodies of
// both provider APIs, and the messages a request carried.

#include "support/FakeLlmServer.h"

#include <nlohmann/json.hpp>

#include <string>

namespace testsupport {

/// A 200 chat completion in OpenAI's form carrying `text`, with the given token counts.
inline FakeHttpResponse openAiAnswer(const std::string& text, int promptTokens = 1000,
                                     int completionTokens = 200, const std::string& model = "scripted-model")
{
    const nlohmann::json body{
        {"id", "chatcmpl-scripted"},
        {"object", "chat.completion"},
        {"model", model},
        {"choices", {{{"index", 0},
                      {"message", {{"role", "assistant"}, {"content", text}}},
                      {"finish_reason", "stop"}}}},
        {"usage", {{"prompt_tokens", promptTokens},
                   {"completion_tokens", completionTokens},
                   {"total_tokens", promptTokens + completionTokens}}}};
    return {200, body.dump(), {}, 0, false};
}

/// The same in Anthropic's Messages form.
inline FakeHttpResponse anthropicAnswer(const std::string& text, int inputTokens = 1000,
                                        int outputTokens = 200, const std::string& model = "scripted-model")
{
    const nlohmann::json body{{"id", "msg_scripted"},
                              {"type", "message"},
                              {"role", "assistant"},
                              {"model", model},
                              {"content", {{{"type", "text"}, {"text", text}}}},
                              {"stop_reason", "end_turn"},
                              {"usage", {{"input_tokens", inputTokens}, {"output_tokens", outputTokens}}}};
    return {200, body.dump(), {}, 0, false};
}

/// Every message's content of a request (either API), joined: what the model was shown.
inline std::string requestText(const FakeHttpRequest& request)
{
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    std::string text;
    if (body.is_discarded())
        return text;
    if (body.contains("system") && body["system"].is_string())
        text += body["system"].get<std::string>() + "\n";
    for (const auto& message : body.value("messages", nlohmann::json::array())) {
        const auto& content = message["content"];
        if (content.is_string()) {
            text += content.get<std::string>() + "\n";
        } else if (content.is_array()) {
            for (const auto& part : content)
                text += part.value("text", "") + "\n";
        }
    }
    return text;
}

/// How many messages a request carried (a retry carries the earlier answer and the error).
inline int messageCount(const FakeHttpRequest& request)
{
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    return body.is_discarded() ? 0 : static_cast<int>(body.value("messages", nlohmann::json::array()).size());
}

} // namespace testsupport
