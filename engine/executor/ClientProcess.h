#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace clade::engine {

/// How a client program (srun, squeue, scancel) ended.
struct ClientExit {
    int exitCode = -1; ///< -1 when killed by a signal
    int signal = 0;
    bool ok() const { return exitCode == 0; }
};

/// A cluster client program run by the engine (not agent code: no sandbox), its standard
/// input fed from memory and its standard output handed over as it arrives. The child gets
/// exactly `env` (nothing of the engine's environment otherwise), its own session (a
/// Ctrl-C at the terminal reaches the engine, which decides), and SIGTERM when the thread
/// that started it goes (an engine killed outright: srun then cancels its job).
class ClientProcess {
public:
    /// `argv[0]` is an absolute path.
    ClientProcess(std::vector<std::string> argv, std::vector<std::string> env);
    ~ClientProcess(); ///< kills and reaps a child still running
    ClientProcess(const ClientProcess&) = delete;
    ClientProcess& operator=(const ClientProcess&) = delete;

    /// Starts the program; throws std::runtime_error when it cannot.
    void start();

    /// Writes `input` and closes standard input, hands standard output to `onStdout` as it
    /// arrives, and keeps the last 64 KiB of standard error, until the program has ended.
    /// Once `*cancel` is set: calls `onCancel` once, sends SIGTERM, and SIGKILL 10 s later.
    ClientExit pump(std::string_view input, const std::function<void(std::string_view)>& onStdout,
                    const std::atomic<bool>* cancel = nullptr,
                    const std::function<void()>& onCancel = {});

    const std::string& stderrText() const { return m_stderr; }

private:
    std::vector<std::string> m_argv;
    std::vector<std::string> m_env;
    pid_t m_pid = -1;
    int m_in = -1, m_out = -1, m_err = -1;
    std::string m_stderr;
};

/// Runs a short client command to its end: exit status, standard output and error.
struct ClientOutput {
    ClientExit exit;
    std::string out;
    std::string err;
};
ClientOutput runClient(const std::vector<std::string>& argv, const std::vector<std::string>& env);

} // namespace clade::engine
