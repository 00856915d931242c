#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "engine/manifest/ReviewRules.h"
#include "engine/sandbox/SandboxLimits.h"

namespace clade::engine {

/// A command template run in the sandbox. `{tasks}` in an argument expands to the
/// comma-joined task ids of the batch.
struct CommandSpec {
    std::vector<std::string> argv;
    SandboxLimits limits;

    bool operator==(const CommandSpec&) const = default;
};

enum class Direction { Maximize, Minimize };

/// "maximize" or "minimize", the spelling used in clade.json and run.json.
std::string_view directionName(Direction direction);

/// A metric a candidate must not trade away for the primary one (clade.json
/// metrics.guards[]). Whether a node passes is checkGuards() (engine/eval/GuardCheck.h).
struct GuardMetric {
    std::string name;
    Direction direction = Direction::Minimize;
    std::optional<double> limit; ///< a node whose metric is past this fails the guard
    /// A node worse than the best of its ancestors by more than this fraction of that
    /// value fails the guard: catches a drift in small steps that stays under the limit.
    std::optional<double> maxRegression;

    bool operator==(const GuardMetric&) const = default;
};

/// The agent's `clade.json`: what may evolve, how to propose, how to evaluate.
struct Manifest {
    std::filesystem::path file;      ///< the clade.json it was read from (for messages)
    std::filesystem::path agentDir;  ///< folder holding clade.json
    std::string name;
    std::string description;
    std::vector<std::string> evolvable;  ///< paths (files or folders ending in '/') that may change
    std::vector<std::string> protectedPaths; ///< paths a candidate must not touch
    std::vector<std::string> ignore;     ///< never committed (e.g. "__pycache__/")
    std::filesystem::path harnessDir;    ///< absolute; pinned copy is made from it
    std::optional<CommandSpec> propose;  ///< absent: only an llm proposer can be used
    CommandSpec solve;
    CommandSpec score;
    std::vector<std::string> tasks;
    int batchSize = 0;                   ///< tasks per solve/score call; 0 = all at once
    std::string primaryMetric = "score";
    Direction direction = Direction::Maximize;
    std::vector<GuardMetric> guards;
    ReviewRules review;                  ///< the optional "review" section
    /// Phases ("propose", "solve") whose sandbox gets the engine's model gateway socket
    /// (CLADE_LLM_SOCKET): for agents that call a model themselves. The run must have a
    /// model configured (--llm-provider ...). The score phase never gets it.
    std::vector<std::string> llmGateway;
    /// Paths inside the harness (files, or folders ending in '/') hidden from the solve
    /// phase: an empty folder or file is mounted over each, so candidate code cannot read
    /// the hidden tests the score phase grades it with.
    std::vector<std::string> harnessHidden;

    bool gatewayFor(std::string_view phase) const;

    /// Normalized form for the run.json snapshot: harness absolute, every limit spelled
    /// out, tasks inlined. parseManifest(toJson().dump(), file) gives back an equal Manifest.
    nlohmann::json toJson() const;

    /// Whether a path relative to the agent folder is covered by a `protected` entry.
    /// An entry covers the path itself and everything under it ("harness/" and "harness"
    /// both cover "harness/x.py"); shell wildcards match within one path component.
    bool isProtected(std::string_view relPath) const;

    /// Whether a path is covered by an `evolvable` entry (same matching) and not protected.
    bool isEvolvable(std::string_view relPath) const;

    /// The harness folder relative to the agent folder ("harness"), if it lies inside it.
    std::optional<std::string> harnessRelativePath() const;

    bool operator==(const Manifest&) const = default;
};

/// Reads and validates `<agentDir>/clade.json`. Every problem is an InputError naming the
/// file, the field and what was expected.
Manifest loadManifest(const std::filesystem::path& agentDir);

/// Parses manifest JSON text (already read from `file`). Exposed for tests.
Manifest parseManifest(const std::string& text, const std::filesystem::path& file);

} // namespace clade::engine
