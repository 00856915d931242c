#pragma once

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <sys/types.h>

namespace clade::engine {

/// Temporary folders for sandboxed commands. They live under the system temp folder,
/// not in the run folder, because the sandbox runs as an unprivileged user that must be
/// able to reach every path it mounts (a run under /root is not reachable). One root per
/// engine process; each job gets its own sub-folder, removed when the job ends.
class ScratchSpace {
public:
    /// Size of each job folder when it can be its own tmpfs (engine running as root):
    /// sandboxed code then cannot fill the host's disk or its inodes.
    struct Limits {
        long long megabytes = 1024;
        long long inodes = 200000;
    };

    /// Creates `<tmp>/clade-scratch-<pid>-XXXXXX` (mode 0711).
    ScratchSpace(uid_t sandboxUid, gid_t sandboxGid);
    ScratchSpace(uid_t sandboxUid, gid_t sandboxGid, Limits limits);
    ~ScratchSpace();
    ScratchSpace(const ScratchSpace&) = delete;
    ScratchSpace& operator=(const ScratchSpace&) = delete;

    const std::filesystem::path& root() const { return m_root; }

    /// A new empty folder `<root>/<prefix>-<n>`; `sandboxWritable` makes it owned by the
    /// sandbox user (when the engine runs as root) so sandboxed code can write there. As a
    /// tmpfs it has `limits` (a value <= 0: no limit), else the space's own.
    std::filesystem::path makeFolder(const std::string& prefix, bool sandboxWritable);
    std::filesystem::path makeFolder(const std::string& prefix, bool sandboxWritable,
                                     Limits limits);

    /// Gives a folder tree to the sandbox user (after a checkout the sandbox must edit).
    void handOver(const std::filesystem::path& folder) const;

    /// Removes a folder made by makeFolder(), unmounting its tmpfs first.
    void release(const std::filesystem::path& folder);

    /// Whether job folders are size- and inode-limited tmpfs mounts (root only); when not,
    /// `why` says so. The sandbox then holds its writable folders to their limits by
    /// polling them instead (DiskWatch).
    bool limitsFolders(std::string* why = nullptr) const;

    /// Removes folders of engines that are no longer running (crashed or killed), their
    /// tmpfs mounts first. Returns how many engines' folders were removed.
    static int sweepStale();

private:
    void mountRoot();

    std::filesystem::path m_root;
    uid_t m_uid;
    gid_t m_gid;
    Limits m_limits;
    std::atomic<int> m_counter{0};
    std::atomic<bool> m_mountFolders{false};
    std::string m_noMountReason; // guarded by m_mutex once workers run
    mutable std::mutex m_mutex;
    std::set<std::filesystem::path> m_mounted; // guarded by m_mutex
};

/// Unmounts every mount at or below `folder` (deepest first; lazily, so a busy one goes
/// when its last user does). Used before removing scratch folders of a dead engine.
void unmountBelow(const std::filesystem::path& folder);

/// Removes a folder tree, never following symlinks; errors are ignored (best effort).
void removeTree(const std::filesystem::path& folder);

} // namespace clade::engine
