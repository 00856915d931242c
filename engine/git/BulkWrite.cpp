#include "engine/git/BulkWrite.h"

#include "engine/git/Error.h"

#include <git2.h>
#include <git2/sys/mempack.h>


namespace clade::git {

BulkObjectWriter::BulkObjectWriter(git_repository* repo) : m_repo(repo)
{
    git_odb* odb = nullptr;
    if (const int rc = git_repository_odb(&odb, repo); rc < 0)
        throwLastError(rc, "open the object database", repo);
    int rc = git_mempack_new(&m_mempack);
    // Highest priority: new objects go to memory first.
    if (rc >= 0)
        rc = git_odb_add_backend(odb, m_mempack, 1000);
    git_odb_free(odb);
    if (rc < 0)
        throwLastError(rc, "add an in-memory object store", repo);
}

BulkObjectWriter::~BulkObjectWriter() = default;

void BulkObjectWriter::finish()
{
    git_buf pack = GIT_BUF_INIT;
    if (const int rc = git_mempack_dump(&pack, m_repo, m_mempack); rc < 0)
        throwLastError(rc, "pack the objects in memory", m_repo);
    git_odb* odb = nullptr;
    git_odb_writepack* writer = nullptr;
    git_indexer_progress progress{};
    int rc = git_repository_odb(&odb, m_repo);
    if (rc >= 0)
        rc = git_odb_write_pack(&writer, odb, nullptr, nullptr);
    if (rc >= 0)
        rc = writer->append(writer, pack.ptr, pack.size, &progress);
    if (rc >= 0)
        rc = writer->commit(writer, &progress);
    if (writer)
        writer->free(writer);
    git_odb_free(odb);
    git_buf_dispose(&pack);
    if (rc < 0)
        throwLastError(rc, "write the pack", m_repo);
    git_mempack_reset(m_mempack);
}

} // namespace clade::git
