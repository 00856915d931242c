#include "engine/propose/CommandProposer.h"

#include "engine/eval/Evaluator.h"
#include "engine/eval/GatewayAccess.h"
#include "engine/eval/PhaseLog.h"
#include "engine/git/Repository.h"
#include "engine/propose/ProposeContext.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/util/InputError.h"
#include "engine/util/SafeRead.h"
#include "engine/util/ScratchSpace.h"
#include "engine/util/Utf8Text.h"

#include <chrono>
#include <optional>

namespace clade::engine {
namespace fs = std::filesystem;

namespace {

std::string firstLine(std::string text)
{
    const auto end = text.find_first_of("\r\n");
    if (end != std::string::npos)
        text.resize(end);
    const auto first = text.find_first_not_of(" \t");
    const auto last = text.find_last_not_of(" \t");
    if (first == std::string::npos)
        return {};
    return elide(std::string_view(text).substr(first, last - first + 1), 200);
}

} // namespace

CommandProposer::CommandProposer(const Manifest& manifest, Sandbox& sandbox, ScratchSpace& scratch)
    : m_manifest(manifest), m_sandbox(sandbox), m_scratch(scratch)
{
}

ProposalOutcome CommandProposer::propose(git::Repository& repo, const Request& request,
                                         const std::atomic<bool>* cancel)
{
    const auto started = std::chrono::steady_clock::now();
    ProposalOutcome outcome;
    if (!m_manifest.propose)
        throw InputError(m_manifest.file.string() +
                         ": field 'propose': expected a propose command for the command proposer");

    const SandboxLimits& limits = m_manifest.propose->limits;
    const fs::path work =
        m_scratch.makeFolder("propose", false, {limits.scratchMb, limits.scratchInodes});
    const fs::path tree = work / "agent";
    const fs::path context = work / "context";
    const fs::path output = work / "output";
    const git::Oid parentCommit = git::Oid::fromHex(request.parent.commit);
    repo.checkout(parentCommit, tree);
    writeProposeContext(context, request.parent, request.history, request.parentEvaluateLog);
    fs::create_directory(output);
    m_scratch.handOver(tree);
    m_scratch.handOver(output);

    SandboxSpec spec;
    spec.argv = m_manifest.propose->argv;
    spec.mounts = {{tree, "/agent", true}, {context, "/context", false}, {output, "/output", true}};
    spec.workdir = "/agent";
    spec.env = {{"CLADE_SEED", std::to_string(request.seed)},
                {"CLADE_NODE_ID", std::to_string(request.childId)},
                {"CLADE_PARENT_ID", std::to_string(request.parent.id)},
                {"CLADE_CONTEXT", "/context"},
                {"CLADE_OUTPUT", "/output"}};
    spec.limits = m_manifest.propose->limits;
    spec.liveOutput = request.liveLog;
    std::optional<GatewayAccess::Lease> lease;
    if (request.gateway && m_manifest.gatewayFor("propose"))
        lease.emplace(request.gateway->open(spec, "propose"));
    const SandboxResult result = m_sandbox.run(spec, cancel);
    lease.reset();
    outcome.log = formatPhaseLog("propose", result);
    if (!result.placement.ranHere())
        outcome.placements.push_back({"propose", result.placement});

    auto finish = [&](ProposalOutcome::Kind kind, std::string error) {
        outcome.kind = kind;
        outcome.error = std::move(error);
        outcome.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        m_scratch.release(work);
        return outcome;
    };
    if (result.limit == LimitHit::Cancelled)
        return finish(ProposalOutcome::Kind::Cancelled, "cancelled");
    if (!result.launched)
        throw std::runtime_error("cannot start the sandbox: " + result.launchError);
    if (!result.succeeded())
        return finish(ProposalOutcome::Kind::Failed, "propose command " + result.describe());

    std::string why;
    const auto description = readSandboxFile(output, "description.txt", 4096, &why);
    int invalidBytes = 0;
    outcome.description = description ? firstLine(toValidUtf8(*description, &invalidBytes)) : std::string();
    if (invalidBytes > 0)
        outcome.log += "description.txt: " + std::to_string(invalidBytes) +
                       " byte(s) that are not UTF-8, replaced with U+FFFD\n";
    if (outcome.description.empty())
        outcome.description = "(no description)";

    const git::Oid child =
        repo.commitDirectory(tree, {parentCommit},
                             outcome.description + "\n\nclade-node: " +
                                 std::to_string(request.childId) + "\n",
                             m_manifest.ignore);
    if (repo.treeOf(child) == repo.treeOf(parentCommit))
        return finish(ProposalOutcome::Kind::Failed, "propose command made no change");
    const auto stats = repo.diffStats(parentCommit, child);
    outcome.diff = {stats.filesChanged, stats.insertions, stats.deletions};
    outcome.commit = child.hex();
    return finish(ProposalOutcome::Kind::Proposed, {});
}

} // namespace clade::engine
