#pragma once

#include "engine/sandbox/SandboxSpec.h"
#include "engine/util/ScratchSpace.h"

#include <filesystem>
#include <mutex>
#include <vector>

namespace clade::engine {

/// The folders BwrapSandbox binds at /tmp and /dev/shm (sub-folders `tmp` and `shm` of one
/// ScratchSpace folder: a tmpfs of limits.tmpMb and limits.scratchInodes as root, else a
/// plain folder). A folder is emptied after its run and kept for the next run with the
/// same limits rather than removed, because removing it is on every command's launch
/// path: unmounting a tmpfs waits for the kernel (~2.5 ms here) and an rmdir on this host's
/// ext4 takes ~4 ms. A folder that cannot be emptied completely, or one more than the pool
/// keeps, is removed. Thread-safe.
class TmpFolderPool {
public:
    TmpFolderPool();

    /// An empty folder for `limits`, its `tmp` and `shm` owned by the sandbox user.
    std::filesystem::path acquire(const SandboxLimits& limits);

    /// Empties `folder` (never following symlinks) and keeps it, or removes it.
    void giveBack(const std::filesystem::path& folder);

    static constexpr size_t kMaxKept = 8;

private:
    struct Kept {
        std::filesystem::path folder;
        int megabytes = 0;
        int inodes = 0;
    };

    bool empty(const std::filesystem::path& folder) const;

    ScratchSpace m_space;
    std::mutex m_mutex;
    std::vector<Kept> m_free;   ///< guarded by m_mutex
    std::vector<Kept> m_inUse;  ///< guarded by m_mutex
};

} // namespace clade::engine
