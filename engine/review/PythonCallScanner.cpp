#include "engine/review/PythonCallScanner.h"

#include "engine/review/PythonTokenizer.h"
#include "engine/review/RiskLabels.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace clade::engine {

namespace {

using Kind = PythonToken::Kind;
using namespace RiskLabel;

struct RiskyName {
    std::string_view name; ///< a module or member; a trailing '*' matches any suffix
    const char* why;       ///< a RiskLabel
};

// Builtins are listed bare: "builtins.eval" is normalized to "eval" before matching.
constexpr std::array<RiskyName, 56> kRiskyNames = {{
    {"subprocess", StartsProcess}, {"os.system", StartsProcess}, {"os.popen", StartsProcess},
    {"os.exec*", StartsProcess}, {"os.spawn*", StartsProcess},
    {"os.posix_spawn*", StartsProcess}, {"os.fork*", StartsProcess},
    {"os.startfile", StartsProcess}, {"pty", StartsProcess}, {"multiprocessing", StartsProcess},
    {"asyncio.create_subprocess_*", StartsProcess}, {"platform.popen", StartsProcess},
    {"commands", StartsProcess}, {"popen2", StartsProcess},
    {"concurrent.futures.ProcessPoolExecutor", StartsProcess},
    {"os.remove", RemovesFiles}, {"os.unlink", RemovesFiles}, {"os.rmdir", RemovesFiles},
    {"os.removedirs", RemovesFiles}, {"shutil.rmtree", RemovesFiles},
    {"shutil.move", RemovesFiles}, {"pathlib.Path.unlink", RemovesFiles},
    {"pathlib.Path.rmdir", RemovesFiles},
    {"socket", OpensNetwork}, {"socketserver", OpensNetwork}, {"urllib.request", OpensNetwork},
    {"urllib.urlopen", OpensNetwork}, {"urllib2", OpensNetwork}, {"urllib3", OpensNetwork},
    {"http.client", OpensNetwork}, {"httplib", OpensNetwork}, {"requests", OpensNetwork},
    {"httpx", OpensNetwork}, {"aiohttp", OpensNetwork}, {"ftplib", OpensNetwork},
    {"smtplib", OpensNetwork}, {"telnetlib", OpensNetwork}, {"xmlrpc.client", OpensNetwork},
    {"websocket", OpensNetwork}, {"websockets", OpensNetwork}, {"paramiko", OpensNetwork},
    {"asyncio.open_connection", OpensNetwork},
    {"ctypes", LoadsNative}, {"_ctypes", LoadsNative}, {"cffi", LoadsNative},
    {"importlib", ImportsDynamically}, {"imp", ImportsDynamically},
    {"__import__", ImportsDynamically}, {"zipimport", ImportsDynamically},
    {"runpy", RunsDynamicCode}, {"eval", RunsDynamicCode}, {"exec", RunsDynamicCode},
    {"compile", RunsDynamicCode}, {"execfile", RunsDynamicCode},
    {"code.interact", RunsDynamicCode}, {"marshal.loads", RunsDynamicCode},
}};

// Modules where a getattr with an unknown name is a way to hide a call.
constexpr std::array<std::string_view, 12> kRiskyModules = {
    "os", "subprocess", "shutil", "socket", "builtins", "importlib", "ctypes", "sys", "pty",
    "pathlib", "multiprocessing", "requests"};

constexpr std::array<std::string_view, 12> kKeywords = {
    "def", "class", "import", "from", "as", "lambda", "return", "del", "global", "nonlocal",
    "None", "pass"};

// The name as the tables spell it: builtins bare, posix/nt as os.
std::string normalized(std::string name)
{
    for (std::string_view prefix : {"builtins.", "__builtins__."}) {
        if (name.rfind(prefix, 0) == 0)
            return name.substr(prefix.size());
    }
    if (name == "__builtins__")
        return "builtins";
    for (std::string_view prefix : {"posix", "nt"}) {
        if (name == prefix)
            return "os";
        if (name.rfind(std::string(prefix) + ".", 0) == 0)
            return "os" + name.substr(prefix.size());
    }
    return name;
}

const RiskyName* riskOf(const std::string& rawName)
{
    const std::string name = normalized(rawName);
    for (const RiskyName& risky : kRiskyNames) {
        const std::string_view entry = risky.name;
        if (entry.back() == '*') {
            if (name.rfind(entry.substr(0, entry.size() - 1), 0) == 0)
                return &risky;
        } else if (name == entry ||
                   (name.size() > entry.size() && name.rfind(entry, 0) == 0 &&
                    name[entry.size()] == '.')) {
            return &risky;
        }
    }
    return nullptr;
}

bool isRiskyModule(const std::string& name)
{
    const std::string n = normalized(name);
    return std::find(kRiskyModules.begin(), kRiskyModules.end(), n) != kRiskyModules.end();
}

struct Resolved {
    std::vector<std::string> steps; ///< every name the expression passes through, in order
    std::size_t end = 0;            ///< one past its last token
};

class Scanner {
public:
    explicit Scanner(std::string_view source)
        : m_t(tokenizePython(source)), m_inImport(m_t.size(), false)
    {
    }

