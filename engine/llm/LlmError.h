#pragma once

#include <stdexcept>
#include <string>

namespace clade::llm {

/// Why a call failed after the client did what it could (retries included). Thrown by
/// LlmClient::complete on the calling thread; the message is already redacted.
class LlmError : public std::runtime_error {
public:
    enum class Kind {
        Fatal,       ///< 401/403/404 or a missing key: retrying cannot help, stop the run
        Rejected,    ///< another 4xx (400 included): this request will not succeed, the next one may
        Transient,   ///< 429, 5xx or network errors until the retries ran out
        Timeout,     ///< the last attempt hit the timeout
        BadResponse, ///< the server answered 2xx with something that is not the API's JSON
        Cancelled,
    };

    LlmError(Kind kind, const std::string& message, int httpStatus = 0, int attempts = 0)
        : std::runtime_error(message), m_kind(kind), m_httpStatus(httpStatus), m_attempts(attempts)
    {
    }

    Kind kind() const { return m_kind; }
    /// True when a person has to fix the configuration (key, model, base URL) first.
    bool isFatal() const { return m_kind == Kind::Fatal; }
    int httpStatus() const { return m_httpStatus; } ///< 0 when there was no HTTP answer
    int attempts() const { return m_attempts; }

private:
    Kind m_kind;
    int m_httpStatus;
    int m_attempts;
};

} // namespace clade::llm
