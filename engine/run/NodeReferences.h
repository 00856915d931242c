#pragma once

#include "engine/store/Node.h"
#include "engine/store/RunFolder.h"

#include <vector>

namespace clade::engine {

/// Makes `refs/clade/nodes/<id>` agree with the database when a run is opened for
/// writing: the database is the record, the references mirror it (the engine writes them
/// without fsync, see git::Repository::setDerivedReference). Removes reference files that
/// are unreadable (a power cut can leave one empty) or name an id at or past `nextId` (a
/// proposal that never got its row), drops damaged lines of packed-refs, and writes every
/// node's reference that is missing or points elsewhere into packed-refs, in one synced
/// write. Returns how many references it rewrote.
int repairNodeReferences(const RunFolder& folder, const std::vector<Node>& nodes, int nextId);

} // namespace clade::engine
