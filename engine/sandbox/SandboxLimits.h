#pragma once

namespace clade::engine {

/// Limits for one sandboxed command. A value <= 0 means "no limit". The manifest's
/// `limits` objects are read into it; the defaults suit a small Python harness.
struct SandboxLimits {
    double wallSeconds = 120;
    double cpuSeconds = 120; ///< with a cgroup: of the whole tree; else per process
    /// With a cgroup: the tree's memory, files in the private /tmp included, no swap; else
    /// each process's address space (RLIMIT_AS).
    int memoryMb = 1024;
    int pids = 128; ///< processes and threads of the command's tree (cgroup only)
    long long outputBytes = 4 << 20; ///< per stream (stdout, stderr)
    int tmpMb = 256;                 ///< size of the private /tmp and /dev/shm (together)
    /// The most each writable mount (/agent, /output) may hold, what was in it before the
    /// command included. The engine's scratch folders are made this size (ScratchSpace); any
    /// other writable folder is held to it by the disk watchdog (DiskWatch).
    int scratchMb = 1024;
    /// The most files, folders and links in each writable mount, and in /tmp and /dev/shm
    /// (together).
    int scratchInodes = 200000;

    bool operator==(const SandboxLimits&) const = default;
};

} // namespace clade::engine
