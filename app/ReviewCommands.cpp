// clade review / approve / reject / revert / branch / unpin / note / tag / untag / star /
// unstar: the approval queue and a person's decisions, from the command line. Decisions go
// through the run's inbox, so they work the same while a search (GUI or headless) runs.
#include "app/ExitCode.h"
#include "app/VerbParser.h"
#include "app/Verbs.h"
#include "engine/review/Decisions.h"
#include "engine/review/ReviewQueue.h"
#include "engine/util/InputError.h"

#include <nlohmann/json.hpp>

namespace clade::app {

using engine::InputError;

namespace {

std::string findingLine(const engine::Finding& f)
{
    std::string where = f.path.empty() ? std::string() : f.path + (f.line > 0 ? ":" + std::to_string(f.line) : "") + ": ";
    std::string line = "    [" + f.detector + "] " + where + f.message;
    if (!f.excerpt.empty())
        line += "\n        " + f.excerpt;
    return line;
}

int parseNode(const QString& text)
{
    bool ok = false;
    const int id = text.toInt(&ok);
    if (!ok || id < 0)
        throw InputError("NODE: expected a node id (a number >= 0), got '" + text.toStdString() + "'");
    return id;
}

} // namespace

void declareReview(VerbSpec& s)
{
    s.description = "The approval queue: held proposals and held keep decisions, with findings.";
    s.addPositional(ValueSpec::dir("RUN"), "Run folder.");
    s.addOption("json", "Machine-readable output.");
}

int showReviewQueue(const VerbParser& p)
{
    const std::string run = p.requirePositional(0, "RUN (a run folder)").toStdString();
    const auto queue = engine::loadReviewQueue(run);
    if (p.isSet("json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& held : queue)
            out.push_back({{"node", held.node.id},
                           {"parent", held.node.primaryParent()},
                           {"held", held.keepHeld ? "keep" : "proposal"},
                           {"status", engine::toString(held.node.status)},
                           {"description", held.node.description},
                           {"findings", engine::findingsToJson(held.findings)}});
        std::printf("%s\n", out.dump(2).c_str());
        return ExitDone;
    }
    if (queue.empty()) {
        std::printf("nothing awaits review in %s\n", run.c_str());
        return ExitDone;
    }
    for (const auto& held : queue) {
        std::printf("#%d (child of #%d) %s: %s\n", held.node.id, held.node.primaryParent(),
                    held.keepHeld ? "keep decision held" : "proposal awaiting approval",
                    held.node.description.c_str());
        for (const auto& finding : held.findings)
            std::printf("%s\n", findingLine(finding).c_str());
    }
    std::printf("\ndecide with: clade approve|reject %s NODE [--note TEXT]; see a change with: "
                "clade show %s NODE --diff\n",
                run.c_str(), run.c_str());
    return ExitDone;
}

void declareDecision(VerbSpec& s)
{
    s.description = "Record a review decision on a node (applied by the run's owner, or at once "
                    "when no process owns the run).";
    s.addPositional(ValueSpec::dir("RUN"), "Run folder.");
    s.addPositional("NODE", "Node id.");
    if (s.verb == "tag" || s.verb == "untag")
        s.addPositional("TAG", "The tag (one line, at most 64 characters).");
    if (s.verb == "note")
        s.addPositional("TEXT", "The note.");
    s.addOption("note", "Why: kept with the decision in the run's audit trail.", "TEXT");
    if (s.verb == "branch") {
        s.addOption("times", "Expansions that start from NODE (default 1).", "N");
        s.addOption("until-unpinned", "Every expansion starts from NODE until `clade unpin`.");
    }
}

int decide(const VerbParser& p)
{
    const QString verb = p.verb();
    const bool tagging = verb == "tag" || verb == "untag";
    const bool noting = verb == "note";
    engine::DecisionRequest request;
    request.action = verb.toStdString();
    request.nodeId = parseNode(p.requirePositional(1, "NODE (a node id)"));
    request.note = p.value("note").toStdString();
    if (tagging)
        request.payload["tag"] = p.requirePositional(2, "TAG").toStdString();
    if (noting)
        request.note = p.requirePositional(2, "TEXT (the note)").toStdString();
    if (verb == "branch") {
        if (p.isSet("times") && p.isSet("until-unpinned"))
            throw InputError("--times and --until-unpinned: give one of them");
        request.payload["times"] = p.isSet("until-unpinned") ? 0 : p.intValue("times", 1, 1000000).value_or(1);
    }
    const auto receipt = engine::submitDecision(p.requirePositional(0, "RUN (a run folder)").toStdString(), request);
    if (receipt.appliedNow)
        std::printf("%s\n", receipt.outcome.c_str());
    else if (receipt.outcome.rfind("not applied", 0) == 0)
        throw InputError(receipt.outcome);
    else
        std::printf("node %d: %s %s (the run applies it within a second)\n", request.nodeId,
                    request.action.c_str(), receipt.outcome.c_str());
    return ExitDone;
}

} // namespace clade::app
