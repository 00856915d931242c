#include "engine/importers/AdasImporter.h"

#include "engine/importers/JsonText.h"
#include "engine/util/InputError.h"

#include <algorithm>
#include <regex>

namespace clade::engine {
namespace {

std::string textOf(const nlohmann::json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_null())
        return {};
    return value.dump(2); // ADAS's thought may be an object ({"reasoning": ..., ...})
}

// "initial" sorts before every numbered generation; anything else after them.
long long generationKey(const nlohmann::json& generation)
{
    if (generation.is_number_integer())
        return generation.get<long long>();
    if (generation.is_number())
        return static_cast<long long>(generation.get<double>());
    if (generation.is_string() && generation.get<std::string>() == "initial")
        return -1;
    return 1LL << 60;
}

void addFitness(ImportedNode& node, const std::string& prefix, const AdasFitness& fitness)
{
    node.metrics[prefix + "_median_percent"] = fitness.median;
    node.metrics[prefix + "_ci_low_percent"] = fitness.low;
    node.metrics[prefix + "_ci_high_percent"] = fitness.high;
}

} // namespace

std::optional<AdasFitness> parseAdasFitness(const std::string& text)
{
    static const std::regex interval(R"(\(\s*(-?[0-9.]+)%?\s*,\s*(-?[0-9.]+)%?\s*\))");
    static const std::regex median(R"(Median:\s*(-?[0-9.]+)%?)");
    std::smatch match;
    AdasFitness fitness;
    try {
        if (std::regex_search(text, match, median)) {
            fitness.median = std::stod(match[1]);
        } else {
            std::size_t used = 0;
            fitness.median = std::stod(text, &used); // a bare number
            if (text.find_first_not_of(" %\t\n", used) != std::string::npos)
                return std::nullopt;
            fitness.low = fitness.high = fitness.median;
            return fitness;
        }
        if (std::regex_search(text, match, interval)) {
            fitness.low = std::stod(match[1]);
            fitness.high = std::stod(match[2]);
        } else {
            fitness.low = fitness.high = fitness.median;
        }
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return fitness;
}

ImportedRun readAdasRun(const std::filesystem::path& file)
{
    const LenientJson json = readLenientJson(file);
    if (!json.value.is_array())
        throw InputError(file.string() + ": expected a JSON array of ADAS agents "
                                         "({thought, name, code, fitness, generation})");
    ImportedRun run;
    run.format = "adas";
    run.source = file;
    run.name = file.stem().string();
    run.primaryMetric = "fitness_median";
    if (json.nonFiniteNumbers > 0)
        run.warnings.push_back(file.string() + ": " + std::to_string(json.nonFiniteNumbers) +
                               " NaN/Infinity value(s) read as missing");
    noteInvalidUtf8(run.warnings, file, json.invalidUtf8Bytes);

    ImportedNode root;
    root.sourceId = "root";
    root.description = "ADAS archive (a synthetic root: ADAS records no parent links)";
    root.proposer.kind = "root";
    run.nodes.push_back(std::move(root));

    struct Entry {
        std::size_t index;
        long long generation;
    };
    std::vector<Entry> entries;
    const auto& agents = json.value;
    for (std::size_t i = 0; i < agents.size(); ++i) {
        const auto& agent = agents[i];
        if (!agent.is_object() || !agent.contains("code") || !agent["code"].is_string()) {
            run.warnings.push_back("entry " + std::to_string(i) +
                                   ": skipped (expected an object with a \"code\" string)");
            continue;
        }
        entries.push_back({i, generationKey(agent.value("generation", nlohmann::json()))});
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.generation < b.generation; });

    for (const auto& entry : entries) {
        const auto& agent = agents[entry.index];
        ImportedNode node;
        node.sourceId = "#" + std::to_string(entry.index);
        node.parent = 0;
        node.files["agent.py"] = agent["code"].get<std::string>();
        const std::string name = textOf(agent.value("name", nlohmann::json()));
        const auto generation = agent.value("generation", nlohmann::json());
        const std::string generationText =
            generation.is_string() ? generation.get<std::string>() : generation.dump();
        node.description = (name.empty() ? "agent " + node.sourceId : name) + " (generation " +
                           generationText + ")";
        if (generation.is_number())
            node.metrics["generation"] = generation.get<double>();
        const std::string fitnessText = textOf(agent.value("fitness", nlohmann::json()));
        if (const auto fitness = parseAdasFitness(fitnessText)) {
            node.score = fitness->median / 100.0;
            addFitness(node, "fitness", *fitness);
            if (!fitness->consistent())
                run.warnings.push_back("agent " + node.sourceId + " (" + name +
                                       "): its confidence interval does not contain its median (" +
                                       fitnessText + "); the median is used");
        } else {
            run.warnings.push_back("agent " + node.sourceId + " (" + name + "): no score (fitness '" +
                                   fitnessText + "' holds no median)");
        }
        for (const auto& [key, value] : agent.items())
            if (key.rfind("test_fitness", 0) == 0 && value.is_string())
                if (const auto test = parseAdasFitness(value.get<std::string>()))
                    addFitness(node, key, *test);
        node.artifacts["source.json"] = agent.dump(2) + "\n";
        if (const std::string thought = textOf(agent.value("thought", nlohmann::json())); !thought.empty())
            node.artifacts["thought.md"] = thought + "\n";
        run.nodes.push_back(std::move(node));
    }
    return run;
}

} // namespace clade::engine
