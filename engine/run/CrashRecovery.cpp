#include "engine/run/CrashRecovery.h"

#include "engine/git/PackFolderRepair.h"
#include "engine/run/MergeSmallPacks.h"
#include "engine/run/NodeReferences.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/store/RunStore.h"
#include "engine/util/InputError.h"
#include "engine/util/ScratchSpace.h"

#include <spdlog/spdlog.h>

namespace clade::engine {
namespace fs = std::filesystem;

CrashRecovery::CrashRecovery(const RunFolder& folder, RunStore& store)
    : m_folder(folder), m_store(store)
{
}

CrashRecovery::Recovered CrashRecovery::recover() const
{
    ScratchSpace::sweepStale();
    sweepStaleSandboxState(); // cgroups of engines that died (kill -9, power loss)
    Recovered run;
    run.nodes = m_store.loadNodes();
    if (run.nodes.empty() || run.nodes.front().id != 0)
        throw InputError(m_folder.database().string() +
                         ": run has no root node (expected node 0, written when the run was "
                         "created); the run folder is damaged");
    run.nextId = run.nodes.back().id + 1;

    requeueInterrupted(run.nodes);
    removeUnfinishedWrites(run.nextId);
    repairPacks();
    if (const int rewritten = repairNodeReferences(m_folder, run.nodes, run.nextId); rewritten > 0)
        spdlog::warn("{}: rewrote {} node reference(s) from the database", m_folder.root.string(),
                     rewritten);
    run.activeSeconds = std::stod(m_store.meta("active_seconds").value_or("0"));
    return run;
}

void CrashRecovery::requeueInterrupted(std::vector<Node>& nodes) const
{
    // An evaluation that was running when the last owner died is simply re-queued.
    for (auto& node : nodes)
        if (node.status == NodeStatus::Evaluating) {
            m_store.setStatus(node.id, NodeStatus::Proposed);
            m_store.appendEvent(EventKind::Requeued, node.id,
                                {{"reason", "evaluation interrupted by a crash or kill"}});
            node.status = NodeStatus::Proposed;
            spdlog::warn("{}: node {} was being evaluated when the last session ended; re-queued",
                         m_folder.root.string(), node.id);
        }
}

void CrashRecovery::removeUnfinishedWrites(int nextId) const
{
    // A proposal in flight at the crash may have left artifacts or a ref with an id that
    // no row names; the id will be handed out again, so clear them.
    // A writer killed mid-update leaves git's `*.lock` files behind, which would refuse
    // every later update of that ref.
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(m_folder.repo(), ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".lock")
            fs::remove(it->path(), ec);
    for (const auto& entry : fs::directory_iterator(m_folder.artifacts(), ec)) {
        const std::string name = entry.path().filename().string();
        const bool numeric =
            !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
        if (!numeric || std::stoi(name) >= nextId) {
            spdlog::warn("{}: removing artifacts of an unfinished proposal", entry.path().string());
            removeTree(entry.path());
        }
    }
}

void CrashRecovery::repairPacks() const
{
    const git::PackFolderRepair packs = git::repairPackFolder(m_folder.repo());
    if (packs.rebuilt > 0)
        spdlog::warn("{}: rebuilt {} pack index(es) from their packs", m_folder.repo().string(),
                     packs.rebuilt);
    for (const auto& pack : packs.damaged)
        spdlog::error("{}: cannot read this pack; set aside as {}.damaged (git fsck lists what "
                      "is missing)",
                      pack, pack);
    mergeSmallPacks(m_folder);
}

} // namespace clade::engine
