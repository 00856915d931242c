#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clade::engine {

/// One token of Python source, as much as the risky-call scanner needs: comments are
/// gone, strings carry their decoded value, logical line ends are explicit.
struct PythonToken {
    enum class Kind { Name, String, Number, Op, Newline };
    Kind kind = Kind::Op;
    std::string text;      ///< the name, operator or number; a string's decoded value
    bool constant = true;  ///< false for an f-string with {fields}: its value is unknown
    int line = 1;          ///< 1-based line where the token starts
    int endLine = 1;       ///< where it ends (triple-quoted strings span lines)
    int column = 0;        ///< 0-based byte offset in its line; 0 = at module level

    bool is(Kind k, std::string_view t) const { return kind == k && text == t; }
    bool isOp(std::string_view t) const { return is(Kind::Op, t); }
    bool isName(std::string_view t) const { return is(Kind::Name, t); }
};

/// Tokenizes `source` without ever failing: broken code (an unterminated string, a
/// stray byte) gives the best tokens it can, so a candidate cannot hide a call behind
/// a syntax error. ';' ends a logical line like a line break outside brackets does.
std::vector<PythonToken> tokenizePython(std::string_view source);

} // namespace clade::engine
