#pragma once

#include "engine/strategy/BestNode.h" // sicaBase() is defined by bestNode()
#include "engine/strategy/Strategy.h"

#include <map>
#include <optional>

namespace clade::engine {

/// Mean − z·sd/√n over per-task scores (sample standard deviation; sd = 0 for one task).
double lowerConfidenceBound(const std::map<std::string, double>& results, double z = 1.96);

/// The SICA base rule: among evaluated, non-reverted nodes, the best is the one with the
/// highest mean (oriented by direction); the base is the NEWEST node whose mean is at least
/// the best's lower confidence bound. Returns nullopt when nothing is evaluated.
std::optional<int> sicaBase(const ArchiveView& view, double z = 1.96);

/// SICA (Robeyns et al. 2025): a greedy self-editing loop. Each iteration expands the base
/// chosen by sicaBase() and evaluates the child on every task; the child is kept when its
/// mean reaches the best's lower confidence bound, otherwise marked reverted.
class SicaStrategy : public Strategy {
public:
    SicaStrategy(const nlohmann::json& params, std::uint64_t seed);
    std::string name() const override { return "sica"; }
    nlohmann::json parameters() const override;
    Action next(const ArchiveView& view) override;
    std::optional<unsigned> flagsAfterEvaluation(const ArchiveView& view, const Node& node) override;

private:
    double m_z = 1.96;
};

} // namespace clade::engine
