#include "engine/llm/PriceTable.h"

#include "engine/util/InputError.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace clade::llm {

using engine::InputError;

namespace {

double readPrice(const nlohmann::json& entry, const std::string& where, const std::string& model,
                 const char* field, std::optional<double> fallback)
{
    if (!entry.contains(field)) {
        if (fallback)
            return *fallback;
        throw InputError::field(where, "prices." + model + "." + field,
                                "USD per million tokens (a number >= 0)");
    }
    const auto& value = entry.at(field);
    if (!value.is_number() || value.get<double>() < 0)
        throw InputError::field(where, "prices." + model + "." + field,
                                "USD per million tokens (a number >= 0)");
    return value.get<double>();
}

} // namespace

PriceTable PriceTable::fromJson(const nlohmann::json& json, const std::string& where)
{
    if (!json.is_object())
        throw InputError::field(where, "prices", "an object of model name -> prices");
    PriceTable table;
    for (const auto& [model, entry] : json.items()) {
        if (!entry.is_object())
            throw InputError::field(where, "prices." + model,
                                    "an object with input, output and cached_input");
        ModelPrice price;
        price.input = readPrice(entry, where, model, "input", std::nullopt);
        price.output = readPrice(entry, where, model, "output", std::nullopt);
        price.cachedInput = readPrice(entry, where, model, "cached_input", price.input);
        table.set(model, price);
    }
    return table;
}

nlohmann::json PriceTable::toJson() const
{
    auto json = nlohmann::json::object();
    for (const auto& [model, price] : m_prices)
        json[model] = {
            {"input", price.input}, {"output", price.output}, {"cached_input", price.cachedInput}};
    return json;
}

const ModelPrice* PriceTable::find(const std::string& model) const
{
    const auto it = m_prices.find(model);
    return it == m_prices.end() ? nullptr : &it->second;
}

std::optional<double> PriceTable::cost(const std::string& model, const Usage& usage) const
{
    const ModelPrice* price = find(model);
    if (!price)
        return std::nullopt;
    const auto cached = std::clamp<std::int64_t>(usage.cachedInputTokens, 0, usage.inputTokens);
    const auto uncached = usage.inputTokens - cached;
    return (static_cast<double>(uncached) * price->input +
            static_cast<double>(cached) * price->cachedInput +
            static_cast<double>(usage.outputTokens) * price->output) /
           1e6;
}

} // namespace clade::llm
