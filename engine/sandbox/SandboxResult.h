#pragma once

#include "engine/sandbox/PhasePlacement.h"
#include "engine/sandbox/SandboxSpec.h"

#include <string>

namespace clade::engine {

/// Which limit ended a command early (None: it ended by itself). Memory and Pids come
/// from a cgroup (an OOM kill, a fork refused at pids.max); without one a program over
/// RLIMIT_AS sees its own allocation fail and no limit is reported. Disk: a writable folder
/// (or /tmp) reached its byte or inode limit under the disk watchdog (DiskWatch); also when
/// the command had ended before a check saw it.
enum class LimitHit { None, Wall, Cpu, Memory, Pids, Output, Disk, Cancelled };

/// What happened to one sandboxed command.
struct SandboxResult {
    bool launched = false; ///< false: the command never started; launchError says why
    std::string launchError;
    int exitCode = -1; ///< -1 when the command was killed by a signal
    int signal = 0;    ///< the signal that killed it, 0 if none
    LimitHit limit = LimitHit::None;
    std::string stdoutText;    ///< captured, at most limits.outputBytes
    std::string stderrText;    ///< captured, at most limits.outputBytes
    long long stdoutBytes = 0; ///< bytes the command wrote (may exceed the cap)
    long long stderrBytes = 0;
    double wallSeconds = 0;
    /// User + system time. With a cgroup: of the whole tree; else of the command and the
    /// children it waited for.
    double cpuSeconds = 0;
    /// With a cgroup: the tree's peak memory use, page cache and files in the private /tmp
    /// included; else the largest resident set of any one process.
    long long peakMemoryKb = 0;
    SandboxLimits limits;       ///< the limits the command ran with (for describe())
    /// With LimitHit::Disk, which limit of which folder: "disk limit 16 MB in /output",
    /// "inode limit 4000 in /tmp and /dev/shm".
    std::string diskLimit;
    /// Where it ran, when an executor sent it elsewhere (ranHere() for the local sandbox).
    PhasePlacement placement;

    /// Launched, exit status 0, no signal and no limit hit.
    bool succeeded() const;
    /// One line for logs: "exit 0", "exit 3", "signal 11", "killed: wall-clock limit 2 s",
    /// "killed: CPU time limit 1 s", "killed: memory limit 256 MB", "killed: process limit
    /// 128", "killed: output limit 4194304 bytes per stream", "killed: disk limit 16 MB in
    /// /output" (or "exit 0, over disk limit 16 MB in /output" when it ended by itself
    /// before a poll saw it), "cancelled", "not launched: <why>".
    std::string describe() const;
};

} // namespace clade::engine
