#pragma once

#include "engine/sandbox/SandboxResult.h"

#include <atomic>
#include <chrono>
#include <string>
#include <vector>
#include <sys/types.h>

namespace clade::engine {

/// What ProcessRunner starts: one host executable with a complete environment.
struct ProcessRequest {
    std::vector<std::string> argv; ///< argv[0] is an absolute host path (no PATH search)
    std::vector<std::string> env;  ///< the whole environment, "NAME=value" each
    std::string cwd = "/";         ///< host folder, entered after switching user
    SandboxLimits limits;          ///< wall, CPU and output always; memory if limitAddressSpace
    bool limitAddressSpace = true; ///< RLIMIT_AS = limits.memoryMb
    bool noNewPrivileges = true;   ///< PR_SET_NO_NEW_PRIVS (off only for a setuid bwrap)
    /// Give the child a pipe at fd kInfoFd for bwrap's `--info-fd`. The process it names
    /// (bwrap's pid-namespace init) is what gets killed first, and run() waits until it is
    /// gone, because the namespace and everything in it dies with it.
    bool bwrapInfoFd = false;
    /// Exit status 128+n means "killed by signal n" (bwrap reports a killed command so).
    bool signalsAsExitCodes = false;
};

/// fork/exec/poll for both sandbox backends. The child runs only async-signal-safe calls
/// (the engine is multi-threaded): a new session, stdin from /dev/null, stdout and stderr
/// into pipes, every other fd closed, rlimits (core 0, CPU, address space), the switch to
/// sandboxUid() when root, and PR_SET_PDEATHSIG. The parent polls both pipes, keeps up to
/// the output cap, and kills the whole tree on a limit or on cancel. One object per run.
class ProcessRunner {
public:
    static constexpr int kInfoFd = 3;

    explicit ProcessRunner(ProcessRequest request);
    ~ProcessRunner(); ///< kills and reaps a child left behind by an exception
    ProcessRunner(const ProcessRunner&) = delete;
    ProcessRunner& operator=(const ProcessRunner&) = delete;

    SandboxResult run(const std::atomic<bool>* cancel);

private:
    using Clock = std::chrono::steady_clock;
    struct Stream {
        int fd = -1;
        std::string text;
        long long bytes = 0;
    };

    void supervise(const std::atomic<bool>* cancel);
    bool leaderExited() const;
    void readStream(Stream& stream);
    void readInfo();
    void adoptInnerInit(pid_t inner);
    void stop(LimitHit reason);
    void killAll();
    void reap(SandboxResult& result);
    void waitInnerInitGone();
    void closeFds();

    ProcessRequest m_request;
    pid_t m_pid = -1;
    bool m_reaped = false;
    int m_pidfd = -1;       ///< the leader (our child), for prompt wake-up on its exit
    int m_innerPidfd = -1;  ///< bwrap's pid-namespace init
    int m_infoFd = -1;
    std::string m_info;
    Stream m_out;
    Stream m_err;
    LimitHit m_limit = LimitHit::None;
    Clock::time_point m_escalateAt = Clock::time_point::max();
    std::vector<char> m_buffer;
};

} // namespace clade::engine
