#pragma once

#include "engine/run/RunSummary.h"

#include <string>

namespace clade::engine {

/// The whole run as one JSON document: configuration, every node (all fields, decisions
/// included) and the event log.
std::string exportJson(const RunSnapshot& run);
/// One row per node; per-task results as `task:<id>` columns. RFC 4180 quoting.
std::string exportCsv(const RunSnapshot& run);
/// The evolution tree for Graphviz; secondary parents as dashed edges.
std::string exportDot(const RunSnapshot& run);

/// Node fields plus its decisions and artifact paths (`clade show --json`).
nlohmann::json nodeDetailJson(const RunSnapshot& run, const Node& node);

} // namespace clade::engine
