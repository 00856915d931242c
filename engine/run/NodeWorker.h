#pragma once

#include "engine/eval/Evaluator.h"
#include "engine/eval/GatewayAccess.h"
#include "engine/git/Repository.h"
#include "engine/propose/CommandProposer.h"
#include "engine/propose/LlmProposer.h"
#include "engine/review/ReviewPolicy.h"
#include "engine/run/Job.h"
#include "engine/run/RunConfig.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"

#include <atomic>
#include <optional>

namespace clade::engine {

/// Executes jobs on one worker thread, with that thread's own git repository and database
/// connection (libgit2 and SQLite handles never cross threads). Order of writes for each
/// node: artifacts (fsynced) -> git objects and ref (fsynced) -> database row, so a row
/// never names a file that is not durable.
class NodeWorker {
public:
    /// `model` is the run's model (shared by every worker), or null when the run uses none.
    struct Model {
        llm::LlmClient& client;
        llm::CostBudget& budget;
        std::atomic<int>& refusedInARow; ///< the llm proposer's, across the run's workers
    };
    NodeWorker(const RunFolder& folder, const RunConfig& config, Sandbox& sandbox,
               ScratchSpace& scratch, const std::filesystem::path& stagedHarness,
               const std::atomic<bool>& cancel, const Model* model = nullptr);

    /// Never throws: every failure becomes a failed node or a Fatal result.
    JobResult execute(const Job& job) noexcept;

private:
    JobResult expand(const Job& job);
    JobResult evaluate(const Job& job);
    /// A phase_placed event for each phase that ran elsewhere (a Slurm job).
    void recordPlacements(int nodeId, const std::vector<PlacedPhase>& placements,
                          std::vector<RunEvent>& events);
    std::string readArtifact(int nodeId, const std::string& name, size_t maxBytes) const;
    ProposalOutcome propose(const Job& job, const Node& parent,
                            const std::filesystem::path& artifacts);
    /// Adds what the gateway's calls cost during a phase to the node's record and to its
    /// usage.json and gateway.log artifacts (not synced: the caller syncs the folder).
    void recordUsage(Node& node, const llm::UsageTotals& usage, const std::string& phase,
                     const std::string& gatewayLog);

    RunFolder m_folder;
    const RunConfig& m_config;
    ReviewPolicy m_review; ///< read once from the run's settings
    git::Repository m_repo;
    RunStore m_store;
    CommandProposer m_proposer;
    std::optional<LlmProposer> m_llmProposer;
    std::optional<GatewayAccess> m_gateway;
    Evaluator m_evaluator;
    const std::atomic<bool>& m_cancel;
};

} // namespace clade::engine
