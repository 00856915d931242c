#include "engine/llm/ChatCompletionsJson.h"

#include <nlohmann/json.hpp>

#include <climits>
#include <stdexcept>

namespace clade::llm {

namespace {

using nlohmann::json;

// A chat request is an object of a list of small objects: depth 4, a few values per
// message. These bounds leave room for thousands of messages while keeping what a body of
// 8 MiB of "[[[[..." or "0,0,0,..." becomes in memory small.
constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxValues = 200000;

// Looks at the raw text before parsing: structure characters outside strings.
void checkShape(std::string_view body)
{
    int depth = 0;
    std::size_t values = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : body) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            ++values;
            break;
        case '{':
        case '[':
            if (++depth > kMaxDepth)
                throw std::invalid_argument("the body is nested deeper than " +
                                            std::to_string(kMaxDepth) + " levels");
            ++values;
            break;
        case '}':
        case ']':
            --depth;
            break;
        case ',':
            ++values;
            break;
        default:
            break;
        }
    }
    if (values > kMaxValues)
        throw std::invalid_argument("the body holds more than " + std::to_string(kMaxValues) +
                                    " JSON values");
}

std::string dump(const json& value)
{
    // replace: an answer or a client's path may hold bytes that are not UTF-8.
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

Role roleOf(const json& message, const std::string& where)
{
    const auto role = message.find("role");
    if (role != message.end() && role->is_string()) {
        const auto& name = role->get_ref<const std::string&>();
        // "developer" is what newer OpenAI clients send for the system prompt.
        if (name == "system" || name == "developer")
            return Role::System;
        if (name == "user")
            return Role::User;
        if (name == "assistant")
            return Role::Assistant;
    }
    throw std::invalid_argument(where + ".role must be \"system\", \"user\" or \"assistant\"");
}

std::string contentOf(const json& message, const std::string& where)
{
    const auto content = message.find("content");
    if (content == message.end() || content->is_null())
        return {}; // an assistant turn that only called tools
    if (content->is_string())
        return content->get<std::string>();
    if (!content->is_array())
        throw std::invalid_argument(where + ".content must be a string or a list of text parts");
    std::string text;
    for (std::size_t i = 0; i < content->size(); ++i) {
        const json& part = (*content)[i];
        const std::string at = where + ".content[" + std::to_string(i) + "]";
        if (!part.is_object() || part.value("type", json()) != "text")
            throw std::invalid_argument(at + ": only {\"type\": \"text\", \"text\": ...} parts "
                                             "are supported");
        const auto partText = part.find("text");
        if (partText == part.end() || !partText->is_string())
            throw std::invalid_argument(at + ".text must be a string");
        text += partText->get_ref<const std::string&>();
    }
    return text;
}

} // namespace

ChatRequest parseChatCompletionsRequest(std::string_view body)
{
    checkShape(body);
    const json root = json::parse(body, nullptr, false);
    if (root.is_discarded())
        throw std::invalid_argument("the body is not valid JSON");
    if (!root.is_object())
        throw std::invalid_argument("the body is not a JSON object");
    if (const auto stream = root.find("stream"); stream != root.end() && !stream->is_null() &&
                                                 (!stream->is_boolean() || stream->get<bool>()))
        throw std::invalid_argument("streaming is not supported: leave \"stream\" out or false");

    ChatRequest request;
    const auto messages = root.find("messages");
    if (messages == root.end() || !messages->is_array() || messages->empty())
        throw std::invalid_argument(
            "the body has no messages (a non-empty list of {\"role\", \"content\"})");
    for (std::size_t i = 0; i < messages->size(); ++i) {
        const json& message = (*messages)[i];
        const std::string where = "messages[" + std::to_string(i) + "]";
        if (!message.is_object())
            throw std::invalid_argument(where + " is not an object");
        request.messages.push_back({roleOf(message, where), contentOf(message, where)});
    }

    for (const char* field : {"max_tokens", "max_completion_tokens"}) {
        const auto value = root.find(field);
        if (value == root.end() || value->is_null())
            continue;
        if (!value->is_number_integer() || value->get<std::int64_t>() < 1 ||
            value->get<std::int64_t>() > INT_MAX)
            throw std::invalid_argument(std::string(field) + " must be a positive integer");
        request.maxTokens = value->get<int>();
    }
    if (const auto temperature = root.find("temperature");
        temperature != root.end() && !temperature->is_null()) {
        if (!temperature->is_number())
            throw std::invalid_argument("temperature must be a number");
        request.temperature = temperature->get<double>();
    }
    return request;
}

std::string openAiFinishReason(const std::string& reason)
{
    if (reason.empty() || reason == "end_turn" || reason == "stop_sequence" || reason == "stop")
        return "stop";
    if (reason == "max_tokens" || reason == "length")
        return "length";
    if (reason == "tool_use" || reason == "tool_calls")
        return "tool_calls";
    if (reason == "refusal" || reason == "content_filter")
        return "content_filter";
    return reason;
}

std::string chatCompletionJson(const ChatResponse& response, const std::string& id,
                               const std::string& model, std::int64_t created)
{
    const Usage& usage = response.usage;
    const json message = {{"role", "assistant"}, {"content", response.text}};
    const json choice = {{"index", 0},
                         {"message", message},
                         {"finish_reason", openAiFinishReason(response.finishReason)}};
    return dump({{"id", id},
                 {"object", "chat.completion"},
                 {"created", created},
                 {"model", model},
                 {"choices", json::array({choice})},
                 {"usage",
                  {{"prompt_tokens", usage.inputTokens},
                   {"completion_tokens", usage.outputTokens},
                   {"total_tokens", usage.inputTokens + usage.outputTokens},
                   {"prompt_tokens_details", {{"cached_tokens", usage.cachedInputTokens}}}}}});
}

std::string errorJson(const std::string& message, const std::string& type)
{
    return dump({{"error", {{"message", message}, {"type", type}}}});
}

std::string modelListJson(const std::string& model)
{
    // created and owned_by: OpenAI's client libraries expect them on a model.
    const json entry = {{"id", model}, {"object", "model"}, {"created", 0}, {"owned_by", "clade"}};
    return dump({{"object", "list"}, {"data", json::array({entry})}});
}

} // namespace clade::llm
