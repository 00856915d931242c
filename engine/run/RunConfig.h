#pragma once

#include "engine/executor/ExecutorSettings.h"
#include "engine/llm/LlmSettings.h"
#include "engine/llm/PriceTable.h"
#include "engine/manifest/Manifest.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// The choices a user makes when starting (or resuming) a run.
struct RunSettings {
    std::string strategy = "sica";
    nlohmann::json strategyParams = nlohmann::json::object();
    std::string proposer = "command";
    std::string sandbox = "bwrap";
    /// Where phases run: this host (local) or a Slurm cluster's compute nodes, each in the
    /// `sandbox` backend there.
    ExecutorSettings executor;
    int iterations = 40;     ///< children to propose (failed proposals count)
    double maxMinutes = 0;   ///< 0 = no time budget
    double maxCost = 0;      ///< USD; 0 = no cost budget (llm proposers)
    /// Per-task evaluations to spend (0 = no budget): every recorded per-task result counts
    /// one, whatever the strategy's batch (hgm one task, dgm a stage, sica all tasks), so
    /// strategies can be compared at an equal cost. Once spent, no new work starts.
    int maxTaskEvaluations = 0;
    int workers = 1;
    std::uint64_t seed = 1;
    std::string review = "auto";
    int maxConsecutiveProposeFailures = 5; ///< then the run stops: the propose command is broken
    /// The model, for the llm proposer and for agents that use the gateway (the manifest's
    /// llm_gateway). Holds the key's environment variable name, never the key.
    std::optional<llm::LlmSettings> llm;
    llm::PriceTable prices; ///< USD per million tokens, per model (editable in run.json)
    /// llm proposer: how often an answer that does not apply is sent back to the model with
    /// the error, before the child is recorded as failed.
    int answerRetries = 1;
    /// llm proposer: times the model reviews its accepted change and may revise it (ADAS
    /// uses 2). Each round is one more call.
    int reflexionRounds = 0;
};

/// run.json: a snapshot of everything that defines the run, written once at creation
/// (budgets may be raised by `clade resume`). Never holds secrets.
struct RunConfig {
    std::string name;
    double createdAt = 0;
    std::filesystem::path agentSource; ///< where the agent was copied from (informational)
    std::string harnessSha256;
    std::filesystem::path harnessSource; ///< the harness folder it was pinned from (messages)
    Manifest manifest; ///< harnessDir points at the run's pinned copy after loading
    RunSettings settings;

    nlohmann::json toJson() const;
    /// Reads `<runDir>/run.json`; InputError names the file and field on any problem.
    static RunConfig load(const std::filesystem::path& runDir);
    void save(const std::filesystem::path& runDir) const;
};

/// The run.json format version this build writes.
inline constexpr int kRunFormatVersion = 1;

} // namespace clade::engine
