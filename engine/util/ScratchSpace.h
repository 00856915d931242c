#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace clade::engine {

/// Temporary folders for sandboxed commands. They live under the system temp folder,
/// not in the run folder, because the sandbox runs as an unprivileged user that must be
/// able to reach every path it mounts (a run under /root is not reachable). One root per
/// engine process; each job gets its own sub-folder, removed when the job ends.
class ScratchSpace {
public:
    /// Creates `<tmp>/clade-scratch-<pid>-XXXXXX` (mode 0711).
    ScratchSpace(uid_t sandboxUid, gid_t sandboxGid);
    ~ScratchSpace();
    ScratchSpace(const ScratchSpace&) = delete;
    ScratchSpace& operator=(const ScratchSpace&) = delete;

    const std::filesystem::path& root() const { return m_root; }

    /// A new empty folder `<root>/<prefix>-<n>`; `sandboxWritable` makes it owned by the
    /// sandbox user (when the engine runs as root) so sandboxed code can write there.
    std::filesystem::path makeFolder(const std::string& prefix, bool sandboxWritable);

    /// Gives a folder tree to the sandbox user (after a checkout the sandbox must edit).
    void handOver(const std::filesystem::path& folder) const;

    /// Removes folders of engines that are no longer running (crashed or killed).
    static void sweepStale();

private:
    std::filesystem::path m_root;
    uid_t m_uid;
    gid_t m_gid;
    std::atomic<int> m_counter{0};
};

/// Removes a folder tree, never following symlinks; errors are ignored (best effort).
void removeTree(const std::filesystem::path& folder);

} // namespace clade::engine
