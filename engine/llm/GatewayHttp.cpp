#include "engine/llm/GatewayHttp.h"

#include <algorithm>
#include <cctype>

namespace clade::llm {

namespace {

constexpr std::size_t kMaxMethodLength = 32;
constexpr std::size_t kMaxContentLengthDigits = 18; // fits std::size_t without overflow

// RFC 9110 token characters: what a method or a header name may be made of.
bool isToken(std::string_view text)
{
    static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != extra.npos;
    });
}

bool hasControlOrSpace(std::string_view text)
{
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == text.npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The path part of origin-form ("/v1/models?x") and absolute-form
// ("http://localhost/v1/models") targets.
std::string pathOf(std::string_view target)
{
    for (std::string_view scheme : {"http://", "https://"}) {
        if (target.substr(0, scheme.size()) == scheme) {
            const auto slash = target.find('/', scheme.size());
            target = slash == target.npos ? std::string_view("/") : target.substr(slash);
            break;
        }
    }
    return std::string(target.substr(0, target.find_first_of("?#")));
}

// Where the head ends and how long its blank-line separator is. Bare LF line ends are
// taken too: hand-written clients send them, and they cannot be misread.
std::pair<std::size_t, std::size_t> findHeadEnd(const std::string& buffer, std::size_t from)
{
    const auto crlf = buffer.find("\r\n\r\n", from);
    const auto lf = buffer.find("\n\n", from);
    if (lf != buffer.npos && (crlf == buffer.npos || lf < crlf))
        return {lf, 2};
    return {crlf, 4};
}

} // namespace

HttpRequestReader::HttpRequestReader(std::size_t maxHeaderBytes, std::size_t maxBodyBytes)
    : m_maxHeaderBytes(maxHeaderBytes), m_maxBodyBytes(maxBodyBytes)
{
}

HttpRequestReader::State HttpRequestReader::refuse(int status, std::string message)
{
    m_refusal = {status, std::move(message)};
    m_buffer.clear();
    m_buffer.shrink_to_fit();
    return m_state = State::Refused;
}

bool HttpRequestReader::takeContinue()
{
    return std::exchange(m_continuePending, false);
}

HttpRequestReader::State HttpRequestReader::feed(std::string_view bytes)
{
    if (m_state != State::NeedMore)
        return m_state;
    m_received += bytes.size();
    m_buffer.append(bytes);
    if (!m_headDone) {
        const auto [end, separator] = findHeadEnd(m_buffer, m_scanFrom);
        if (end == std::string::npos) {
            if (m_buffer.size() > m_maxHeaderBytes)
                return refuse(431, "the request head is over " + std::to_string(m_maxHeaderBytes) +
                                       " bytes");
            // The separator may be split across reads: look again from just before the end.
            m_scanFrom = m_buffer.size() < 3 ? 0 : m_buffer.size() - 3;
            return m_state;
        }
        if (end + separator > m_maxHeaderBytes)
            return refuse(431, "the request head is over " + std::to_string(m_maxHeaderBytes) +
                                   " bytes");
        const std::string head = m_buffer.substr(0, end);
        m_buffer.erase(0, end + separator);
        m_headDone = true;
        if (parseHead(head) == State::Refused)
            return m_state;
    }
    return takeBody();
}

HttpRequestReader::State HttpRequestReader::finish()
{
    if (m_state != State::NeedMore)
        return m_state;
    if (!m_headDone)
        return refuse(400, "the connection was closed before the request head ended");
    return refuse(400, "the connection was closed after " + std::to_string(m_buffer.size()) +
                           " of the " + std::to_string(m_bodyLength) +
                           " body bytes Content-Length announced");
}

HttpRequestReader::State HttpRequestReader::takeBody()
{
    if (m_buffer.size() < m_bodyLength)
        return m_state;
    // Bytes past Content-Length are ignored: one request per connection.
    m_request.body = m_buffer.substr(0, m_bodyLength);
    m_buffer.clear();
    m_buffer.shrink_to_fit();
    m_continuePending = false;
    return m_state = State::Complete;
}

HttpRequestReader::State HttpRequestReader::parseHead(std::string_view head)
{
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= head.size();) {
        auto end = head.find('\n', start);
        if (end == head.npos)
            end = head.size();
        std::string_view line = head.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }

    const std::string_view requestLine = lines.front();
    const auto space1 = requestLine.find(' ');
    const auto space2 =
        space1 == requestLine.npos ? requestLine.npos : requestLine.find(' ', space1 + 1);
    if (space2 == requestLine.npos || requestLine.find(' ', space2 + 1) != requestLine.npos)
        return refuse(400, "the request line is not 'METHOD /path HTTP/1.1'");
    const std::string_view method = requestLine.substr(0, space1);
    const std::string_view target = requestLine.substr(space1 + 1, space2 - space1 - 1);
    const std::string_view version = requestLine.substr(space2 + 1);
    if (method.size() > kMaxMethodLength || !isToken(method) || target.empty() ||
        hasControlOrSpace(target))
        return refuse(400, "the request line is not 'METHOD /path HTTP/1.1'");
    m_request.method = method;
    m_request.target = target;
    m_request.path = pathOf(target);
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return version.substr(0, 5) == "HTTP/"
                   ? refuse(505, "only HTTP/1.1 is spoken here")
                   : refuse(400, "the request line has no HTTP version");

    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            return refuse(400, "folded header lines are not supported");
        const auto colon = line.find(':');
        if (colon == line.npos || !isToken(line.substr(0, colon)))
            return refuse(400, "a header line is not 'Name: value'");
        const std::string name = lower(line.substr(0, colon));
        const std::string value(trimmed(line.substr(colon + 1)));
        auto [it, inserted] = m_request.headers.emplace(name, value);
        if (inserted)
            continue;
        // Two different lengths are a request-smuggling classic: refuse rather than choose.
        if (name == "content-length" && it->second != value)
            return refuse(400, "the request has two different Content-Length headers");
        if (name != "content-length")
            it->second += ", " + value;
    }

    const auto& headers = m_request.headers;
    if (headers.count("transfer-encoding"))
        return refuse(411, "chunked uploads are not supported: send the body with Content-Length");
    if (const auto it = headers.find("content-length"); it != headers.end()) {
        const std::string& text = it->second;
        if (text.empty() || text.size() > kMaxContentLengthDigits ||
            !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
            return refuse(400, "Content-Length is not a number");
        m_bodyLength = std::stoull(text);
        if (m_bodyLength > m_maxBodyBytes)
            return refuse(413, "the body is " + text + " bytes; the gateway takes at most " +
                                   std::to_string(m_maxBodyBytes));
    } else if (method == "POST" || method == "PUT" || method == "PATCH") {
        return refuse(411, "Content-Length is required");
    }
    if (const auto it = headers.find("expect"); it != headers.end())
        m_continuePending = m_bodyLength > 0 && lower(it->second) == "100-continue";
    return m_state;
}

const char* httpReasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 402:
        return "Payment Required";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

std::string renderHttpResponse(const HttpResponse& response)
{
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                      httpReasonPhrase(response.status) + "\r\n";
    out += "Content-Type: application/json\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    out += "Connection: close\r\n";
    for (const auto& [name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    out += response.body;
    return out;
}

} // namespace clade::llm
