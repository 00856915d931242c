#pragma once

#include <cstddef>
#include <filesystem>

struct git_repository;

namespace clade::git {

struct CollectingBackend;

/// While it lives, objects a repository handle writes are held in memory (read back from
/// there); commit() stores them as one pack (see writePack()): a node's blob, trees and
/// commit cost two file creations and two syncs instead of two syncs and a creation
/// each. Destroyed without commit(), the objects are dropped. One scope at a time per
/// handle; the handle's own thread only, like the handle. Objects written while a bulk
/// import's in-memory store is attached (BulkObjectWriter) go there instead.
class PackedWriteScope {
public:
    explicit PackedWriteScope(git_repository* repo);
    ~PackedWriteScope();
    PackedWriteScope(const PackedWriteScope&) = delete;
    PackedWriteScope& operator=(const PackedWriteScope&) = delete;

    /// Writes what was collected as one durable pack (nothing if nothing new was written).
    void commit();

private:
    git_repository* m_repo;
    CollectingBackend* m_backend;
};

/// Merges the repository's small packs (under `smallObjects` objects each) into one when
/// there are more than `maxPacks` of them, then removes them: lookups in libgit2 and git
/// walk every pack, so one pack per node cannot go on for ever. Readers of the removed
/// packs in other handles or processes fall back to the merged one (libgit2 skips a pack
/// it cannot open and rescans the folder when an object is missing). Returns how many
/// packs it merged (0: nothing to do).
int consolidatePacks(git_repository* repo, std::size_t maxPacks = 64, std::size_t smallObjects = 2000);

} // namespace clade::git
