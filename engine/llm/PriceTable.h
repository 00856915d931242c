#pragma once

#include "engine/llm/ChatResponse.h"

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace clade::llm {

/// USD per million tokens of one model.
struct ModelPrice {
    double input = 0;
    double output = 0;
    double cachedInput = 0; ///< defaults to `input` when a table leaves it out

    bool operator==(const ModelPrice&) const = default;
};

/// Prices per model, editable by the user (a run's config), because prices change more
/// often than this code: JSON like
/// `{"gpt-4o-mini": {"input": 0.15, "output": 0.6, "cached_input": 0.075}}`, USD per
/// million tokens. Models are matched by exact name.
class PriceTable {
public:
    PriceTable() = default;

    /// InputError naming `where` and the model on a malformed entry.
    static PriceTable fromJson(const nlohmann::json& json, const std::string& where);
    nlohmann::json toJson() const;

    void set(const std::string& model, const ModelPrice& price) { m_prices[model] = price; }
    const ModelPrice* find(const std::string& model) const;
    bool empty() const { return m_prices.empty(); }

    /// USD for one call; nullopt when the model has no price. Cached input tokens are billed
    /// at the cached rate and the rest of the input at the input rate.
    std::optional<double> cost(const std::string& model, const Usage& usage) const;

    bool operator==(const PriceTable&) const = default;

private:
    std::map<std::string, ModelPrice> m_prices;
};

} // namespace clade::llm
