#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/propose/PromptTemplates.h"
#include "engine/propose/ProposalOutcome.h"
#include "engine/store/Node.h"

#include <atomic>
#include <string>
#include <vector>

namespace clade::git {
class Repository;
}
namespace clade::llm {
class CostBudget;
class LlmClient;
} // namespace clade::llm

namespace clade::engine {

/// The `llm` proposer (ADAS/OpenEvolve style): the engine builds the prompt from the
/// parent's evolvable files, the archive and the parent's results and log, calls the model,
/// and applies the answer (whole files, SEARCH/REPLACE blocks or a unified diff) to the
/// parent's tree in the repository. Nothing of the answer is run or written to disk here;
/// it is evaluated in the sandbox like any other child.
///
/// An answer that does not apply is sent back with the reason (`answerRetries` times); if
/// it still does not apply, the child is a failed node that keeps the answers and the
/// reason. With reflexion rounds the model then reviews its accepted change (ADAS's
/// "reflexion") and may revise it. A fatal model error (bad key, unknown model) is thrown
/// as llm::LlmError so the run stops; other model errors make a failed node. A refused
/// request (HTTP 400: a prompt past the model's context, or a setting the model does not
/// take) fails its node, and after kRefusalsBeforeStop refusals in a row with no answer
/// between them, counted across the run's workers, it is thrown as fatal too: then it is
/// the configuration, not the prompt.
class LlmProposer {
public:
    static constexpr int kRefusalsBeforeStop = 3;

    struct Options {
        int answerRetries = 1;   ///< an answer that does not apply is sent back this often
        int reflexionRounds = 0; ///< ADAS: times the model reviews and may revise its change
    };
    /// `refusedInARow` is shared by the run's workers: requests refused since the last
    /// answer any of them got.
    LlmProposer(const Manifest& manifest, PromptTemplates templates, llm::LlmClient& client,
                llm::CostBudget& budget, std::atomic<int>& refusedInARow, Options options);

    struct Request {
        const Node& parent;
        int childId;
        const std::vector<Node>& history;
        std::string parentEvaluateLog;
    };

    ProposalOutcome propose(git::Repository& repo, const Request& request,
                            const std::atomic<bool>* cancel = nullptr);

private:
    const Manifest& m_manifest;
    const PromptTemplates m_templates;
    llm::LlmClient& m_client;
    llm::CostBudget& m_budget;
    std::atomic<int>& m_refusedInARow;
    const int m_answerRetries;
    const int m_reflexionRounds;
};

} // namespace clade::engine
