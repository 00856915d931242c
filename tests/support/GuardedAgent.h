#pragma once
// A copy of the bundled binpack example whose clade.json declares other guards.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace testsupport {

/// Copies examples/binpack to `agent` and sets its metrics.guards to `guards`.
inline std::filesystem::path binpackWithGuards(const std::filesystem::path& agent,
                                               const nlohmann::json& guards)
{
    namespace fs = std::filesystem;
    fs::copy(fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack", agent,
             fs::copy_options::recursive);
    nlohmann::json manifest;
    {
        std::ifstream in(agent / "clade.json");
        manifest = nlohmann::json::parse(in);
    }
    manifest["metrics"]["guards"] = guards;
    std::ofstream(agent / "clade.json") << manifest.dump(2);
    return agent;
}

} // namespace testsupport
