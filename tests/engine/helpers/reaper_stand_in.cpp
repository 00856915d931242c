// A stand-in engine for tst_sandbox: runs its arguments as one command under
// ProcessRunner's reaper, as BwrapSandbox does, and waits for it. The test kills this
// process with SIGKILL and checks that nothing it started outlives it.
#include "engine/sandbox/ProcessRunner.h"

#include <cstdio>

using namespace clade::engine;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: reaper_stand_in PROGRAM [ARG...]\n");
        return 2;
    }
    ProcessRequest request;
    request.argv.assign(argv + 1, argv + argc);
    request.env = {"PATH=/usr/bin:/bin"};
    request.reaper = true;
    request.cgroup = false; // nothing else would remove it after the kill
    request.limits.wallSeconds = 60;
    ProcessRunner runner(std::move(request));
    const SandboxResult result = runner.run(nullptr);
    std::printf("%s\n", result.describe().c_str());
    return 0;
}
