#pragma once

#include "engine/sandbox/Sandbox.h"

namespace clade::engine {

/// "unsafe-rlimits": for trusted commands on hosts without bubblewrap, chosen explicitly.
/// The command runs directly on the host (no namespaces) with the same clean environment,
/// rlimits (CPU, address space, no core), user switch (sandboxUid() when root), cgroup
/// (when the engine can make one: memory, pids, the tree's CPU time, tree kill),
/// wall-clock, output and cancel handling as under bwrap.
///
/// There is no mount namespace, so inside paths are translated: an argument, an
/// environment value or the workdir that is a mount's inside path, or starts with it
/// followed by '/', gets that mount's host path instead (the longest match wins). Inside
/// paths embedded elsewhere in a string (`--out=/agent/x`) are not translated.
class RlimitSandbox final : public Sandbox {
public:
    /// `cgroups` false leaves cgroups out (for measuring what they cost).
    explicit RlimitSandbox(bool cgroups = true) : m_cgroups(cgroups) {}

    std::string name() const override { return "unsafe-rlimits"; }
    SandboxResult run(const SandboxSpec& spec, const std::atomic<bool>* cancel = nullptr) override;
    std::vector<std::string> unenforcedLimits() const override;

private:
    bool m_cgroups = true;
};

} // namespace clade::engine
