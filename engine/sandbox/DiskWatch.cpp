#include "engine/sandbox/DiskWatch.h"

#include "engine/util/FolderUsage.h"

#include <algorithm>
#include <sys/statvfs.h>

namespace clade::engine {
namespace {

std::string megabytes(long long bytes)
{
    return std::to_string(bytes >> 20) + " MB";
}

} // namespace

bool DiskWatch::heldByFileSystem(const DiskQuota& quota)
{
    struct statvfs info {};
    if (::statvfs(quota.host.c_str(), &info) != 0)
        return false;
    // tmpfs without a size (or nr_inodes) reports 0 blocks (0 inodes): unlimited.
    const auto capacity = static_cast<long long>(info.f_blocks) * static_cast<long long>(info.f_frsize);
    const bool bytesHeld = quota.bytes <= 0 || (info.f_blocks > 0 && capacity <= quota.bytes);
    const bool inodesHeld =
        quota.inodes <= 0 || (info.f_files > 0 && static_cast<long long>(info.f_files) <= quota.inodes);
    return bytesHeld && inodesHeld;
}

DiskWatch::DiskWatch(const std::vector<DiskQuota>& quotas)
{
    long long largest = 0;
    bool unlimitedBytes = false;
    for (const auto& quota : quotas) {
        if (quota.bytes <= 0)
            unlimitedBytes = true;
        largest = std::max(largest, quota.bytes);
        if (!heldByFileSystem(quota))
            m_watched.push_back(quota);
    }
    // Over all folders, watched or not: RLIMIT_FSIZE binds files everywhere, and must not
    // cut a file short that a tmpfs of a larger quota would hold.
    if (!m_watched.empty() && !unlimitedBytes)
        m_fileSizeLimit = largest;
}

bool DiskWatch::check(Clock::time_point now, bool force)
{
    if (!m_overrun.empty())
        return true;
    if (m_watched.empty() || (!force && now < m_next))
        return false;
    const auto started = Clock::now();
    for (const auto& quota : m_watched) {
        const FolderUsage usage = measureFolder(quota.host, quota.bytes, quota.inodes);
        const std::string where = " in " + quota.inside;
        if (quota.bytes > 0 && usage.bytes >= quota.bytes)
            m_overrun = "disk limit " + megabytes(quota.bytes) + where;
        else if (quota.inodes > 0 && usage.entries >= quota.inodes)
            m_overrun = "inode limit " + std::to_string(quota.inodes) + where;
        else if (!usage.unmeasured.empty())
            m_overrun = (quota.bytes > 0 ? "disk limit " + megabytes(quota.bytes)
                                         : "inode limit " + std::to_string(quota.inodes)) +
                        where + " (cannot measure: " + usage.unmeasured + ")";
        if (!m_overrun.empty())
            return true;
    }
    const auto took = Clock::now() - started;
    m_next = Clock::now() + std::max<Clock::duration>(kInterval, took * 10);
    return false;
}

} // namespace clade::engine
