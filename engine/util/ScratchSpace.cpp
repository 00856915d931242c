#include "engine/util/ScratchSpace.h"

#include "engine/util/InputError.h"
#include "engine/util/MountInfo.h"

#include <cerrno>
#include <cstring>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

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

// Why job folders are plain folders after a tmpfs mount failed (e.g. root without
// CAP_SYS_ADMIN in a container).
std::string cannotMountReason(int error)
{
    return std::string("disk: cannot mount a tmpfs for scratch folders (") + std::strerror(error) +
           "); they are plain folders";
}

} // namespace

void unmountBelow(const fs::path& folder)
{
    // /proc/self/mountinfo field 5 is the mount point, with spaces etc. escaped as \ooo.
    std::ifstream in("/proc/self/mountinfo");
    std::vector<std::string> points;
    const std::string prefix = folder.string();
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string field;
        for (int i = 0; i < 5 && fields >> field; ++i) {
        }
        const std::string point = unescapeMountField(field);
        if (point == prefix || point.rfind(prefix + "/", 0) == 0)
            points.push_back(point);
    }
    std::sort(points.begin(), points.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const auto& point : points)
        ::umount2(point.c_str(), MNT_DETACH);
}

void removeTree(const fs::path& folder)
{
    std::error_code ec;
    // remove_all does not follow symlinks; it unlinks them.
    fs::remove_all(folder, ec);
}

ScratchSpace::ScratchSpace(uid_t sandboxUid, gid_t sandboxGid)
    : ScratchSpace(sandboxUid, sandboxGid, Limits{})
{
}

ScratchSpace::ScratchSpace(uid_t sandboxUid, gid_t sandboxGid, Limits limits)
    : m_uid(sandboxUid), m_gid(sandboxGid), m_limits(limits)
{
    const char* setting = std::getenv("CLADE_SCRATCH_TMPFS");
    if (::geteuid() != 0)
        m_noMountReason = "disk: the candidate's scratch folders are plain folders, not a "
                          "size- and inode-limited tmpfs each (that needs the engine to run "
                          "as root)";
    else if (setting && std::string(setting) == "off")
        m_noMountReason = "disk: scratch tmpfs turned off (CLADE_SCRATCH_TMPFS=off)";
    else
        m_mountFolders = true;
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
    if (m_mountFolders)
        mountRoot();
}

void ScratchSpace::mountRoot()
{
    // The job folders are mount points made and removed for every proposal and
    // evaluation. On the disk, each removed folder leaves an inode that a file system
    // without a journal (ext4 in no-journal mode) skips over, for minutes, at every later
    // file creation in the same block group: the run folder's packs and artifacts paid
    // for it (BENCHMARKS.md, "File creation after deletions"). A tmpfs under them keeps
    // that churn off the disk. It holds nothing but the mount points while job folders
    // are tmpfs mounts of their own; its limits are a job folder's.
    const std::string options = "mode=0711,size=" + std::to_string(std::max(1LL, m_limits.megabytes)) +
                                "m,nr_inodes=" + std::to_string(std::max(1024LL, m_limits.inodes));
    if (::mount("tmpfs", m_root.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
        m_noMountReason = cannotMountReason(errno);
        m_mountFolders = false;
    }
}

ScratchSpace::~ScratchSpace()
{
    unmountBelow(m_root);
    removeTree(m_root);
}

bool ScratchSpace::limitsFolders(std::string* why) const
{
    std::lock_guard lock(m_mutex);
    if (why)
        *why = m_noMountReason;
    return m_mountFolders;
}

void ScratchSpace::release(const fs::path& folder)
{
    bool mounted = false;
    {
        std::lock_guard lock(m_mutex);
        mounted = m_mounted.erase(folder) > 0;
    }
    if (mounted)
        ::umount2(folder.c_str(), MNT_DETACH);
    removeTree(folder);
}

fs::path ScratchSpace::makeFolder(const std::string& prefix, bool sandboxWritable)
{
    return makeFolder(prefix, sandboxWritable, m_limits);
}

fs::path ScratchSpace::makeFolder(const std::string& prefix, bool sandboxWritable, Limits limits)
{
    const fs::path folder = m_root / (prefix + "-" + std::to_string(++m_counter));
    fs::create_directory(folder);
    if (m_mountFolders) {
        // A tmpfs of its own: sandboxed writes are bounded in bytes and inodes and never
        // reach the host's disk. MS_NOSUID|MS_NODEV: nothing planted there gains anything.
        // (size=0 or nr_inodes=0 would mean unlimited; a limit <= 0 is left at the default.)
        std::string options = "mode=0755";
        if (limits.megabytes > 0)
            options += ",size=" + std::to_string(limits.megabytes) + "m";
        if (limits.inodes > 0)
            options += ",nr_inodes=" + std::to_string(limits.inodes);
        if (::mount("tmpfs", folder.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
            std::lock_guard lock(m_mutex);
            m_mounted.insert(folder);
        } else {
            // E.g. root without CAP_SYS_ADMIN in a container: say so, go on unlimited.
            std::lock_guard lock(m_mutex);
            m_noMountReason = cannotMountReason(errno);
            m_mountFolders = false;
        }
    }
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

int ScratchSpace::sweepStale()
{
    int removed = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::temp_directory_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) != 0)
            continue;
        const int pid = std::atoi(name.c_str() + std::char_traits<char>::length(kPrefix));
        const bool ownerAlive = pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
        if (!ownerAlive) {
            unmountBelow(entry.path());
            removeTree(entry.path());
            ++removed;
        }
    }
    return removed;
}

} // namespace clade::engine
