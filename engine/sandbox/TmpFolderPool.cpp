#include "engine/sandbox/TmpFolderPool.h"

#include "engine/sandbox/SandboxUser.h"

#include <algorithm>
#include <unistd.h>
#include <vector>

namespace clade::engine {
namespace fs = std::filesystem;
namespace {

constexpr const char* kParts[] = {"tmp", "shm"};
// More entries than this left in /tmp: removing the whole folder is cheaper (as root an
// unmount frees a tmpfs at once) than unlinking them one by one.
constexpr size_t kMaxEntriesToEmpty = 256;
// As on a host: anyone may create there, only the owner may remove (sticky bit).
constexpr fs::perms kTmpMode = fs::perms::all | fs::perms::sticky_bit;

} // namespace

TmpFolderPool::TmpFolderPool() : m_space(sandboxUid(), sandboxGid()) {}

fs::path TmpFolderPool::acquire(const SandboxLimits& limits)
{
    {
        std::lock_guard lock(m_mutex);
        const auto same = std::find_if(m_free.begin(), m_free.end(), [&](const Kept& kept) {
            return kept.megabytes == limits.tmpMb && kept.inodes == limits.scratchInodes;
        });
        if (same != m_free.end()) {
            m_inUse.push_back(*same);
            m_free.erase(same);
            return m_inUse.back().folder;
        }
    }
    const fs::path folder =
        m_space.makeFolder("tmp", false, {limits.tmpMb, limits.scratchInodes});
    for (const char* part : kParts) {
        fs::create_directory(folder / part);
        fs::permissions(folder / part, kTmpMode);
    }
    m_space.handOver(folder);
    std::lock_guard lock(m_mutex);
    m_inUse.push_back({folder, limits.tmpMb, limits.scratchInodes});
    return folder;
}

void TmpFolderPool::giveBack(const fs::path& folder)
{
    Kept kept;
    {
        std::lock_guard lock(m_mutex);
        const auto it = std::find_if(m_inUse.begin(), m_inUse.end(),
                                     [&](const Kept& k) { return k.folder == folder; });
        if (it == m_inUse.end())
            return;
        kept = *it;
        m_inUse.erase(it);
    }
    if (!empty(folder)) {
        m_space.release(folder);
        return;
    }
    std::lock_guard lock(m_mutex);
    if (m_free.size() >= kMaxKept) {
        m_space.release(m_free.front().folder);
        m_free.erase(m_free.begin());
    }
    m_free.push_back(kept);
}

// What the command left, removed; the folders' own mode and owner as acquire() made them
// (the command may have changed both). True when nothing is left.
bool TmpFolderPool::empty(const fs::path& folder) const
{
    std::error_code error;
    for (const char* part : kParts) {
        const fs::path dir = folder / part;
        // lstat: the command cannot have replaced the folder (the parent is not its), but
        // a symlink here would be followed by everything below.
        if (!fs::is_directory(fs::symlink_status(dir, error)))
            return false;
        fs::permissions(dir, kTmpMode, error);
        if (error)
            return false;
        std::vector<fs::path> left;
        for (auto it = fs::directory_iterator(dir, error); !error && it != fs::directory_iterator();
             it.increment(error))
            if (left.size() < kMaxEntriesToEmpty + 1)
                left.push_back(it->path());
        if (error || left.size() > kMaxEntriesToEmpty)
            return false;
        for (const auto& entry : left)
            removeTree(entry); // unlinks symlinks, never follows them
        const bool nothingLeft = fs::is_empty(dir, error);
        if (error || !nothingLeft)
            return false;
        if (::geteuid() == 0 && ::lchown(dir.c_str(), sandboxUid(), sandboxGid()) != 0)
            return false;
    }
    return true;
}

} // namespace clade::engine
