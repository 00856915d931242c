#pragma once

#include "engine/sandbox/Sandbox.h"

#include <filesystem>

namespace clade::engine {

class TmpFolderPool;

/// The default backend: bubblewrap with every namespace unshared (no network at all: only
/// a loopback of its own), a new session, no capabilities, a clean environment, as
/// sandboxUid() (never host root). Inside: /usr read-only with the merged-usr symlinks,
/// /etc holding only alternatives, ld.so.cache and localtime (no passwd), a fresh /proc
/// and /dev, a private /tmp and /dev/shm, the spec's mounts, and a read-only root.
/// bwrap itself starts with an environment of only PATH, because /proc/1/environ inside
/// is bwrap's own.
///
/// /tmp and /dev/shm are two sub-folders of one scratch folder per run (TmpFolderPool),
/// not bwrap's own `--tmpfs`: bwrap 0.8's `--size` limits bytes but not inodes, and an
/// unprivileged user cannot mount a tmpfs with nr_inodes outside a user namespace. So as
/// root the folder is a tmpfs of limits.tmpMb and limits.scratchInodes, and as an
/// ordinary user a plain folder that the disk watchdog holds to the same (DiskWatch), like
/// every writable mount (limits.scratchMb, limits.scratchInodes). The folder is emptied
/// when run() returns.
///
/// Limits: wall clock, output and cancel kill the whole namespace. Memory (no swap), pids
/// and the tree's CPU time are held by a cgroup where the engine can make one
/// (CgroupHost), else by a `systemd-run --user --scope` around bwrap where that works
/// (SystemdScope), else only per process by RLIMIT_AS and RLIMIT_CPU; unenforcedLimits()
/// says which. pids counts bwrap's two processes on top of limits.pids. cpuSeconds and
/// peakMemoryKb cover the command, because the cgroup holds the whole tree, or, without
/// one, ProcessRunner's reaper collects bwrap's pid-namespace init (bwrap leaves it to
/// the host's init).
///
/// bwrap reports a command killed by signal n as exit status 128+n; it comes back as
/// signal n, so a command that itself exits with 129..192 reads as a signal. bwrap's own
/// failures (a mount it cannot make, a program it cannot execute) come back as
/// launched == false; a command that exits 1 with nothing on stdout and a first stderr
/// line starting "bwrap: " is taken for one.
class BwrapSandbox final : public Sandbox {
public:
    /// Throws std::runtime_error when `bwrap` is not an executable file. `cgroups` false
    /// leaves cgroups and systemd-run out (for measuring what they cost).
    explicit BwrapSandbox(std::string bwrap = "/usr/bin/bwrap", bool cgroups = true);
    ~BwrapSandbox() override;

    std::string name() const override { return "bwrap"; }
    SandboxResult run(const SandboxSpec& spec, const std::atomic<bool>* cancel = nullptr) override;
    std::vector<std::string> unenforcedLimits() const override;

    /// The bwrap command line run() uses for `spec`, with /tmp and /dev/shm from the
    /// sub-folders `tmp` and `shm` of `tmpFolder` (for logs and tests).
    std::vector<std::string> commandLine(const SandboxSpec& spec,
                                         const std::filesystem::path& tmpFolder) const;

private:
    bool useSystemdScope() const;

    std::string m_bwrap;
    std::vector<std::string> m_systemArgs; ///< read-only system, from the host's layout
    bool m_cgroups = true;
    bool m_setuid = false;                 ///< a setuid bwrap cannot run under no_new_privs
    bool m_disableUserns = false;          ///< --disable-userns needs bwrap 0.8
    std::unique_ptr<TmpFolderPool> m_tmpFolders; ///< each run's /tmp and /dev/shm
};

} // namespace clade::engine
