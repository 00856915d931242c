#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// Adds one `KEY=VALUE` (as `--param` and the new-run dialog take it) to `params`. VALUE
/// is read as JSON where it parses (`3`, `0.5`, `true`, `[10, 50]`), else as a string
/// (`keep_better`). Throws InputError for text without a key.
void addStrategyParam(nlohmann::json& params, const std::string& keyValue);

/// "alpha=0.6 cooldown_beta=0": a strategy's parameters as a person types them.
std::string describeStrategyParams(const nlohmann::json& params);

} // namespace clade::engine
