#include "engine/propose/PromptTemplates.h"

#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"

namespace clade::engine {
namespace fs = std::filesystem;

namespace {

constexpr const char* kSystemFile = "system.md";
constexpr const char* kUserFile = "user.md";
constexpr const char* kRetryFile = "retry.md";
constexpr const char* kReflectFile = "reflect.md";

std::string readTemplate(const fs::path& file)
{
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw InputError(file.string() + ": missing (expected the prompt template; a new run "
                                         "writes the built-in one there)");
    return readTextFile(file);
}

} // namespace

PromptTemplates PromptTemplates::load(const fs::path& folder)
{
    return {readTemplate(folder / kSystemFile), readTemplate(folder / kUserFile),
            readTemplate(folder / kRetryFile), readTemplate(folder / kReflectFile)};
}

void PromptTemplates::save(const fs::path& folder) const
{
    fs::create_directories(folder);
    writeFileAtomically(folder / kSystemFile, system, false);
    writeFileAtomically(folder / kUserFile, user, false);
    writeFileAtomically(folder / kRetryFile, retry, false);
    writeFileAtomically(folder / kReflectFile, reflect, false);
    syncDirectory(folder);
}

std::string renderTemplate(const std::string& text, const std::map<std::string, std::string>& vars,
                           const std::string& where)
{
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    for (;;) {
        const size_t open = text.find("{{", pos);
        if (open == std::string::npos)
            break;
        const size_t close = text.find("}}", open + 2);
        if (close == std::string::npos)
            break;
        const std::string name = text.substr(open + 2, close - open - 2);
        const auto it = vars.find(name);
        if (it == vars.end()) {
            std::string known;
            for (const auto& [key, value] : vars)
                known += (known.empty() ? "" : ", ") + key;
            throw InputError(where + ": unknown placeholder {{" + name + "}} (expected one of: " +
                             known + ")");
        }
        out.append(text, pos, open - pos);
        out += it->second;
        pos = close + 2;
    }
    out.append(text, pos, std::string::npos);
    return out;
}

} // namespace clade::engine
