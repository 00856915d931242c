#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clade::llm {

// The small part of HTTP/1.1 the model gateway speaks: one request per connection, bodies
// only with Content-Length, every answer closes the connection. The client is code a model
// wrote, running in the sandbox, so the reader trusts nothing it is sent: every size is
// capped and anything it does not understand is refused with a status, never guessed at.

struct HttpRequest {
    std::string method;
    std::string target; ///< as sent (for the log); empty when the request line was unreadable
    std::string path;   ///< the target without query string or scheme://host
    std::map<std::string, std::string> headers; ///< names in lower case
    std::string body;
};

/// Why a request cannot be served, as the status and message to answer with.
struct HttpRefusal {
    int status = 400;
    std::string message;
};

struct HttpResponse {
    int status = 200;
    std::string body;                                         ///< JSON
    std::vector<std::pair<std::string, std::string>> headers; ///< beyond the fixed ones
};

/// Reads one request from bytes as they arrive.
class HttpRequestReader {
public:
    enum class State { NeedMore, Complete, Refused };

    HttpRequestReader(std::size_t maxHeaderBytes, std::size_t maxBodyBytes);

    State feed(std::string_view bytes);
    /// The peer closed its side: a request still incomplete is refused.
    State finish();

    State state() const { return m_state; }
    std::size_t bytesReceived() const { return m_received; }
    /// True once, when the head asked for `Expect: 100-continue` and the body may be sent.
    bool takeContinue();

    /// What was read of the request; method, target and path as soon as the head is parsed.
    const HttpRequest& request() const { return m_request; }
    const HttpRefusal& refusal() const { return m_refusal; }

private:
    State refuse(int status, std::string message);
    State parseHead(std::string_view head);
    State takeBody();

    const std::size_t m_maxHeaderBytes;
    const std::size_t m_maxBodyBytes;
    State m_state = State::NeedMore;
    std::string m_buffer;
    std::size_t m_received = 0;
    std::size_t m_scanFrom = 0; ///< where the search for the head's end goes on
    bool m_headDone = false;
    std::size_t m_bodyLength = 0;
    bool m_continuePending = false;
    HttpRequest m_request;
    HttpRefusal m_refusal;
};

/// "Not Found" for 404 and so on; "Error" for a status this file does not name.
const char* httpReasonPhrase(int status);

/// Status line, Content-Type: application/json, Content-Length, Connection: close, the
/// response's own headers, then the body.
std::string renderHttpResponse(const HttpResponse& response);

} // namespace clade::llm
