#include "engine/run/ExampleCatalog.h"

#include "engine/util/AtomicFile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace clade::engine {
namespace fs = std::filesystem;

ExampleCatalog::ExampleCatalog(const fs::path& applicationDir)
{
    if (const char* dir = std::getenv("CLADE_EXAMPLES_DIR"); dir && *dir)
        m_roots.emplace_back(dir);
    m_roots.push_back(applicationDir / ".." / "share" / "clade" / "examples");
#ifdef CLADE_SOURCE_EXAMPLES_DIR
    m_roots.emplace_back(CLADE_SOURCE_EXAMPLES_DIR);
#endif
}

std::vector<ExampleInfo> ExampleCatalog::list() const
{
    std::vector<ExampleInfo> examples;
    for (const auto& root : m_roots) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(root, ec)) {
            const fs::path manifest = entry.path() / "clade.json";
            if (!fs::is_regular_file(manifest))
                continue;
            const std::string name = entry.path().filename().string();
            if (std::any_of(examples.begin(), examples.end(),
                            [&](const ExampleInfo& e) { return e.name == name; }))
                continue; // an earlier root wins
            std::string description;
            try {
                const auto json = nlohmann::json::parse(readTextFile(manifest), nullptr, false);
                if (json.is_object())
                    description = json.value("description", "");
            } catch (...) {
            }
            examples.push_back({name, description, fs::canonical(entry.path())});
        }
    }
    std::sort(examples.begin(), examples.end(),
              [](const ExampleInfo& a, const ExampleInfo& b) { return a.name < b.name; });
    return examples;
}

std::optional<ExampleInfo> ExampleCatalog::find(const std::string& nameOrPath) const
{
    std::string name = nameOrPath;
    if (name.rfind("examples/", 0) == 0)
        name = name.substr(9);
    while (!name.empty() && name.back() == '/')
        name.pop_back();
    for (const auto& example : list())
        if (example.name == name)
            return example;
    return std::nullopt;
}

} // namespace clade::engine
