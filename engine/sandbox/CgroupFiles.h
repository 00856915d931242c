#pragma once

#include "engine/util/UniqueFd.h"

#include <optional>
#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

// Small helpers for cgroup control files and /proc, shared by CgroupHost, SandboxCgroup and
// the orphan reaper. Control files are tiny and their values change on every read, so
// they are read whole with one read() (or pread() at offset 0 on a kept-open fd).
namespace clade::engine::cgroupfs {

/// The file's text, or nullopt when it cannot be opened or read.
std::optional<std::string> readText(const std::string& path);

/// The text behind an open control file, read again from offset 0.
std::optional<std::string> readFd(int fd);

/// Writes `text` in one write(); false with errno set on failure.
bool writeText(const std::string& path, const std::string& text);

/// The value after `key` in "key value" lines (memory.events, cpu.stat, pids.events,
/// memory.oom_control); nullopt when no line has the key.
std::optional<long long> keyedValue(const std::string& text, const std::string& key);

/// The first number in `text` ("123\n"), nullopt for "max" or nothing.
std::optional<long long> leadingNumber(const std::string& text);

/// Pids listed in a cgroup.procs file (empty when it cannot be read).
std::vector<pid_t> readPids(const std::string& procsPath);

/// True if `pid` exists (a zombie counts), as kill(pid, 0) sees it.
bool processExists(pid_t pid);

/// Opens a pidfd; none when the process is gone or the kernel lacks pidfd_open.
UniqueFd openPidfd(pid_t pid);

/// SIGKILL through a pidfd, which cannot hit a reused pid.
void killPidfd(int pidfd);

/// True once the process behind `pidfd` has exited.
bool pidfdExited(int pidfd);

/// True if /proc/<pid>/cgroup has the line `line` ("4:memory:/a/b" or "0::/a/b") or a
/// line for a cgroup below it.
bool processInCgroup(pid_t pid, const std::string& line);

/// Pids in the cgroup at `dir` and every cgroup below it.
std::vector<pid_t> treePids(const std::string& dir);

/// SIGKILLs every process in the cgroup tree at `dir` and waits up to `budgetMs` for it to
/// be empty (0: one round, no waiting). Uses cgroup.kill where the kernel has it (v2, 5.14+), which also catches a
/// process forked during the kill; else reads cgroup.procs again and again, killing each
/// member through a pidfd after checking, by `procLine` (see processInCgroup), that the
/// pid still names a member. Returns true when cgroup.procs is empty. Every pid seen is
/// added to `seen` if given (orphans to reap later).
bool killMembers(const std::string& dir, const std::string& procLine, int budgetMs,
                 std::set<pid_t>* seen = nullptr);

/// Removes an empty cgroup folder and, depth first, every cgroup below it; retries for a
/// while when the kernel still counts exiting tasks (EBUSY). False if something stayed.
bool removeCgroupTree(const std::string& dir);

} // namespace clade::engine::cgroupfs
