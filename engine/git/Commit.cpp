#include "engine/git/Commit.h"

#include "engine/git/Error.h"
#include "engine/git/Tree.h"

#include <git2.h>

namespace clade::git {
namespace {

// git_signature owns its strings; only commit creation needs one.
class GitSignature {
public:
    GitSignature(const Signature& signature, git_repository* repo)
    {
        const auto when = signature.when.value_or(std::chrono::system_clock::now());
        const git_time_t seconds =
            std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
        git_signature* raw = nullptr;
        if (const int rc = git_signature_new(&raw, signature.name.c_str(), signature.email.c_str(),
                                             seconds, signature.offsetMinutes);
            rc < 0)
            throwLastError(rc, "make signature '" + signature.name + "'", repo);
        m_signature.reset(raw);
    }

    const git_signature* get() const { return m_signature.get(); }

private:
    struct Deleter {
        void operator()(git_signature* signature) const { git_signature_free(signature); }
    };
    std::unique_ptr<git_signature, Deleter> m_signature;
};

} // namespace

void Commit::Deleter::operator()(git_commit* commit) const
{
    git_commit_free(commit);
}

Commit Commit::lookup(git_repository* repo, const Oid& id)
{
    const git_oid gitId = id.toGit();
    git_commit* commit = nullptr;
    if (const int rc = git_commit_lookup(&commit, repo, &gitId); rc < 0)
        throwLastError(rc, "look up commit " + id.hex(), repo);
    return Commit(commit);
}

Oid Commit::create(git_repository* repo, const Oid& tree, const std::vector<Oid>& parents,
                   const std::string& message, const Signature& signature)
{
    const Tree treeObject = Tree::lookup(repo, tree);
    std::vector<Commit> parentObjects;
    std::vector<const git_commit*> parentPointers;
    parentObjects.reserve(parents.size());
    for (const Oid& parent : parents) {
        parentObjects.push_back(lookup(repo, parent));
        parentPointers.push_back(parentObjects.back().m_commit.get());
    }
    const GitSignature author(signature, repo);
    git_oid id;
    if (const int rc = git_commit_create(&id, repo, nullptr, author.get(), author.get(), nullptr,
                                         message.c_str(), treeObject.raw(), parentPointers.size(),
                                         parentPointers.data());
        rc < 0)
        throwLastError(rc, "create commit", repo);
    return Oid::fromGit(id);
}

Oid Commit::id() const
{
    return Oid::fromGit(*git_commit_id(m_commit.get()));
}

Oid Commit::treeId() const
{
    return Oid::fromGit(*git_commit_tree_id(m_commit.get()));
}

Tree Commit::tree() const
{
    return Tree::lookup(git_commit_owner(m_commit.get()), treeId());
}

std::vector<Oid> Commit::parentIds() const
{
    std::vector<Oid> ids;
    const unsigned int count = git_commit_parentcount(m_commit.get());
    ids.reserve(count);
    for (unsigned int i = 0; i < count; ++i)
        ids.push_back(Oid::fromGit(*git_commit_parent_id(m_commit.get(), i)));
    return ids;
}

std::string Commit::message() const
{
    const char* raw = git_commit_message_raw(m_commit.get());
    return raw ? raw : "";
}

} // namespace clade::git