    std::vector<RiskyReference> run()
    {
        collectImports();
        // Twice, so an alias of an alias defined further down resolves too.
        collectAssignments();
        collectAssignments();
        scanReferences();
        return std::move(m_found);
    }

private:
    static constexpr int kMaxDepth = 24; // nesting a hostile file could use to exhaust the stack

    bool op(std::size_t i, std::string_view o) const { return i < m_t.size() && m_t[i].isOp(o); }
    bool name(std::size_t i) const
    {
        return i < m_t.size() && m_t[i].kind == Kind::Name &&
               std::find(kKeywords.begin(), kKeywords.end(), m_t[i].text) == kKeywords.end();
    }
    bool endOfStatement(std::size_t i) const
    {
        return i >= m_t.size() || m_t[i].kind == Kind::Newline;
    }

    // Index of the bracket closing the one at `open`, or the statement's end.
    std::size_t closing(std::size_t open) const
    {
        int depth = 0;
        for (std::size_t i = open; !endOfStatement(i); ++i) {
            const std::string& t = m_t[i].text;
            if (m_t[i].kind != Kind::Op)
                continue;
            if (t == "(" || t == "[" || t == "{")
                ++depth;
            else if ((t == ")" || t == "]" || t == "}") && --depth == 0)
                return i;
        }
        return std::min(m_t.size(), open + 1);
    }

    std::string baseName(const std::string& n) const
    {
        if (const auto it = m_aliases.find(n); it != m_aliases.end())
            return it->second;
        return m_local.count(n) ? "$" + n : n; // '$': a local value, never a module
    }

    void addIfRisky(const std::vector<std::string>& steps, int firstLine, int lastLine)
    {
        const std::string* first = nullptr;
        const std::string* last = nullptr;
        const char* why = nullptr;
        for (const std::string& step : steps) {
            const char* stepWhy = step.rfind("getattr(", 0) == 0 ? ComputedName : nullptr;
            if (const RiskyName* risky = riskOf(step))
                stepWhy = risky->why;
            if (!stepWhy)
                continue;
            first = first ? first : &step;
            last = &step;
            why = stepWhy;
        }
        if (!last)
            return;
        std::string shown = normalized(*last);
        if (first != last && normalized(*first) != shown)
            shown += " (via " + normalized(*first) + ")";
        m_found.push_back({firstLine, lastLine, shown, why});
    }

    // A string whose value is known without running the code, starting at `i`; on
    // success `i` is one past it.
    std::optional<std::string> constString(std::size_t& i, int depth) const
    {
        if (depth > kMaxDepth)
            return std::nullopt;
        std::optional<std::string> value = constTerm(i, depth);
        while (value && op(i, "+")) {
            ++i;
            const std::optional<std::string> next = constTerm(i, depth + 1);
            if (!next)
                return std::nullopt;
            *value += *next;
        }
        return value;
    }

    std::optional<std::string> constAtom(std::size_t& i, int depth) const
    {
        if (i >= m_t.size())
            return std::nullopt;
        const PythonToken& t = m_t[i];
        if (t.kind == Kind::String) {
            std::string value;
            for (; i < m_t.size() && m_t[i].kind == Kind::String; ++i) { // "sys" "tem"
                if (!m_t[i].constant)
                    return std::nullopt;
                value += m_t[i].text;
            }
            return value;
        }
        if (t.isOp("(")) {
            ++i;
            std::optional<std::string> value = constString(i, depth + 1);
            if (!value || !op(i, ")"))
                return std::nullopt;
            ++i;
            return value;
        }
        if (t.isName("chr") && op(i + 1, "(") && i + 2 < m_t.size() &&
            m_t[i + 2].kind == Kind::Number && op(i + 3, ")")) {
            const long code = std::strtol(m_t[i + 2].text.c_str(), nullptr, 0);
            i += 4;
            if (code <= 0 || code > 0x7F)
                return std::nullopt;
            return std::string(1, static_cast<char>(code));
        }
        if (t.isName("str") && op(i + 1, "(")) {
            i += 2;
            std::optional<std::string> value = constString(i, depth + 1);
            if (!value || !op(i, ")"))
                return std::nullopt;
            ++i;
            return value;
        }
        if (t.kind == Kind::Name && !m_ambiguous.count(t.text)) {
            if (const auto it = m_strings.find(t.text); it != m_strings.end()) {
                ++i;
                return it->second;
            }
        }
        return std::nullopt;
    }

