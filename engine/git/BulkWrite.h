#pragma once

struct git_odb_backend;
struct git_repository;

namespace clade::git {

/// Writes many objects into a repository fast: while it lives, new objects go to memory
/// (libgit2's mempack backend, read back like any other), and finish() stores them all as
/// one pack file, fsynced once, instead of one fsynced loose file per object. For bulk
/// work whose result is made durable as a whole (an import built in a folder that is
/// renamed into place at the end). Objects not yet finished are lost with the process.
class BulkObjectWriter {
public:
    /// Throws GitException if the backend cannot be added.
    explicit BulkObjectWriter(git_repository* repo);
    ~BulkObjectWriter();
    BulkObjectWriter(const BulkObjectWriter&) = delete;
    BulkObjectWriter& operator=(const BulkObjectWriter&) = delete;

    /// Stores every object written so far as one pack (indexed), then empties the memory.
    void finish();

private:
    git_repository* m_repo;
    git_odb_backend* m_mempack = nullptr; // owned by the repository's object database
};

} // namespace clade::git
