#include "engine/llm/OpenAiProtocol.h"

#include "engine/llm/JsonFields.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace clade::llm {

HttpCall OpenAiProtocol::buildCall(const LlmSettings& settings, const ChatRequest& request,
                                   const std::string& model, const std::string& key) const
{
    nlohmann::json messages = nlohmann::json::array();
    for (const auto& message : request.messages)
        messages.push_back({{"role", roleName(message.role)}, {"content", message.content}});
    // max_tokens, not max_completion_tokens: the local servers know only the former.
    nlohmann::json body = {
        {"model", model}, {"messages", messages}, {"max_tokens", request.maxTokens}};
    if (request.temperature)
        body["temperature"] = *request.temperature;

    HttpCall call;
    call.url = settings.effectiveBaseUrl() + "/chat/completions";
    call.headers = {{"content-type", "application/json"}, {"accept", "application/json"}};
    if (!key.empty())
        call.headers.emplace_back("authorization", "Bearer " + key);
    call.body = body.dump();
    return call;
}

ChatResponse OpenAiProtocol::parseAnswer(const std::string& body) const
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        throw std::runtime_error("the answer is not a JSON object");
    const auto choices = json.find("choices");
    if (choices == json.end() || !choices->is_array() || choices->empty() ||
        !choices->front().is_object())
        throw std::runtime_error("the answer has no choices[0]");
    const auto& choice = choices->front();
    const auto message = choice.find("message");
    if (message == choice.end() || !message->is_object())
        throw std::runtime_error("choices[0] has no message");

    ChatResponse response;
    // content is null when the model only called tools or was filtered: an empty answer.
    if (const auto content = message->find("content");
        content != message->end() && content->is_string())
        response.text = content->get<std::string>();
    response.finishReason = stringField(choice, "finish_reason");
    response.requestId = stringField(json, "id");
    response.model = stringField(json, "model");
    if (const auto usage = json.find("usage"); usage != json.end() && usage->is_object()) {
        response.usage.reported = true;
        response.usage.inputTokens = intField(*usage, "prompt_tokens");
        response.usage.outputTokens = intField(*usage, "completion_tokens");
        if (const auto details = usage->find("prompt_tokens_details");
            details != usage->end() && details->is_object())
            response.usage.cachedInputTokens = intField(*details, "cached_tokens");
    }
    return response;
}

} // namespace clade::llm
