// clade audit: the run's audit trail — every review decision a person took, oldest first.
// Read-only, so safe while the run goes on.
#include "app/ExitCode.h"
#include "app/HeadlessPrinter.h"
#include "app/VerbParser.h"
#include "app/Verbs.h"
#include "engine/review/Decisions.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "engine/util/InputError.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <set>

namespace clade::app {

using engine::InputError;

namespace {

// How the trail names an action; the others read as their own names.
std::string actionLabel(const std::string& action)
{
    return action == engine::DecisionAction::Edit ? "hand edit" : action;
}

// "2 findings (risky-call, change-size)": what the reviewer was shown when deciding.
std::string findingsShown(const nlohmann::json& findings)
{
    if (!findings.is_array() || findings.empty())
        return {};
    std::vector<std::string> detectors;
    for (const auto& finding : findings) {
        const std::string detector =
            finding.is_object() ? finding.value("detector", std::string()) : std::string();
        if (!detector.empty() &&
            std::find(detectors.begin(), detectors.end(), detector) == detectors.end())
            detectors.push_back(detector);
    }
    std::string text =
        std::to_string(findings.size()) + (findings.size() == 1 ? " finding" : " findings");
    for (std::size_t i = 0; i < detectors.size(); ++i)
        text += (i ? ", " : " (") + detectors[i] + (i + 1 == detectors.size() ? ")" : "");
    return text;
}

// One field under a decision; text of several lines keeps its lines, indented.
void printField(const char* name, const std::string& text)
{
    if (text.empty())
        return;
    std::string shown;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        shown += (start ? "\n             " : "") + line;
        start = end + 1;
    }
    std::printf("    %-8s %s\n", name, shown.c_str());
}

void printTrail(const std::string& run, const std::vector<engine::Decision>& decisions)
{
    std::size_t nodeWidth = 0;
    std::size_t actionWidth = 0;
    for (const auto& d : decisions) {
        nodeWidth = std::max(nodeWidth, std::to_string(d.nodeId).size() + 1);
        actionWidth = std::max(actionWidth, actionLabel(d.action).size());
    }
    std::printf("%zu review decision%s in %s, oldest first\n", decisions.size(),
                decisions.size() == 1 ? "" : "s", run.c_str());
    for (const auto& d : decisions) {
        const std::string node = "#" + std::to_string(d.nodeId);
        std::printf("%s  %-*s  %-*s  by %s\n", formatTime(d.time).c_str(), int(nodeWidth),
                    node.c_str(), int(actionWidth), actionLabel(d.action).c_str(), d.who.c_str());
        printField("outcome", d.payload.value("outcome", std::string()));
        printField("note", d.note);
        printField("shown", findingsShown(d.payload.value("findings", nlohmann::json::array())));
    }
}

} // namespace

void declareAudit(VerbSpec& s)
{
    s.description = "The run's audit trail: every review decision (approve, reject, hand edit, "
                    "revert, branch, unpin, note, tag, star, ...), oldest first, with when it "
                    "was taken, the node, who took it, what it did, the note and the findings "
                    "the person was shown. Decisions still waiting for the run's owner are "
                    "counted at the end.";
    s.addPositional(ValueSpec::dir("RUN"), "Run folder.");
    s.addOption("json", "Machine-readable output: the run, its decisions (id, node, action, who, "
                        "time, note, details) and how many are pending.");
}

int showAudit(const VerbParser& p)
{
    const auto args = p.positional();
    if (args.size() > 1)
        throw InputError("unexpected argument '" + args.at(1).toStdString() +
                         "' (see `clade audit --help`)");
    const engine::RunFolder folder{
        std::filesystem::absolute(p.requirePositional(0, "RUN (a run folder)").toStdString())
            .lexically_normal()};
    folder.requireValid();
    engine::RunStore store(folder.database(), engine::Database::Mode::ReadOnly);
    const std::vector<engine::Decision> decisions = store.allDecisions();
    const std::size_t pending = store.pendingDecisions().size();

    if (p.isSet("json")) {
        nlohmann::json out{{"run", folder.root.string()},
                           {"decisions", nlohmann::json::array()},
                           {"pending", pending}};
        for (const auto& d : decisions)
            out["decisions"].push_back(engine::decisionToJson(d));
        std::printf("%s\n",
                    out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return ExitDone;
    }
    if (decisions.empty())
        std::printf("no review decisions in %s yet\n", folder.root.c_str());
    else
        printTrail(folder.root.string(), decisions);
    if (pending > 0)
        std::printf("%zu more decision%s wait%s for the run's owner to apply %s\n", pending,
                    pending == 1 ? "" : "s", pending == 1 ? "s" : "", pending == 1 ? "it" : "them");
    return ExitDone;
}

} // namespace clade::app
