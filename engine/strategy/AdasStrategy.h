#pragma once

#include "engine/strategy/Strategy.h"

namespace clade::engine {

/// ADAS (Hu et al. 2024, "Automated Design of Agentic Systems"): meta agent search. Every
/// evaluated agent stays in the archive (keep-all) and the proposer sees the whole archive
/// (for `command` proposers, history.json in the context folder). One agent is proposed
/// per generation and evaluated on every task before the next proposal.
///
/// ADAS's meta agent writes each new agent from the archive rather than editing one agent;
/// Clade's proposers need a working copy, so the expansion parent is the best node so far
/// (`parent: "best"`, the default: the archive's fittest code is the most useful starting
/// point) or the newest evaluated node (`parent: "newest"`, closest to ADAS appending each
/// agent and building on what it just saw).
class AdasStrategy : public Strategy {
public:
    enum class Parent { Best, Newest };

    AdasStrategy(const nlohmann::json& params, std::uint64_t seed);
    std::string name() const override { return "adas"; }
    nlohmann::json parameters() const override;
    Action next(const ArchiveView& view) override;
    std::optional<unsigned> flagsAfterEvaluation(const ArchiveView& view, const Node& node) override;

private:
    Parent m_parent = Parent::Best;
};

/// The node ADAS expands next: the best or the newest evaluated, unblocked, unreverted node.
std::optional<int> adasParent(const ArchiveView& view, AdasStrategy::Parent rule);

} // namespace clade::engine
