#include "engine/sandbox/SandboxHost.h"

#include "engine/sandbox/CgroupHost.h"

#include <atomic>
#include <sys/prctl.h>

namespace clade::engine {
namespace {

std::atomic<bool> subreaper{false};

} // namespace

bool becomeChildSubreaper()
{
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        return false;
    subreaper = true;
    return true;
}

bool isChildSubreaper()
{
    return subreaper;
}

int sweepStaleSandboxState()
{
    return CgroupHost::instance().sweepStale();
}

std::vector<std::string> liveSandboxCgroups()
{
    return CgroupHost::instance().liveSandboxCgroups();
}

std::vector<std::string> sandboxCgroupNotes()
{
    return CgroupHost::instance().notes();
}

std::string sandboxSlowLaunchHint()
{
    return CgroupHost::instance().slowMoveHint();
}

} // namespace clade::engine
