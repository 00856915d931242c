#pragma once

#include <filesystem>
#include <string>

namespace clade::engine {

/// The paths of a run folder (ARCHITECTURE.md "Run folder"). No I/O beyond checks.
struct RunFolder {
    std::filesystem::path root;

    std::filesystem::path runJson() const { return root / "run.json"; }
    /// The llm proposer's prompt templates, editable between sessions.
    std::filesystem::path prompts() const { return root / "prompts"; }
    std::filesystem::path repo() const { return root / "repo.git"; }
    std::filesystem::path database() const { return root / "clade.db"; }
    /// SQLite's write-ahead log beside the database: it changes first when a writer commits.
    std::filesystem::path databaseLog() const { return root / "clade.db-wal"; }
    std::filesystem::path harness() const { return root / "harness"; }
    std::filesystem::path artifacts() const { return root / "artifacts"; }
    std::filesystem::path artifacts(int nodeId) const
    {
        return artifacts() / std::to_string(nodeId);
    }
    static std::string nodeRef(int nodeId) { return "refs/clade/nodes/" + std::to_string(nodeId); }

    /// Throws InputError naming the folder and what is missing when `root` is not a run.
    void requireValid() const;
};

} // namespace clade::engine
