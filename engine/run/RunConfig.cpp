#include "engine/run/RunConfig.h"

#include "engine/store/RunFolder.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"

namespace clade::engine {

nlohmann::json RunConfig::toJson() const
{
    nlohmann::json j;
    j["format"] = "clade-run";
    j["version"] = kRunFormatVersion;
    j["name"] = name;
    j["created_at"] = createdAt;
    j["agent_source"] = agentSource.string();
    j["harness"] = {{"pinned", "harness"}, {"sha256", harnessSha256}};
    j["manifest"] = manifest.toJson();
    j["strategy"] = {{"name", settings.strategy}, {"params", settings.strategyParams}};
    j["proposer"] = {{"kind", settings.proposer},
                     {"answer_retries", settings.answerRetries},
                     {"reflexion_rounds", settings.reflexionRounds}};
    if (settings.llm)
        j["llm"] = settings.llm->toJson();
    if (!settings.prices.empty())
        j["prices"] = settings.prices.toJson();
    j["sandbox"] = {{"backend", settings.sandbox}};
    j["executor"] = settings.executor.toJson();
    j["budgets"] = {{"iterations", settings.iterations},
                    {"max_minutes", settings.maxMinutes},
                    {"max_cost", settings.maxCost},
                    {"max_task_evaluations", settings.maxTaskEvaluations},
                    {"max_consecutive_propose_failures", settings.maxConsecutiveProposeFailures}};
    j["workers"] = settings.workers;
    j["seed"] = settings.seed;
    j["review"] = settings.review;
    return j;
}

void RunConfig::save(const std::filesystem::path& runDir) const
{
    // replace: a path (the agent's, an imported run's source) is bytes, not necessarily
    // UTF-8, and JSON holds only text; every other field is text already.
    writeFileAtomically(RunFolder{runDir}.runJson(),
                        toJson().dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

RunConfig RunConfig::load(const std::filesystem::path& runDir)
{
    const RunFolder folder{runDir};
    const std::string file = folder.runJson().string();
    const auto json = nlohmann::json::parse(readTextFile(folder.runJson()), nullptr, false);
    if (json.is_discarded() || !json.is_object())
        throw InputError(file + ": expected a JSON object (the run's configuration)");
    if (json.value("format", "") != "clade-run")
        throw InputError::field(file, "format", "\"clade-run\"");
    const int version = json.value("version", 0);
    if (version > kRunFormatVersion)
        throw InputError(file + ": run format version " + std::to_string(version) +
                         " is newer than this build of clade understands (expected at most " +
                         std::to_string(kRunFormatVersion) + ")");
    try {
        RunConfig config;
        config.name = json.at("name").get<std::string>();
        config.createdAt = json.at("created_at").get<double>();
        config.agentSource = json.at("agent_source").get<std::string>();
        config.harnessSha256 = json.at("harness").at("sha256").get<std::string>();
        // The snapshot's harness is where it was at creation; the run evaluates with its
        // own pinned copy, so the manifest is re-read pointing there.
        auto manifestJson = json.at("manifest");
        config.harnessSource = manifestJson.value("harness", "");
        manifestJson["harness"] = folder.harness().string();
        config.manifest = parseManifest(manifestJson.dump(), folder.runJson());
        auto& s = config.settings;
        s.strategy = json.at("strategy").at("name").get<std::string>();
        s.strategyParams = json.at("strategy").value("params", nlohmann::json::object());
        s.proposer = json.at("proposer").at("kind").get<std::string>();
        s.answerRetries = json.at("proposer").value("answer_retries", 1);
        s.reflexionRounds = json.at("proposer").value("reflexion_rounds", 0);
        if (json.contains("llm"))
            s.llm = llm::LlmSettings::fromJson(json.at("llm"), file);
        if (json.contains("prices"))
            s.prices = llm::PriceTable::fromJson(json.at("prices"), file);
        s.sandbox = json.at("sandbox").at("backend").get<std::string>();
        if (json.contains("executor"))
            s.executor = ExecutorSettings::fromJson(json.at("executor"), file);
        const auto& budgets = json.at("budgets");
        s.iterations = budgets.at("iterations").get<int>();
        s.maxMinutes = budgets.value("max_minutes", 0.0);
        s.maxCost = budgets.value("max_cost", 0.0);
        s.maxTaskEvaluations = budgets.value("max_task_evaluations", 0);
        s.maxConsecutiveProposeFailures = budgets.value("max_consecutive_propose_failures", 5);
        s.workers = json.at("workers").get<int>();
        s.seed = json.at("seed").get<std::uint64_t>();
        s.review = json.value("review", "auto");
        return config;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file + ": " + e.what() + " (expected the fields clade writes)");
    }
}

} // namespace clade::engine
