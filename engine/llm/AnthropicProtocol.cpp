#include "engine/llm/AnthropicProtocol.h"

#include "engine/llm/JsonFields.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace clade::llm {

HttpCall AnthropicProtocol::buildCall(const LlmSettings& settings, const ChatRequest& request,
                                      const std::string& model, const std::string& key) const
{
    std::string system;
    nlohmann::json messages = nlohmann::json::array();
    for (const auto& message : request.messages) {
        if (message.role == Role::System) {
            // The API has one system prompt; several system messages become paragraphs.
            system += (system.empty() ? "" : "\n\n") + message.content;
            continue;
        }
        messages.push_back({{"role", roleName(message.role)}, {"content", message.content}});
    }
    nlohmann::json body = {
        {"model", model}, {"max_tokens", request.maxTokens}, {"messages", messages}};
    if (!system.empty())
        body["system"] = system;
    if (request.temperature)
        body["temperature"] = *request.temperature;

    HttpCall call;
    call.url = settings.effectiveBaseUrl() + "/v1/messages";
    call.headers = {{"content-type", "application/json"},
                    {"accept", "application/json"},
                    {"anthropic-version", kApiVersion}};
    if (!key.empty())
        call.headers.emplace_back("x-api-key", key);
    call.body = body.dump();
    return call;
}

ChatResponse AnthropicProtocol::parseAnswer(const std::string& body) const
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        throw std::runtime_error("the answer is not a JSON object");
    const auto content = json.find("content");
    if (content == json.end() || !content->is_array())
        throw std::runtime_error("the answer has no content list");

    ChatResponse response;
    // Text blocks in order; thinking and tool_use blocks are not part of the answer text.
    for (const auto& block : *content)
        if (block.is_object() && stringField(block, "type") == "text")
            response.text += stringField(block, "text");
    response.finishReason = stringField(json, "stop_reason");
    response.requestId = stringField(json, "id");
    response.model = stringField(json, "model");
    if (const auto usage = json.find("usage"); usage != json.end() && usage->is_object()) {
        auto& u = response.usage;
        u.reported = true;
        u.cachedInputTokens = intField(*usage, "cache_read_input_tokens");
        u.cacheWriteTokens = intField(*usage, "cache_creation_input_tokens");
        u.inputTokens = intField(*usage, "input_tokens") + u.cachedInputTokens + u.cacheWriteTokens;
        u.outputTokens = intField(*usage, "output_tokens");
    }
    return response;
}

} // namespace clade::llm
