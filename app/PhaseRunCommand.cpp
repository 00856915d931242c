// clade phase-run: the compute node's half of a phase that `--executor slurm` sent there.
#include "app/VerbParser.h"
#include "app/Verbs.h"
#include "engine/executor/PhaseRunner.h"

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace clade::app {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void stopPhase(int) { g_stop.store(true); }

} // namespace

void declarePhaseRun(VerbSpec& s)
{
    s.description =
        "The compute node's half of a phase sent by `clade run --executor slurm`: reads the "
        "phase (command, limits, files) from standard input, runs it in this host's sandbox, "
        "and writes its output, result and files to standard output. Started by srun, not "
        "by hand.";
}

int runPhaseRun(const VerbParser&)
{
    // The stream owns standard output: anything else that writes there (a library's
    // message) goes to standard error instead.
    const int stream = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (stream < 0)
        return 1;
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    // Slurm sends SIGTERM on scancel and at a time limit, SIGINT when srun is interrupted.
    struct sigaction action {};
    action.sa_handler = stopPhase;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    const int status = engine::runPhaseStream(STDIN_FILENO, stream, g_stop);
    ::close(stream);
    return status;
}

} // namespace clade::app
