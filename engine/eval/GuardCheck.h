#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/store/Node.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace clade::engine {

// THE guard rule (ARCHITECTURE.md, "Guards"). Every keep decision, parent choice, elite,
// "best" and view asks it, so no strategy and no reader can disagree on it:
//
// A node that has been scored passes its guards when, for every guard of the manifest,
//   - it has a value for the metric (metricValue(): reported by the score phase, or one
//     the engine measures), and
//   - the value is within `limit` (at most it for a minimized metric, at least it for a
//     maximized one), and
//   - with `max_regression` X: the value is no worse than the best value among the node's
//     ancestors (primary parents, up to the root) by more than X times that value's
//     magnitude. Each step of a slow drift may be small; the drift from the best ancestor
//     is not. With a best ancestor at 0 any worsening fails.
// A node not scored yet (no per-task result) has no verdict: its guards are pending.

struct GuardOutcome {
    enum class Verdict {
        Passed,
        Pending,   ///< the node has not been scored yet
        Missing,   ///< scored, but no value for the metric
        PastLimit, ///< beyond `limit`
        Regressed, ///< worse than the best ancestor by more than `max_regression`
    };
    GuardMetric guard;
    Verdict verdict = Verdict::Pending;
    std::optional<double> value;
    std::optional<double> reference; ///< the best ancestor's value (with max_regression)
    int referenceNode = -1;          ///< that ancestor

    bool passed() const { return verdict == Verdict::Passed; }
    bool failed() const { return verdict != Verdict::Passed && verdict != Verdict::Pending; }
    /// One line, with the numbers: "clade.solve_seconds_per_task 0.41 is past its limit
    /// 0.2 (minimize)", "… 0.3 is 25% worse than node 4's 0.24 (max_regression 0.2)".
    std::string explanation() const;
};

struct GuardReport {
    std::vector<GuardOutcome> guards; ///< one per manifest guard, in its order

    /// Every guard passed (true with no guards).
    bool passed() const;
    /// At least one guard failed (false while pending).
    bool failed() const;
    /// The failed guards' explanations, joined by "; " (empty when none failed).
    std::string failures() const;
};

/// Checks the nodes of one run against `guards`. A node's best-ancestor values (for
/// max_regression) are remembered as they are found, so checking every node of a run
/// walks each ancestor chain once: O(nodes x guards) in all, however deep the tree.
/// Holds references to `guards` and `nodes` (ascending id), which must outlive it; not
/// for use from two threads at once.
class GuardChecker {
public:
    GuardChecker(const std::vector<GuardMetric>& guards, const std::vector<Node>& nodes);

    GuardReport check(const Node& node) const;
    /// check(node).passed(), without building the report.
    bool passes(const Node& node) const;

private:
    struct Best {
        std::optional<double> value;
        int node = -1;
    };
    GuardOutcome checkOne(std::size_t guard, const Node& node) const;
    /// The best value of guard `guard`'s metric among `node`'s strict ancestors.
    Best bestAbove(std::size_t guard, const Node& node) const;
    Best including(const Best& above, std::size_t guard, const Node& node) const;

    const std::vector<GuardMetric>& m_guards;
    const std::vector<Node>& m_nodes;
    mutable std::vector<std::unordered_map<int, Best>> m_bestAbove; ///< per guard, by node id
};

/// Checks one `node` against `guards` (GuardChecker for many). `nodes` holds its ancestors.
GuardReport checkGuards(const std::vector<GuardMetric>& guards, const Node& node,
                        const std::vector<Node>& nodes);

/// checkGuards(...).passed(), without building the report's texts.
bool passesGuards(const std::vector<GuardMetric>& guards, const Node& node,
                  const std::vector<Node>& nodes);

/// Where a keep decision's recorded reason (the flags_changed event) names the guards that
/// decided it: "<strategy> keep rule: failed its guards: <GuardReport::failures()>".
inline constexpr std::string_view kFailedGuardsReason = "failed its guards: ";

/// How much worse `value` is than `reference` for a metric in `direction`, as a fraction
/// of the reference's magnitude (0.25: 25% worse; negative: better; infinite when the
/// reference is 0 and the value is worse). Shared by max_regression and the review's
/// guard-worsening check.
double worseningFraction(double value, double reference, Direction direction);

} // namespace clade::engine
