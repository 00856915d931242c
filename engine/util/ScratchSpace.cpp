#include "engine/util/ScratchSpace.h"

#include "engine/util/InputError.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace clade::engine {
namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "clade-scratch-";

void chownTree(const fs::path& folder, uid_t uid, gid_t gid)
{
    if (::lchown(folder.c_str(), uid, gid) != 0)
        throw std::system_error(errno, std::generic_category(), "cannot chown " + folder.string());
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(folder, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (::lchown(it->path().c_str(), uid, gid) != 0)
            throw std::system_error(errno, std::generic_category(),
                                    "cannot chown " + it->path().string());
}

// When sandboxes run as another user, every folder above the scratch root must let that
// user pass, or bubblewrap fails with a bare "Can't find source path".
void requireTraversable(const fs::path& folder)
{
    for (fs::path p = folder; !p.empty(); p = p.parent_path()) {
        std::error_code ec;
        const auto perms = fs::status(p, ec).permissions();
        if (!ec && (perms & fs::perms::others_exec) == fs::perms::none)
            throw InputError(
                folder.string() + ": the sandbox user cannot reach this temporary folder (" +
                p.string() + " is not searchable by others); set TMPDIR to a folder such as /tmp");
        if (p == p.parent_path())
            break;
    }
}

} // namespace

void removeTree(const fs::path& folder)
{
    std::error_code ec;
    // remove_all does not follow symlinks; it unlinks them.
    fs::remove_all(folder, ec);
}

ScratchSpace::ScratchSpace(uid_t sandboxUid, gid_t sandboxGid)
    : m_uid(sandboxUid), m_gid(sandboxGid)
{
    if (::geteuid() == 0 && sandboxUid != 0)
        requireTraversable(fs::temp_directory_path());
    std::string pattern =
        (fs::temp_directory_path() / (kPrefix + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
        throw std::system_error(errno, std::generic_category(),
                                "cannot create scratch folder in " +
                                    fs::temp_directory_path().string());
    m_root = pattern;
    // Traversable but not listable by the sandbox user: it reaches only what it is given.
    fs::permissions(m_root, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
}

ScratchSpace::~ScratchSpace()
{
    removeTree(m_root);
}

fs::path ScratchSpace::makeFolder(const std::string& prefix, bool sandboxWritable)
{
    const fs::path folder = m_root / (prefix + "-" + std::to_string(++m_counter));
    fs::create_directory(folder);
    fs::permissions(folder, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
    if (sandboxWritable && ::geteuid() == 0)
        handOver(folder);
    return folder;
}

void ScratchSpace::handOver(const fs::path& folder) const
{
    if (::geteuid() == 0)
        chownTree(folder, m_uid, m_gid);
}

void ScratchSpace::sweepStale()
{
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::temp_directory_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) != 0)
            continue;
        const int pid = std::atoi(name.c_str() + std::char_traits<char>::length(kPrefix));
        const bool ownerAlive = pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
        if (!ownerAlive)
            removeTree(entry.path());
    }
}

} // namespace clade::engine
