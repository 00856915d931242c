#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace clade::engine {

/// A writable host folder of a sandbox and the most it may hold.
struct DiskQuota {
    std::filesystem::path host;
    std::string inside;   ///< where the sandbox sees it, for messages: "/output"
    long long bytes = 0;  ///< <= 0: no byte limit
    long long inodes = 0; ///< <= 0: no inode limit (counted as FolderUsage::entries)
};

/// The disk watchdog: polls the sandbox's writable folders while its command runs, for
/// the folders whose own file system does not already hold them to their quota (a
/// scratch tmpfs made by a root engine does; a plain folder of an ordinary user's engine
/// does not). ProcessRunner kills the tree once a folder reaches its quota.
///
/// Polling cannot stop a write as it happens: the command may overshoot by what it writes
/// in one interval. RLIMIT_FSIZE at fileSizeLimit() keeps any single file within the
/// largest quota. The interval is kInterval, stretched to ten times the last measurement's
/// duration so that watching a big tree never takes more than a tenth of a core; each
/// measurement stops as soon as a folder is found at its quota.
class DiskWatch {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr auto kInterval = std::chrono::milliseconds(50);

    explicit DiskWatch(const std::vector<DiskQuota>& quotas);

    /// Whether any folder needs watching.
    bool active() const { return !m_watched.empty(); }

    /// RLIMIT_FSIZE for the command: the largest byte quota of all folders, or 0 (none)
    /// when nothing is watched or a watched folder has no byte limit.
    long long fileSizeLimit() const { return m_fileSizeLimit; }

    /// Measures if an interval has passed since the last measurement; true once a folder
    /// is at or over its quota (overrun() then says which). `force` measures now.
    bool check(Clock::time_point now, bool force = false);

    /// "disk limit 16 MB in /output", "inode limit 4000 in /output", or, for a tree the
    /// watchdog could not measure, "disk limit 16 MB in /output (cannot measure: ...)".
    const std::string& overrun() const { return m_overrun; }

    /// Whether the file system holding `quota.host` is itself no bigger than the quota
    /// (statvfs), so the kernel refuses writes beyond it and polling is not needed.
    static bool heldByFileSystem(const DiskQuota& quota);

private:
    std::vector<DiskQuota> m_watched;
    long long m_fileSizeLimit = 0;
    Clock::time_point m_next{};
    std::string m_overrun;
};

} // namespace clade::engine
