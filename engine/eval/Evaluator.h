#pragma once

#include "engine/eval/EngineMetrics.h"
#include "engine/manifest/Manifest.h"
#include "engine/sandbox/PhasePlacement.h"
#include "engine/sandbox/SandboxSpec.h"

#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace clade::git {
class Repository;
class Oid;
} // namespace clade::git

namespace clade::engine {

class GatewayAccess;
class Sandbox;
class ScratchSpace;

/// The result of evaluating one candidate on a batch of tasks.
struct EvaluationOutcome {
    enum class Kind {
        Scored,          ///< per-task results are valid (a crashing solve scores what it wrote)
        CandidateFailed, ///< the candidate could not be scored (the scorer failed on its output)
        Cancelled,       ///< stopped by the engine; re-queue
        HarnessBroken,   ///< the harness broke its contract (bad JSON, NaN, changed hash):
                         ///< bad input, not a bad candidate; `error` says what and where
    };
    Kind kind = Kind::Scored;
    std::map<std::string, double> results; ///< task id -> score
    /// The score phase's metrics (a mean weighted by tasks over the batches) and the
    /// engine's own measurements of this call (EngineMetrics.h), for mergeMeasuredMetrics().
    MeasuredMetrics metrics;
    std::string error;                     ///< why, when not Scored; or a solve-phase problem
    std::string log;                       ///< the evaluate.log text
    double seconds = 0;
    /// Where each phase ran, when an executor sent it elsewhere (none for the local one).
    std::vector<PlacedPhase> placements;
};

/// Runs the evaluation contract (ARCHITECTURE.md): for each batch of tasks, a *solve*
/// phase with the candidate's code writing into a fresh output folder, then a *score*
/// phase that runs only the pinned harness over those outputs (read-only). The engine
/// trusts only what the score phase prints. A harness that breaks its contract (bad
/// JSON, NaN, a changed hash) comes back as HarnessBroken: bad input, not a bad candidate.
class Evaluator {
public:
    Evaluator(const Manifest& manifest, Sandbox& sandbox, ScratchSpace& scratch,
              std::filesystem::path stagedHarness, std::string harnessSha256);

    /// Where the harness came from, for messages (the agent's folder, not the pinned copy).
    void setHarnessSource(std::string source) { m_harnessSource = std::move(source); }

    /// With `liveLogs` set, each phase's output is also appended, as it arrives, to
    /// `<liveLogs>/solve.log` and `<liveLogs>/score.log` (the node's artifacts folder).
    /// With `gateway` set and the manifest asking for it, the solve phase can call the model.
    EvaluationOutcome evaluate(git::Repository& repo, const git::Oid& commit,
                               const std::vector<std::string>& tasks,
                               const std::atomic<bool>* cancel = nullptr,
                               const std::filesystem::path& liveLogs = {},
                               GatewayAccess* gateway = nullptr);

private:
    /// Mounts an empty folder (or file) over each of the manifest's harness_hidden paths,
    /// made in `emptyFolder`, after the harness mount in `spec`.
    void hideHarnessPaths(SandboxSpec& spec, const std::filesystem::path& emptyFolder) const;

    const Manifest& m_manifest;
    Sandbox& m_sandbox;
    ScratchSpace& m_scratch;
    std::filesystem::path m_harness;
    std::string m_harnessSha256;
    std::string m_harnessSource;
};

/// Splits `tasks` into batches of `batchSize` (0 = one batch).
std::vector<std::vector<std::string>> makeBatches(const std::vector<std::string>& tasks,
                                                  int batchSize);

/// Expands `{tasks}` in each argument.
std::vector<std::string> expandCommand(const std::vector<std::string>& argv,
                                       const std::vector<std::string>& tasks);

} // namespace clade::engine
