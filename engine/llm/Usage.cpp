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

UsageTotals UsageTotals::fromJson(const nlohmann::json& json)
{
    UsageTotals t;
    if (!json.is_object())
        return t;
    const auto number = [&json](const char* key, auto fallback) {
        const auto it = json.find(key);
        return it != json.end() && it->is_number() ? it->get<decltype(fallback)>() : fallback;
    };
    t.calls = number("calls", 0);
    t.inputTokens = number("input_tokens", std::int64_t{0});
    t.outputTokens = number("output_tokens", std::int64_t{0});
    t.cachedInputTokens = number("cached_input_tokens", std::int64_t{0});
    t.costUsd = number("cost_usd", 0.0);
    t.priceMissing = json.value("price_missing", false);
    t.model = json.value("model", "");
    return t;
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
