#pragma once

#include "engine/util/UniqueFd.h"

#include <filesystem>

namespace clade::engine {

/// The owner lock of a run folder: one process at a time may run the search and write
/// nodes; any number may read. An flock on `<run>/owner.lock`, released by the kernel
/// when the owner dies (so a crashed run can be resumed at once); the file also holds
/// the owner's pid so that the refusal can name it.
class RunLock {
public:
    /// Throws InputError naming the folder and the live owner's pid if it is held.
    explicit RunLock(const std::filesystem::path& runDir);
    ~RunLock(); ///< closing the file releases the flock
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

    /// The pid of the live owner, or 0 when nobody holds the lock.
    static int ownerPid(const std::filesystem::path& runDir);

private:
    UniqueFd m_fd;
};

} // namespace clade::engine
