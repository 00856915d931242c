#include "engine/llm/WireProtocol.h"

#include "engine/llm/AnthropicProtocol.h"
#include "engine/llm/OpenAiProtocol.h"
#include "engine/util/Utf8Text.h"

#include <nlohmann/json.hpp>

namespace clade::llm {

namespace {
constexpr std::size_t kMaxQuotedBody = 500; // characters
}

std::unique_ptr<WireProtocol> WireProtocol::forProvider(ProviderKind kind)
{
    if (kind == ProviderKind::Anthropic)
        return std::make_unique<AnthropicProtocol>();
    return std::make_unique<OpenAiProtocol>();
}

std::string serverErrorMessage(const std::string& body)
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object() && json.contains("error")) {
        const auto& error = json.at("error");
        if (error.is_string())
            return error.get<std::string>();
        if (error.is_object() && error.contains("message") && error.at("message").is_string())
            return error.at("message").get<std::string>();
    }
    if (json.is_object() && json.contains("message") && json.at("message").is_string())
        return json.at("message").get<std::string>();
    return engine::elide(body, kMaxQuotedBody, "..."); // characters; the body need not be UTF-8
}

} // namespace clade::llm
