#include "engine/importers/AideImporter.h"

#include "engine/importers/JsonText.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <map>

namespace clade::engine {
namespace {

std::string idText(const nlohmann::json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number_integer())
        return std::to_string(value.get<long long>());
    if (value.is_object() && value.contains("id"))
        return idText(value["id"]); // a nested parent record
    return {};
}

std::string joinedText(const nlohmann::json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    std::string out;
    if (value.is_array())
        for (const auto& part : value)
            out += part.is_string() ? part.get<std::string>() : part.dump();
    return out;
}

} // namespace

ImportedRun readAideRun(const std::filesystem::path& file)
{
    const LenientJson json = readLenientJson(file);
    const nlohmann::json* nodes = nullptr;
    if (json.value.is_object() && json.value.contains("nodes") && json.value["nodes"].is_array())
        nodes = &json.value["nodes"];
    else if (json.value.is_array())
        nodes = &json.value;
    if (!nodes)
        throw InputError(file.string() + ": expected an AIDE journal: an object with a \"nodes\" array");
    ImportedRun run;
    run.format = "aide";
    run.source = file;
    run.name = file.parent_path().filename().string() + "-aide";
    run.primaryMetric = "metric";
    if (json.nonFiniteNumbers > 0)
        run.warnings.push_back(file.string() + ": " + std::to_string(json.nonFiniteNumbers) +
                               " NaN/Infinity value(s) read as no score");
    noteInvalidUtf8(run.warnings, file, json.invalidUtf8Bytes);
    std::map<std::string, std::string> parentOf;
    if (json.value.is_object() && json.value.contains("node2parent") && json.value["node2parent"].is_object())
        for (const auto& [child, parent] : json.value["node2parent"].items())
            parentOf[child] = idText(parent);

    struct Entry {
        const nlohmann::json* record;
        std::string id;
        long long step;
    };
    std::vector<Entry> entries;
    std::map<std::string, int> seen;
    for (std::size_t i = 0; i < nodes->size(); ++i) {
        const auto& record = (*nodes)[i];
        const std::string id = record.is_object() ? idText(record.value("id", nlohmann::json())) : "";
        if (id.empty() || !record.contains("code")) {
            run.warnings.push_back("node entry " + std::to_string(i) +
                                   ": skipped (expected an object with \"id\" and \"code\")");
            continue;
        }
        if (seen.count(id)) {
            run.warnings.push_back("node " + id + ": duplicate id; the later entry is skipped");
            continue;
        }
        seen[id] = 1;
        const auto step = record.value("step", nlohmann::json());
        entries.push_back({&record, id, step.is_number() ? step.get<long long>() : static_cast<long long>(i)});
        if (record.contains("parent") && !parentOf.count(id))
            if (const std::string parent = idText(record["parent"]); !parent.empty())
                parentOf[id] = parent;
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.step < b.step; });

    ImportedNode root;
    root.sourceId = "root";
    root.description = "AIDE task (a synthetic root: drafts have no parent)";
    root.proposer.kind = "root";
    run.nodes.push_back(std::move(root));

    // Placeholders for parents the journal does not hold, then the nodes by step: a
    // parent's step is always lower than its children's in AIDE.
    std::map<std::string, int> indexOf;
    for (const auto& entry : entries)
        if (const auto it = parentOf.find(entry.id); it != parentOf.end() && !seen.count(it->second) &&
                                                    !indexOf.count(it->second)) {
            ImportedNode placeholder;
            placeholder.sourceId = it->second;
            placeholder.placeholder = true;
            placeholder.parent = 0;
            placeholder.status = NodeStatus::Failed;
            placeholder.description = "missing from the journal: node " + it->second;
            placeholder.error = "the journal names this node as a parent but does not hold it";
            indexOf[it->second] = static_cast<int>(run.nodes.size());
            run.nodes.push_back(std::move(placeholder));
            run.warnings.push_back("node " + entry.id + ": its parent " + it->second +
                                   " is not in the journal (shown as a placeholder)");
        }
    bool directionSet = false;
    for (const auto& entry : entries) {
        const auto& record = *entry.record;
        ImportedNode node;
        node.sourceId = entry.id;
        if (const auto it = parentOf.find(entry.id); it != parentOf.end()) {
            const auto parent = indexOf.find(it->second);
            node.parent = parent != indexOf.end() ? parent->second : 0;
            if (parent == indexOf.end())
                run.warnings.push_back("node " + entry.id + ": its parent " + it->second +
                                       " comes later in the journal; attached to the root");
        } else {
            node.parent = 0;
        }
        node.files["solution.py"] = record["code"].is_string() ? record["code"].get<std::string>() : "";
        const std::string plan = record.value("plan", nlohmann::json()).is_string() ? record["plan"].get<std::string>() : "";
        const std::string firstLine = plan.substr(0, plan.find('\n'));
        node.description = "step " + std::to_string(entry.step) + ": " + elide(firstLine, 160);
        const auto metric = record.value("metric", nlohmann::json());
        const nlohmann::json value = metric.is_object() ? metric.value("value", nlohmann::json()) : metric;
        if (value.is_number())
            node.score = value.get<double>();
        if (metric.is_object() && metric.contains("maximize") && metric["maximize"].is_boolean() && !directionSet) {
            run.direction = metric["maximize"].get<bool>() ? Direction::Maximize : Direction::Minimize;
            directionSet = true;
        }
        if (record.value("is_buggy", false)) {
            node.status = NodeStatus::Failed;
            node.score.reset();
            const auto excType = record.value("exc_type", nlohmann::json());
            node.error = excType.is_string() ? excType.get<std::string>() : "buggy (AIDE's is_buggy)";
        } else if (!node.score) {
            run.warnings.push_back("node " + entry.id + ": no score (metric missing, null or NaN)");
        }
        if (const auto t = record.value("exec_time", nlohmann::json()); t.is_number())
            node.metrics["exec_time"] = t.get<double>();
        if (const auto t = record.value("ctime", nlohmann::json()); t.is_number())
            node.createdAt = t.get<double>();
        nlohmann::json kept = record;
        kept.erase("code"); // in the commit already
        node.artifacts["source.json"] = kept.dump(2) + "\n";
        if (!plan.empty())
            node.artifacts["plan.md"] = plan + "\n";
        if (const std::string out = joinedText(record.value("_term_out", nlohmann::json())); !out.empty())
            node.artifacts["terminal.log"] = out;
        if (const auto analysis = record.value("analysis", nlohmann::json()); analysis.is_string())
            node.artifacts["analysis.md"] = analysis.get<std::string>() + "\n";
        indexOf[entry.id] = static_cast<int>(run.nodes.size());
        run.nodes.push_back(std::move(node));
    }
    return run;
}

} // namespace clade::engine
