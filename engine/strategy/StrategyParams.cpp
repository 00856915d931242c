#include "engine/strategy/StrategyParams.h"

#include "engine/util/InputError.h"

namespace clade::engine {

void addStrategyParam(nlohmann::json& params, const std::string& keyValue)
{
    const auto eq = keyValue.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError("--param: expected KEY=VALUE, got '" + keyValue + "'");
    const std::string text = keyValue.substr(eq + 1);
    auto value = nlohmann::json::parse(text, nullptr, false);
    params[keyValue.substr(0, eq)] = value.is_discarded() ? nlohmann::json(text) : std::move(value);
}

std::string describeStrategyParams(const nlohmann::json& params)
{
    std::string text;
    for (const auto& [key, value] : params.items())
        text += (text.empty() ? "" : " ") + key + "=" +
                (value.is_string() ? value.get<std::string>() : value.dump());
    return text;
}

} // namespace clade::engine
