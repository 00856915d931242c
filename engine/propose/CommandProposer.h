#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/propose/ProposalOutcome.h"
#include "engine/store/Node.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace clade::git {
class Repository;
}

namespace clade::engine {

class GatewayAccess;
class Sandbox;
class ScratchSpace;

/// The `command` proposer (SICA/DGM style self-edit): the agent's own propose command runs
/// in the sandbox on a scratch checkout of the parent (/agent, read-write) with a context
/// folder (/context, read-only) and writes a one-line description to /output. Whatever it
/// changed becomes the child commit; no change, or a failed command, is a failed proposal.
class CommandProposer {
public:
    CommandProposer(const Manifest& manifest, Sandbox& sandbox, ScratchSpace& scratch);

    struct Request {
        const Node& parent;
        int childId;
        std::uint64_t seed;
        const std::vector<Node>& history;
        std::string parentEvaluateLog;
        /// When set, the propose command's output is appended here as it arrives.
        std::filesystem::path liveLog = {};
        /// When set and the manifest asks for it, the propose command can call the model.
        GatewayAccess* gateway = nullptr;
    };

    ProposalOutcome propose(git::Repository& repo, const Request& request,
                            const std::atomic<bool>* cancel = nullptr);

private:
    const Manifest& m_manifest;
    Sandbox& m_sandbox;
    ScratchSpace& m_scratch;
};

} // namespace clade::engine
