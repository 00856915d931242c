#include "engine/review/Decisions.h"

#include "engine/review/DecisionApplier.h"
#include "engine/review/DecisionRules.h"
#include "engine/review/ReviewQueue.h"
#include "engine/store/RunLock.h"
#include "engine/store/RunStore.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <pwd.h>
#include <unistd.h>

namespace clade::engine {

const std::vector<std::string>& decisionActions()
{
    namespace A = DecisionAction;
    static const std::vector<std::string> names{A::Approve, A::Reject, A::Edit,  A::Revert,
                                                A::Branch,  A::Unpin,  A::Note,  A::Tag,
                                                A::Untag,   A::Star,   A::Unstar};
    return names;
}

std::set<int> personRevertedNodes(RunStore& store)
{
    return store.nodesWithDecision(DecisionAction::Revert);
}

std::string currentUserName()
{
    // getpwuid_r: the GUI may ask from a worker thread.
    passwd entry{};
    passwd* found = nullptr;
    char buffer[4096];
    if (::getpwuid_r(::getuid(), &entry, buffer, sizeof buffer, &found) == 0 && found &&
        found->pw_name && *found->pw_name)
        return found->pw_name;
    return "uid " + std::to_string(::getuid());
}

DecisionReceipt submitDecision(const std::filesystem::path& runDir, const DecisionRequest& request)
{
    const RunFolder folder{std::filesystem::absolute(runDir).lexically_normal()};
    folder.requireValid();
    RunStore store(folder.database());
    Decision decision;
    decision.nodeId = request.nodeId;
    decision.action = request.action;
    decision.who = currentUserName();
    decision.time = unixNow();
    // A note or a tag is a person's text, kept in JSON and shown everywhere: repaired here,
    // where it enters, and counted for the caller to report.
    int invalidBytes = 0;
    decision.note = toValidUtf8(request.note, &invalidBytes);
    decision.payload = request.payload.is_object() ? request.payload : nlohmann::json::object();
    for (auto& [key, value] : decision.payload.items())
        if (value.is_string()) {
            int bad = 0;
            value = toValidUtf8(value.get_ref<const std::string&>(), &bad);
            invalidBytes += bad;
        }
    const auto node = store.loadNode(request.nodeId);
    if (!node)
        throw InputError(folder.root.string() + ": node " + std::to_string(request.nodeId) +
                         " does not exist (expected a node id of this run; see clade status)");
    if (const std::string why = whyDecisionDoesNotFit(*node, decision); !why.empty())
        throw InputError(folder.root.string() + ": " + why);
    // Approve, reject and edit settle a held node; two of them queued at once would leave
    // the second to fail later, where the person who asked no longer sees it.
    const auto settles = [](const std::string& action) {
        return action == DecisionAction::Approve || action == DecisionAction::Reject ||
               action == DecisionAction::Edit;
    };
    if (settles(decision.action))
        for (const auto& pending : store.pendingDecisions())
            if (pending.nodeId == decision.nodeId && settles(pending.action))
                throw InputError(folder.root.string() + ": node " + std::to_string(decision.nodeId) +
                                 " already has " + (pending.action == DecisionAction::Approve ? "an " : "a ") + pending.action + " by " + pending.who +
                                 " waiting for the run's owner to apply it");
    // The audit trail keeps what the person was shown when deciding.
    decision.payload["findings"] = findingsToJson(loadFindings(folder.root, node->id));

    DecisionReceipt receipt;
    receipt.invalidUtf8Bytes = invalidBytes;
    std::unique_ptr<RunLock> lock;
    if (RunLock::ownerPid(folder.root) == 0) {
        try {
            lock = std::make_unique<RunLock>(folder.root);
        } catch (const InputError&) {
            // An owner started a moment ago: the inbox it polls takes the decision.
        }
    }
    receipt.inboxId = store.enqueueDecision(decision);
    if (!lock) {
        receipt.outcome = "queued for the run's owner (pid " +
                          std::to_string(RunLock::ownerPid(folder.root)) + ")";
        return receipt;
    }
    decision.id = receipt.inboxId;
    DecisionApplier applier(folder, store, [&store] { return store.maxNodeId() + 1; });
    const auto result = applier.apply(decision);
    receipt.appliedNow = result.applied;
    receipt.outcome = result.outcome;
    return receipt;
}

} // namespace clade::engine
