#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

struct ExampleInfo {
    std::string name;
    std::string description;
    std::filesystem::path folder;
};

/// The bundled example agents. Looked up, in order: $CLADE_EXAMPLES_DIR, the installed
/// `<prefix>/share/clade/examples` next to the binary, and the source tree's `examples/`
/// (for a build that was not installed).
class ExampleCatalog {
public:
    /// `applicationDir` is the folder of the running binary.
    explicit ExampleCatalog(const std::filesystem::path& applicationDir);

    std::vector<ExampleInfo> list() const;
    /// By name ("binpack") or as "examples/binpack".
    std::optional<ExampleInfo> find(const std::string& nameOrPath) const;

private:
    std::vector<std::filesystem::path> m_roots;
};

} // namespace clade::engine
