#pragma once

#include "engine/importers/ImportedRun.h"

#include <filesystem>
#include <string>
#include <vector>

namespace clade::engine {

struct ImportResult {
    std::filesystem::path run;
    int nodes = 0;
    std::vector<std::string> warnings;
};

/// Writes `imported` as a Clade run folder at `out`, which must not exist yet: every node a
/// commit (so diffs between any two work) under refs/clade/nodes/<id>, the nodes with
/// their scores, metrics and per-task results in clade.db, each node's original record
/// and logs as artifacts, the integrity warnings in the store's meta ("import_warnings")
/// and in artifacts/import-warnings.txt. Ids follow the order of `imported.nodes`, which
/// must list every parent before its children (a later parent is dropped with a warning).
/// The folder is built beside `out` and renamed into place at the end, so a failure
/// leaves nothing half-written; the source is never touched. The run opens and exports
/// like any other but cannot be resumed (its strategy is kImportedStrategy, see
/// ImportedStrategy.h).
ImportResult writeImportedRun(const ImportedRun& imported, const std::filesystem::path& out);

} // namespace clade::engine
