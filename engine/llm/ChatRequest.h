#pragma once

#include <optional>
#include <string>
#include <vector>

namespace clade::llm {

enum class Role { System, User, Assistant };

/// "system", "user" or "assistant": the spelling both provider APIs use.
inline const char* roleName(Role role)
{
    switch (role) {
    case Role::System:
        return "system";
    case Role::User:
        return "user";
    case Role::Assistant:
        return "assistant";
    }
    return "user";
}

struct Message {
    Role role = Role::User;
    std::string content;
};

/// One chat call, the same for every provider; the wire protocol maps it (Anthropic, for
/// instance, wants the system prompt as a top-level field, not as a message).
struct ChatRequest {
    std::vector<Message> messages;
    std::string model;    ///< empty: the client's configured model
    int maxTokens = 4096; ///< Anthropic requires a value, so there is always one
    /// Unset: the server's default. Some reasoning models reject any explicit value.
    std::optional<double> temperature;
};

} // namespace clade::llm
