#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clade::llm {

inline constexpr const char* kRedacted = "[REDACTED]";

/// Takes secrets out of text meant for people or files: error messages, log lines,
/// artifacts. Removes every occurrence of the given secrets (the API key read at call time)
/// and, whatever the secret, the value after `Bearer ` and after an `x-api-key` header or
/// field, so a key this process never saw (a server echoing another one) is caught too.
class Redactor {
public:
    explicit Redactor(std::vector<std::string> secrets = {});

    std::string operator()(std::string_view text) const;

private:
    std::vector<std::string> m_secrets;
};

} // namespace clade::llm
