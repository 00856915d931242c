#pragma once

#include "engine/llm/ChatResponse.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace clade::llm {

/// What the model calls made for one node cost, summed: the proposer's calls, or every
/// call an agent made through the gateway during one phase.
struct UsageTotals {
    int calls = 0;
    std::int64_t inputTokens = 0;
    std::int64_t outputTokens = 0;
    std::int64_t cachedInputTokens = 0;
    double costUsd = 0;
    bool priceMissing = false; ///< some call's model had no price: costUsd is a lower bound
    std::string model;         ///< as the server named it in the last answer

    void add(const ChatResponse& response);
    void add(const UsageTotals& other);
    nlohmann::json toJson() const;
    /// Reads what toJson writes; missing or mistyped fields read as 0 (a usage record is
    /// informational: a damaged one must not stop a node from being recorded).
    static UsageTotals fromJson(const nlohmann::json& json);
};

/// The run's cost budget (--max-cost), shared by every thread that calls a model. A call
/// starts only while the budget allows it; what it cost is charged when it returns, so a
/// run may end a little past the limit (by the calls already in flight), never by more.
class CostBudget {
public:
    /// `limitUsd` 0 means no limit; `spentBefore` is what earlier sessions of the run spent.
    explicit CostBudget(double limitUsd = 0, double spentBefore = 0);

    bool allows() const;
    void charge(double usd);
    double spent() const;
    double limit() const { return m_limit; }
    /// "the cost budget of $2.00 is spent ($2.03 used)", for errors and run messages.
    std::string describe() const;

private:
    const double m_limit;
    mutable std::mutex m_mutex;
    double m_spent;
};

} // namespace clade::llm
