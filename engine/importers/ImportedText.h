#pragma once

#include "engine/importers/ImportedRun.h"

namespace clade::engine {

/// Makes every piece of `run` that Clade keeps as text valid UTF-8: the run's name, each
/// node's id, description, error, proposer, metric and task names, file and artifact names,
/// and the warnings. Bytes that are not UTF-8 (another system's file names, SQLite text)
/// become U+FFFD, and each repaired field adds a warning, so nothing is changed unsaid.
/// File contents and artifacts stay byte for byte: they are files, git keeps any bytes and
/// the views decode them. Every import goes through this once (readImportedRun).
void repairImportedText(ImportedRun& run);

} // namespace clade::engine
