#include "engine/git/Blob.h"

#include "engine/git/Error.h"

#include <git2.h>

namespace clade::git {

void Blob::Deleter::operator()(git_blob* blob) const
{
    git_blob_free(blob);
}

Blob Blob::lookup(git_repository* repo, const Oid& id)
{
    const git_oid gitId = id.toGit();
    git_blob* blob = nullptr;
    if (const int rc = git_blob_lookup(&blob, repo, &gitId); rc < 0)
        throwLastError(rc, "look up blob " + id.hex(), repo);
    return Blob(blob);
}

Oid Blob::create(git_repository* repo, std::string_view content)
{
    git_oid id;
    if (const int rc = git_blob_create_from_buffer(&id, repo, content.data(), content.size());
        rc < 0)
        throwLastError(rc, "write blob", repo);
    return Oid::fromGit(id);
}

std::string_view Blob::content() const
{
    return {static_cast<const char*>(git_blob_rawcontent(m_blob.get())),
            static_cast<std::size_t>(git_blob_rawsize(m_blob.get()))};
}

} // namespace clade::git
