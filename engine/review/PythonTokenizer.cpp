#include "engine/review/PythonTokenizer.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace clade::engine {

namespace {

using Kind = PythonToken::Kind;

bool isNameStart(unsigned char c)
{
    return std::isalpha(c) || c == '_' || c >= 0x80; // non-ASCII identifiers are legal
}

bool isNameChar(unsigned char c)
{
    return isNameStart(c) || std::isdigit(c);
}

bool isStringPrefix(std::string_view name)
{
    if (name.size() > 2)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return l == 'r' || l == 'u' || l == 'b' || l == 'f';
    });
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

void appendUtf8(std::string& out, unsigned code)
{
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | ((code >> 12) & 0x0F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

class Tokenizer {
public:
    explicit Tokenizer(std::string_view source) : m_s(source) {}

    std::vector<PythonToken> run()
    {
        while (m_i < m_s.size()) {
            const unsigned char c = static_cast<unsigned char>(m_s[m_i]);
            if (c == '\n') {
                if (m_depth == 0)
                    endLogicalLine();
                ++m_line;
                ++m_i;
            } else if (c == '\\' && m_i + 1 < m_s.size() && m_s[m_i + 1] == '\n') {
                m_i += 2; // explicit line joining
                ++m_line;
            } else if (c == '#') {
                while (m_i < m_s.size() && m_s[m_i] != '\n')
                    ++m_i;
            } else if (std::isspace(c)) {
                ++m_i;
            } else if (isNameStart(c)) {
                markColumn();
                readName();
            } else if (std::isdigit(c) || (c == '.' && m_i + 1 < m_s.size() &&
                                           std::isdigit(static_cast<unsigned char>(m_s[m_i + 1])))) {
                markColumn();
                readNumber();
            } else if (c == '\'' || c == '"') {
                markColumn();
                readString("");
            } else {
                markColumn();
                readOp();
            }
        }
        endLogicalLine();
        return std::move(m_tokens);
    }

private:
    void push(Kind kind, std::string text, int line, bool constant = true)
    {
        m_tokens.push_back({kind, std::move(text), constant, line, m_line, m_column});
    }

    void markColumn()
    {
        const std::size_t lineStart = m_s.rfind('\n', m_i == 0 ? 0 : m_i - 1);
        m_column = static_cast<int>(lineStart == std::string_view::npos || m_i == 0
                                        ? m_i
                                        : m_i - lineStart - 1);
    }

    void endLogicalLine()
    {
        if (!m_tokens.empty() && m_tokens.back().kind != Kind::Newline)
            push(Kind::Newline, "", m_line);
    }

    void readName()
    {
        const std::size_t start = m_i;
        while (m_i < m_s.size() && isNameChar(static_cast<unsigned char>(m_s[m_i])))
            ++m_i;
        const std::string_view name = m_s.substr(start, m_i - start);
        if (m_i < m_s.size() && (m_s[m_i] == '\'' || m_s[m_i] == '"') && isStringPrefix(name))
            readString(name);
        else
            push(Kind::Name, std::string(name), m_line);
    }

    void readNumber()
    {
        const std::size_t start = m_i;
        while (m_i < m_s.size() &&
               (std::isalnum(static_cast<unsigned char>(m_s[m_i])) || m_s[m_i] == '_' ||
                m_s[m_i] == '.'))
            ++m_i;
        push(Kind::Number, std::string(m_s.substr(start, m_i - start)), m_line);
    }

    void readOp()
    {
        static constexpr std::array<std::string_view, 19> twoChar = {
            "==", "!=", "<=", ">=", ":=", "+=", "-=", "*=", "/=", "%=",
            "&=", "|=", "^=", "->", "**", "//", "<<", ">>", "@="};
        const std::string_view two = m_s.substr(m_i, 2);
        if (std::find(twoChar.begin(), twoChar.end(), two) != twoChar.end()) {
            push(Kind::Op, std::string(two), m_line);
            m_i += 2;
            return;
        }
        const char c = m_s[m_i++];
        if (c == '(' || c == '[' || c == '{')
            ++m_depth;
        else if ((c == ')' || c == ']' || c == '}') && m_depth > 0)
            --m_depth;
        if (c == ';') {
            endLogicalLine();
            return;
        }
        push(Kind::Op, std::string(1, c), m_line);
    }

    // Decodes one escape after a backslash at m_i; the common ones are enough to see a
    // name spelt as "\x73ystem".
    void readEscape(std::string& value)
    {
        ++m_i; // the backslash
        if (m_i >= m_s.size())
            return;
        const char e = m_s[m_i++];
        switch (e) {
        case '\n':
            ++m_line; // line continuation inside the string
            return;
        case 'n': value += '\n'; return;
        case 't': value += '\t'; return;
        case 'r': value += '\r'; return;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            unsigned code = static_cast<unsigned>(e - '0');
            for (int k = 0; k < 2 && m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '7'; ++k)
                code = code * 8 + static_cast<unsigned>(m_s[m_i++] - '0');
            appendUtf8(value, code);
            return;
        }
        case 'x': case 'u': case 'U': {
            const int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            unsigned code = 0;
            int k = 0;
            for (; k < digits && m_i < m_s.size() && hexValue(m_s[m_i]) >= 0; ++k)
                code = code * 16 + static_cast<unsigned>(hexValue(m_s[m_i++]));
            appendUtf8(value, std::min(code, 0xFFFFu));
            return;
        }
        default:
            if (e != '\\' && e != '\'' && e != '"')
                value += '\\';
            value += e;
        }
    }

    void readString(std::string_view prefix)
    {
        const int startLine = m_line;
        std::string lowered(prefix);
        std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const bool raw = lowered.find('r') != std::string::npos;
        const bool formatted = lowered.find('f') != std::string::npos;
        const char quote = m_s[m_i];
        const bool triple = m_s.substr(m_i, 3) == std::string(3, quote);
        m_i += triple ? 3 : 1;
        std::string value;
        while (m_i < m_s.size()) {
            const char c = m_s[m_i];
            if (c == quote && (!triple || m_s.substr(m_i, 3) == std::string(3, quote))) {
                m_i += triple ? 3 : 1;
                break;
            }
            if (c == '\n' && !triple)
                break; // unterminated: stop at the line's end like Python's error would
            if (c == '\\' && !raw) {
                readEscape(value);
                continue;
            }
            if (c == '\\' && raw && m_i + 1 < m_s.size()) {
                value += c; // a raw string keeps the backslash, but it still escapes a quote
                ++m_i;
            }
            if (m_s[m_i] == '\n')
                ++m_line;
            value += m_s[m_i++];
        }
        const bool hasFields = formatted && value.find('{') != std::string::npos;
        m_tokens.push_back({Kind::String, std::move(value), !hasFields, startLine, m_line, m_column});
    }

    std::string_view m_s;
    std::size_t m_i = 0;
    int m_line = 1;
    int m_depth = 0;
    int m_column = 0; ///< of the token being read
    std::vector<PythonToken> m_tokens;
};

} // namespace

std::vector<PythonToken> tokenizePython(std::string_view source)
{
    return Tokenizer(source).run();
}

} // namespace clade::engine
