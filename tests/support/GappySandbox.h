#pragma once
// A sandbox backend that reports limits it does not enforce whatever the host: bwrap's own
// gaps depend on the host's cgroups, so a test of what the explorer and `clade status` say
// about them cannot rely on the real one. It runs nothing.

#include "engine/sandbox/Sandbox.h"

namespace testsupport {

class GappySandbox : public clade::engine::Sandbox {
public:
    std::string name() const override { return "bwrap"; }
    clade::engine::SandboxResult run(const clade::engine::SandboxSpec&,
                                     const std::atomic<bool>*) override
    {
        return {};
    }
    std::vector<std::string> unenforcedLimits() const override
    {
        return {"memory: RLIMIT_AS caps each process's address space, not the tree's total",
                "pids: not limited"};
    }
};

} // namespace testsupport
