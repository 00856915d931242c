#include "engine/git/DirectorySnapshot.h"

#include "engine/git/Blob.h"
#include "engine/git/Error.h"
#include "engine/util/UniqueFd.h"

#include <git2.h>

#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace clade::git {
namespace {

namespace fs = std::filesystem;

class TreeBuilder {
public:
    explicit TreeBuilder(git_repository* repo) : m_repo(repo)
    {
        git_treebuilder* raw = nullptr;
        if (const int rc = git_treebuilder_new(&raw, repo, nullptr); rc < 0)
            throwLastError(rc, "create tree builder", repo);
        m_builder.reset(raw);
    }

    void insert(const std::string& name, const Oid& id, git_filemode_t mode)
    {
        const git_oid gitId = id.toGit();
        if (const int rc =
                git_treebuilder_insert(nullptr, m_builder.get(), name.c_str(), &gitId, mode);
            rc < 0)
            throwLastError(rc, "add '" + name + "' to a tree", m_repo);
    }

    std::size_t size() const { return git_treebuilder_entrycount(m_builder.get()); }

    Oid write()
    {
        git_oid id;
        if (const int rc = git_treebuilder_write(&id, m_builder.get()); rc < 0)
            throwLastError(rc, "write tree", m_repo);
        return Oid::fromGit(id);
    }

private:
    struct Deleter {
        void operator()(git_treebuilder* builder) const { git_treebuilder_free(builder); }
    };
    std::unique_ptr<git_treebuilder, Deleter> m_builder;
    git_repository* m_repo;
};

[[noreturn]] void throwErrno(const std::string& what, const fs::path& path)
{
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

// O_NOFOLLOW: the entry was a regular file when listed; if it has been swapped for a
// symlink since, fail rather than snapshot whatever the link points at.
std::string readRegularFile(const fs::path& path)
{
    const engine::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd)
        throwErrno("cannot open", path);
    std::string content;
    char chunk[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throwErrno("cannot read", path);
        if (n == 0)
            break;
        content.append(chunk, static_cast<std::size_t>(n));
    }
    return content;
}

} // namespace

DirectorySnapshot::DirectorySnapshot(git_repository* repo, IgnoreRules rules)
    : m_repo(repo), m_rules(std::move(rules))
{
}

Oid DirectorySnapshot::writeTree(const fs::path& dir)
{
    if (const std::optional<Oid> tree = writeFolder(dir, ""))
        return *tree;
    return TreeBuilder(m_repo).write(); // the empty tree
}

std::optional<Oid> DirectorySnapshot::writeFolder(const fs::path& dir, const std::string& relative)
{
    TreeBuilder builder(m_repo);
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name == ".git")
            continue;
        const std::string path = relative.empty() ? name : relative + "/" + name;
        const fs::file_status status = entry.symlink_status();
        switch (status.type()) {
        case fs::file_type::directory:
            if (m_rules.ignores(path, true))
                break;
            if (const std::optional<Oid> tree = writeFolder(entry.path(), path))
                builder.insert(name, *tree, GIT_FILEMODE_TREE);
            break;
        case fs::file_type::regular: {
            if (m_rules.ignores(path, false))
                break;
            const bool executable =
                (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
            builder.insert(name, Blob::create(m_repo, readRegularFile(entry.path())),
                           executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB);
            break;
        }
        case fs::file_type::symlink:
            if (m_rules.ignores(path, false))
                break;
            builder.insert(name, Blob::create(m_repo, fs::read_symlink(entry.path()).string()),
                           GIT_FILEMODE_LINK);
            break;
        default:
            break; // fifos, sockets, devices: nothing git can store
        }
    }
    if (builder.size() == 0)
        return std::nullopt;
    return builder.write();
}

} // namespace clade::git
