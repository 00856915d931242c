#include "engine/llm/Usage.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace clade::llm {

void UsageTotals::add(const ChatResponse& response)
{
    ++calls;
    inputTokens += response.usage.inputTokens;
    outputTokens += response.usage.outputTokens;
    cachedInputTokens += response.usage.cachedInputTokens;
    costUsd += response.costUsd;
    priceMissing = priceMissing || response.priceMissing;
    if (!response.model.empty())
        model = response.model;
}

void UsageTotals::add(const UsageTotals& other)
{
    calls += other.calls;
    inputTokens += other.inputTokens;
    outputTokens += other.outputTokens;
    cachedInputTokens += other.cachedInputTokens;
    costUsd += other.costUsd;
    priceMissing = priceMissing || other.priceMissing;
    if (!other.model.empty())
        model = other.model;
}

nlohmann::json UsageTotals::toJson() const
{
    return {{"calls", calls},
            {"input_tokens", inputTokens},
            {"output_tokens", outputTokens},
            {"cached_input_tokens", cachedInputTokens},
            {"cost_usd", costUsd},
            {"price_missing", priceMissing},
            {"model", model}};
}

CostBudget::CostBudget(double limitUsd, double spentBefore) : m_limit(limitUsd), m_spent(spentBefore)
{
}

bool CostBudget::allows() const
{
    std::lock_guard lock(m_mutex);
    return m_limit <= 0 || m_spent < m_limit;
}

void CostBudget::charge(double usd)
{
    std::lock_guard lock(m_mutex);
    m_spent += usd;
}

double CostBudget::spent() const
{
    std::lock_guard lock(m_mutex);
    return m_spent;
}

std::string CostBudget::describe() const
{
    char text[160];
    // Cents for real budgets; more digits for the tiny ones tests and trials use.
    std::snprintf(text, sizeof text,
                  m_limit >= 0.1 ? "the cost budget of $%.2f is spent ($%.4f used)"
                                 : "the cost budget of $%.4f is spent ($%.4f used)",
                  m_limit, spent());
    return text;
}

} // namespace clade::llm