    std::optional<std::vector<std::string>> constList(std::size_t& i, int depth) const
    {
        if (!op(i, "[") && !op(i, "("))
            return std::nullopt;
        const std::string close = m_t[i].text == "[" ? "]" : ")";
        ++i;
        std::vector<std::string> items;
        while (!op(i, close)) {
            std::optional<std::string> item = constString(i, depth + 1);
            if (!item)
                return std::nullopt;
            items.push_back(std::move(*item));
            if (op(i, ","))
                ++i;
            else if (!op(i, close))
                return std::nullopt;
        }
        ++i;
        return items;
    }

    std::optional<std::string> constTerm(std::size_t& i, int depth) const
    {
        std::optional<std::string> value = constAtom(i, depth + 1);
        while (value) {
            if (op(i, "[") && op(i + 1, ":") && op(i + 2, ":") && op(i + 3, "-") &&
                i + 4 < m_t.size() && m_t[i + 4].text == "1" && op(i + 5, "]")) {
                std::reverse(value->begin(), value->end()); // "metsys"[::-1]
                i += 6;
            } else if (op(i, ".") && i + 1 < m_t.size() && m_t[i + 1].isName("join") &&
                       op(i + 2, "(")) {
                std::size_t k = i + 3;
                const auto items = constList(k, depth + 1);
                if (!items || !op(k, ")"))
                    return std::nullopt;
                std::string joined;
                for (std::size_t n = 0; n < items->size(); ++n)
                    joined += (n ? *value : "") + (*items)[n];
                value = joined;
                i = k + 1;
            } else if (op(i, ".") && i + 1 < m_t.size() &&
                       (m_t[i + 1].isName("lower") || m_t[i + 1].isName("strip")) &&
                       op(i + 2, "(") && op(i + 3, ")")) {
                if (m_t[i + 1].text == "lower")
                    std::transform(value->begin(), value->end(), value->begin(),
                                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                else
                    value->erase(0, value->find_first_not_of(" \t\n"));
                i += 4;
            } else {
                break;
            }
        }
        return value;
    }

    // What the expression starting at name token `i` refers to, following aliases and the
    // dynamic ways of reaching a module or attribute listed in the header.
    std::optional<Resolved> resolve(std::size_t i, int depth) const
    {
        if (depth > kMaxDepth || !name(i))
            return std::nullopt;
        const std::string& first = m_t[i].text;
        const bool called = op(i + 1, "(") && !m_aliases.count(first) && !m_local.count(first);
        Resolved r;
        std::string cur;
        std::size_t j = i + 1;
        if (called && first == "__import__") {
            r.steps.push_back("__import__");
            std::size_t k = i + 2;
            const std::optional<std::string> module = constString(k, depth + 1);
            j = closing(i + 1) + 1;
            if (!module || !(op(k, ",") || op(k, ")"))) {
                r.end = j;
                return r; // the module is unknown, but __import__ is reported anyway
            }
            cur = *module;
        } else if (called && first == "getattr") {
            const std::optional<Resolved> base = resolve(i + 2, depth + 1);
            if (!base || !op(base->end, ","))
                return std::nullopt;
            r.steps = base->steps;
            std::size_t k = base->end + 1;
            const std::optional<std::string> attr = constString(k, depth + 1);
            j = closing(i + 1) + 1;
            const std::string& of = base->steps.back();
            if (!attr || !(op(k, ")") || op(k, ","))) {
                if (isRiskyModule(of))
                    r.steps.push_back("getattr(" + normalized(of) + ", <computed name>)");
                r.end = j;
                return r;
            }
            cur = of + "." + *attr;
        } else if (called && first == "vars") {
            const std::optional<Resolved> base = resolve(i + 2, depth + 1);
            if (!base || !op(base->end, ")"))
                return std::nullopt;
            r.steps = base->steps;
            cur = base->steps.back() + ".__dict__";
            j = base->end + 1;
        } else if (called && (first == "globals" || first == "locals") && op(i + 2, ")")) {
            cur = "$globals";
            j = i + 3;
        } else {
            cur = baseName(first);
        }
        r.steps.push_back(cur);

        while (true) {
            if (op(j, ".") && name(j + 1)) {
                const std::string& attr = m_t[j + 1].text;
                std::size_t k = j + 3;
                if (attr == "__getattribute__" && op(j + 2, "(")) {
                    const std::optional<std::string> value = constString(k, depth + 1);
                    if (!value || !op(k, ")"))
                        break;
                    cur += "." + *value;
                    j = k + 1;
                } else {
                    cur += "." + attr;
                    j += 2;
                }
            } else if (op(j, "[")) {
                std::size_t k = j + 1;
                const std::optional<std::string> key = constString(k, depth + 1);
                if (!key || !op(k, "]"))
                    break;
                const std::string dict = ".__dict__";
                if (cur.size() > dict.size() && cur.compare(cur.size() - dict.size(), dict.size(), dict) == 0)
                    cur = cur.substr(0, cur.size() - dict.size()) + "." + *key;
                else if (cur == "sys.modules")
                    cur = *key;
                else if (cur == "$globals")
                    cur = baseName(*key);
                else if (normalized(cur) == "builtins")
                    cur = "builtins." + *key;
                else
                    break;
                j = k + 1;
            } else if (op(j, "(") && normalized(cur) == "importlib.import_module") {
                std::size_t k = j + 1;
                const std::optional<std::string> module = constString(k, depth + 1);
                if (!module || !(op(k, ")") || op(k, ",")))
                    break;
                cur = *module;
                j = closing(j) + 1;
            } else {
                break;
            }
            r.steps.push_back(cur);
        }
        r.end = j;
        return r;
    }

    // Statement bounds [start, end): end is the Newline token (or the end of the tokens).
    template <typename F> void forEachStatement(F&& f) const
    {
        std::size_t start = 0;
        for (std::size_t i = 0; i <= m_t.size(); ++i) {
            if (i == m_t.size() || m_t[i].kind == Kind::Newline) {
                if (i > start)
                    f(start, i);
                start = i + 1;
            }
        }
    }

    // Reads "a.b.c" from `i`; returns it and moves `i` past it.
    std::string dotted(std::size_t& i) const
    {
        std::string text;
        while (i < m_t.size() && (m_t[i].kind == Kind::Name || m_t[i].isOp("."))) {
            if (m_t[i].kind == Kind::Name && !text.empty() && text.back() != '.')
                break;
            text += m_t[i++].text;
        }
        return text;
    }

    void collectImports()
    {
        forEachStatement([this](std::size_t s, std::size_t e) {
            for (std::size_t p = s; p < e; ++p) {
                if (!m_t[p].isName("import"))
                    continue;
                std::size_t from = p;
                while (from > s && (m_t[from - 1].kind == Kind::Name || m_t[from - 1].isOp(".")) &&
                       !m_t[from - 1].isName("from"))
                    --from;
                const bool isFrom = from > s && m_t[from - 1].isName("from");
                const std::size_t start = isFrom ? from - 1 : p;
                if (start != s && !op(start - 1, ":"))
                    continue; // "import" as a name, or not a statement start
                std::size_t m = from;
                const std::string module = isFrom ? dotted(m) : "";
                importClause(p + 1, e, module, isFrom, m_t[p].line);
                std::fill(m_inImport.begin() + static_cast<std::ptrdiff_t>(start),
                          m_inImport.begin() + static_cast<std::ptrdiff_t>(e), true);
            }
        });
    }

    void importClause(std::size_t i, std::size_t e, const std::string& module, bool isFrom, int line)
    {
        const bool relative = isFrom && (module.empty() || module.front() == '.');
        while (i < e) {
            if (op(i, "(") || op(i, ")") || op(i, ",")) {
                ++i;
                continue;
            }
            if (op(i, "*")) {
                ++i;
                if (!relative) {
                    m_starModules.push_back(module);
                    addIfRisky({module}, line, line);
                }
                continue;
            }
            const int itemLine = m_t[i].line;
            std::string item = dotted(i);
            if (item.empty()) {
                ++i;
                continue;
            }
            std::string bound;
            if (i + 1 < e && m_t[i].isName("as") && m_t[i + 1].kind == Kind::Name) {
                bound = m_t[i + 1].text;
                i += 2;
            }
            if (relative)
                continue; // the agent's own modules
            const std::string full = isFrom ? module + "." + item : item;
            addIfRisky({full}, itemLine, itemLine);
            if (isFrom)
                m_aliases[bound.empty() ? item : bound] = full;
            else if (!bound.empty())
                m_aliases[bound] = full;
        }
    }

    // Aliases are taken from any depth (they can only add findings); a name shadows a
    // builtin or module only when bound at module level, so `def eval(self)` in a class
    // cannot hide a later call of the real eval.
    void collectAssignments()
    {
        forEachStatement([this](std::size_t s, std::size_t e) {
            const bool moduleLevel = m_t[s].column == 0;
            if (m_t[s].isName("def") || m_t[s].isName("class") ||
                (m_t[s].isName("async") && s + 1 < e && m_t[s + 1].isName("def"))) {
                const std::size_t n = m_t[s].isName("async") ? s + 2 : s + 1;
                if (moduleLevel && n < e && m_t[n].kind == Kind::Name && !m_aliases.count(m_t[n].text))
                    m_local.insert(m_t[n].text);
                return;
            }
            if (!name(s) || !op(s + 1, "=") || m_inImport[s])
                return;
            const std::string& target = m_t[s].text;
            std::size_t k = s + 2;
            if (const auto value = constString(k, 0); value && k == e) {
                const auto [it, inserted] = m_strings.emplace(target, *value);
                if (!inserted && it->second != *value)
                    m_ambiguous.insert(target); // reassigned: its value depends on the path taken
                return;
            }
            if (const auto r = resolve(s + 2, 0); r && r->end == e) {
                const std::string& value = r->steps.back();
                const auto it = m_aliases.find(target);
                // A risky alias is kept even if the name is reassigned elsewhere.
                if (value != "$" + target && (it == m_aliases.end() || !riskOf(it->second)))
                    m_aliases[target] = value;
                return;
            }
            if (moduleLevel && !m_aliases.count(target))
                m_local.insert(target);
        });
    }

    void scanReferences()
    {
        static constexpr std::array<std::string_view, 4> kRemovingMethods = {
            "unlink", "rmdir", "rmtree", "removedirs"};
        for (std::size_t i = 0; i < m_t.size(); ++i) {
            if (m_inImport[i] || m_t[i].kind != Kind::Name)
                continue;
            const PythonToken& t = m_t[i];
            if (i > 0 && m_t[i - 1].isOp(".")) {
                // Path(p).unlink(): the receiver's type is unknown, the method name says enough.
                if (op(i + 1, "(") &&
                    std::find(kRemovingMethods.begin(), kRemovingMethods.end(), t.text) !=
                        kRemovingMethods.end())
                    m_found.push_back({t.line, t.line, "." + t.text + "()", RemovesFiles});
                continue;
            }
            if (i > 0 && (m_t[i - 1].isName("def") || m_t[i - 1].isName("class")))
                continue;
            if (op(i + 1, "="))
                continue; // assigned to, or a keyword argument: not a use
            std::optional<Resolved> r = resolve(i, 0);
            if (!r)
                continue;
            if (r->steps.size() == 1 && r->steps.front() == t.text && !riskOf(t.text)) {
                // A bare name may come from `from os import *`.
                for (const std::string& module : m_starModules) {
                    const RiskyName* risky = riskOf(module + "." + t.text);
                    if (risky && !riskOf(module))
                        r->steps.front() = module + "." + t.text;
                }
            }
            const std::size_t last = std::max(i, std::min(r->end, m_t.size()) - 1);
            addIfRisky(r->steps, t.line, m_t[last].endLine);
        }
    }

    std::vector<PythonToken> m_t;
    std::vector<bool> m_inImport; ///< token is part of an import statement (reported there)
    std::map<std::string, std::string> m_aliases; ///< local name -> what it stands for
    std::map<std::string, std::string> m_strings; ///< name -> constant string assigned to it
    std::set<std::string> m_ambiguous;            ///< names assigned different strings
    std::set<std::string> m_local;                ///< names bound to something unknown
    std::vector<std::string> m_starModules;
    std::vector<RiskyReference> m_found;
};

} // namespace

std::vector<RiskyReference> scanPythonCalls(std::string_view source)
{
    return Scanner(source).run();
}

} // namespace clade::engine
