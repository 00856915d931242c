#include "engine/git/TreeCheckout.h"

#include "engine/git/Blob.h"
#include "engine/git/Error.h"
#include "engine/git/Tree.h"
#include "engine/util/UniqueFd.h"

#include <git2.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace clade::git {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void throwErrno(const std::string& what, const fs::path& path)
{
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

// Trees can come from imported runs: a name that could step out of `dir` is refused.
void checkName(const Tree& tree, const std::string& name)
{
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
        throw GitException("cannot check out tree " + tree.id().hex(),
                           Error{GIT_EINVALID, GIT_ERROR_TREE, "unsafe entry name '" + name + "'"});
}

void writeFile(const fs::path& path, std::string_view content, mode_t mode)
{
    // O_EXCL|O_NOFOLLOW: never write through something already there.
    engine::UniqueFd fd(
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd)
        throwErrno("cannot create", path);
    while (!content.empty()) {
        const ssize_t n = ::write(fd.get(), content.data(), content.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throwErrno("cannot write", path);
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    // open() applied the umask; the mode is part of what the commit says.
    if (::fchmod(fd.get(), mode) != 0)
        throwErrno("cannot set mode of", path);
    // Closed by hand: a write the file system reports only now still fails the checkout.
    if (::close(fd.release()) != 0)
        throwErrno("cannot close", path);
}

void writeEntries(const Tree& tree, const fs::path& dir)
{
    git_repository* repo = tree.owner();
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const Tree::Entry entry = tree.entry(i);
        checkName(tree, entry.name);
        const fs::path path = dir / entry.name;
        switch (entry.mode) {
        case FileMode::Tree:
            if (::mkdir(path.c_str(), 0755) != 0)
                throwErrno("cannot create folder", path);
            writeEntries(Tree::lookup(repo, entry.id), path);
            break;
        case FileMode::Blob:
        case FileMode::BlobExecutable:
            writeFile(path, Blob::lookup(repo, entry.id).content(),
                      entry.mode == FileMode::BlobExecutable ? 0755 : 0644);
            break;
        case FileMode::Link: {
            const std::string target(Blob::lookup(repo, entry.id).content());
            if (::symlink(target.c_str(), path.c_str()) != 0)
                throwErrno("cannot create symlink", path);
            break;
        }
        case FileMode::Commit:
        case FileMode::Unreadable:
            break;
        }
    }
}

} // namespace

void checkoutTree(const Tree& tree, const fs::path& dir)
{
    fs::create_directories(dir);
    if (!fs::is_directory(dir))
        throw fs::filesystem_error("cannot check out tree " + tree.id().hex(), dir,
                                   std::make_error_code(std::errc::not_a_directory));
    if (!fs::is_empty(dir))
        throw fs::filesystem_error("cannot check out tree " + tree.id().hex() +
                                       " into a folder that is not empty",
                                   dir, std::make_error_code(std::errc::directory_not_empty));
    writeEntries(tree, dir);
}

} // namespace clade::git
