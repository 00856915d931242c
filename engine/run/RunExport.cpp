#include "engine/run/RunExport.h"

#include "engine/review/ReviewQueue.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"

#include <cstdio>
#include <set>
#include <sstream>

namespace clade::engine {

namespace {

std::string csvField(const std::string& value)
{
    if (value.find_first_of(",\"\n\r") == std::string::npos)
        return value;
    std::string quoted = "\"";
    for (char c : value)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string number(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

std::string joinInts(const std::vector<int>& values, char separator)
{
    std::string out;
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? std::string(1, separator) : std::string()) + std::to_string(values[i]);
    return out;
}

} // namespace

nlohmann::json nodeDetailJson(const RunSnapshot& run, const Node& node)
{
    nlohmann::json j = nodeToJson(node);
    RunStore store(RunFolder{run.folder}.database(), Database::Mode::ReadOnly);
    j["decisions"] = nlohmann::json::array();
    for (const auto& d : store.decisionsFor(node.id))
        j["decisions"].push_back(
            {{"action", d.action}, {"who", d.who}, {"time", d.time}, {"note", d.note}, {"details", d.payload}});
    j["findings"] = findingsToJson(loadFindings(run.folder, node.id));
    const auto artifacts = RunFolder{run.folder}.artifacts(node.id);
    nlohmann::json logs = nlohmann::json::object();
    for (const char* name : {"propose.log", "evaluate.log", "metrics.json", "review.json"})
        if (std::filesystem::exists(artifacts / name))
            logs[name] = (artifacts / name).string();
    j["artifacts"] = logs;
    j["ref"] = RunFolder::nodeRef(node.id);
    return j;
}

std::string exportJson(const RunSnapshot& run)
{
    nlohmann::json j;
    j["format"] = "clade-export";
    j["version"] = 1;
    j["run"] = run.config.toJson();
    j["status"] = run.statusJson();
    j["nodes"] = nlohmann::json::array();
    for (const auto& node : run.nodes)
        j["nodes"].push_back(nodeDetailJson(run, node));
    RunStore store(RunFolder{run.folder}.database(), Database::Mode::ReadOnly);
    j["events"] = nlohmann::json::array();
    for (std::int64_t after = 0;;) {
        const auto batch = store.eventsAfter(after, 5000);
        if (batch.empty())
            break;
        for (const auto& e : batch)
            j["events"].push_back({{"seq", e.seq},
                                   {"time", e.time},
                                   {"kind", e.kind},
                                   {"node", e.nodeId},
                                   {"payload", e.payload}});
        after = batch.back().seq;
    }
    return j.dump(2) + "\n";
}

std::string exportCsv(const RunSnapshot& run)
{
    std::set<std::string> tasks(run.config.manifest.tasks.begin(), run.config.manifest.tasks.end());
    for (const auto& node : run.nodes)
        for (const auto& [task, score] : node.results)
            tasks.insert(task);
    std::ostringstream out;
    out << "id,parent,parents,status,flags,score,stage,description,commit,proposer,tokens_in,"
           "tokens_out,cost,diff_files,diff_insertions,diff_deletions,created_at,"
           "propose_seconds,evaluate_seconds,error";
    for (const auto& task : tasks)
        out << "," << csvField("task:" + task);
    out << "\n";
    for (const auto& n : run.nodes) {
        std::string flags;
        for (const auto& f : flagNames(n.flags))
            flags += (flags.empty() ? "" : ";") + f;
        out << n.id << "," << (n.parents.empty() ? "" : std::to_string(n.parents.front())) << ","
            << joinInts(n.parents, ';') << "," << toString(n.status) << "," << flags << ","
            << (n.score ? number(*n.score) : "") << "," << n.stage << ","
            << csvField(n.description) << "," << n.commit << "," << n.proposer.kind << ","
            << n.proposer.tokensIn << "," << n.proposer.tokensOut << "," << number(n.proposer.cost)
            << "," << n.diff.files << "," << n.diff.insertions << "," << n.diff.deletions << ","
            << number(n.createdAt) << "," << number(n.proposeSeconds) << ","
            << number(n.evaluateSeconds) << "," << csvField(n.error);
        for (const auto& task : tasks) {
            const auto it = n.results.find(task);
            out << "," << (it == n.results.end() ? "" : number(it->second));
        }
        out << "\n";
    }
    return out.str();
}

std::string exportDot(const RunSnapshot& run)
{
    std::ostringstream out;
    out << "digraph clade {\n  rankdir=TB;\n  node [shape=box, style=rounded];\n";
    for (const auto& n : run.nodes) {
        std::string label = "#" + std::to_string(n.id) + "\\n" + toString(n.status);
        if (n.score)
            label += "\\n" + number(*n.score);
        out << "  n" << n.id << " [label=\"" << label << "\"" << (n.hasFlag(FlagKept) ? ", penwidth=2" : "")
            << (n.status == NodeStatus::Failed ? ", color=red" : "") << "];\n";
        for (size_t i = 0; i < n.parents.size(); ++i)
            out << "  n" << n.parents[i] << " -> n" << n.id << (i ? " [style=dashed]" : "") << ";\n";
    }
    out << "}\n";
    return out.str();
}

} // namespace clade::engine
