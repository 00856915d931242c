#pragma once

#include "engine/importers/ImportedRun.h"

namespace clade::engine {

/// Reads an AIDE journal (`journal.json`): {"nodes": [{id, step, code, plan, metric
/// {value, maximize}, is_buggy, _term_out, exec_time, analysis, ...}], "node2parent":
/// {child: parent}} — or nodes carrying their own "parent". Drafts (no parent) hang from a
/// synthetic root; buggy nodes are failed; the metric's value is the score (null or NaN:
/// no score) and its `maximize` the direction. A parent id the journal does not hold
/// becomes a placeholder node, with a warning.
ImportedRun readAideRun(const std::filesystem::path& file);

} // namespace clade::engine
