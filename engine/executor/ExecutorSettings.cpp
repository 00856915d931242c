#include "engine/executor/ExecutorSettings.h"

#include "engine/util/InputError.h"

#include <regex>

namespace clade::engine {

using nlohmann::json;

json ExecutorSettings::toJson() const
{
    json j = {{"kind", kind}};
    if (kind == "slurm")
        j["slurm"] = {{"submit", slurm.submit},          {"partition", slurm.partition},      {"account", slurm.account},
                      {"time", slurm.time},                {"extra_args", slurm.extraArgs},
                      {"attempts", slurm.attempts},        {"clade_on_nodes", slurm.cladeOnNodes}};
    return j;
}

ExecutorSettings ExecutorSettings::fromJson(const json& j, const std::string& file,
                                            const std::string& fieldPrefix)
{
    ExecutorSettings e;
    if (!j.is_object())
        throw InputError(file + ": expected " +
                         (fieldPrefix.empty() ? std::string() : "field '" + fieldPrefix.substr(0, fieldPrefix.size() - 1) + "' to be ") +
                         "an object {\"kind\": \"local\" or \"slurm\", \"slurm\": {...}}");
    try {
        e.kind = j.value("kind", "local");
        if (e.kind != "local" && e.kind != "slurm")
            throw InputError::field(file, fieldPrefix + "kind", "\"local\" or \"slurm\"");
        const json s = j.value("slurm", json::object());
        e.slurm.submit = s.value("submit", "steps");
        e.slurm.partition = s.value("partition", "");
        e.slurm.account = s.value("account", "");
        e.slurm.time = s.value("time", "");
        e.slurm.extraArgs = s.value("extra_args", std::vector<std::string>{});
        e.slurm.attempts = s.value("attempts", 3);
        e.slurm.cladeOnNodes = s.value("clade_on_nodes", "");
    } catch (const json::exception& ex) {
        throw InputError(file + ": " + ex.what() + " (expected the fields of " +
                         (fieldPrefix.empty() ? std::string("an executor's settings") : "'" + fieldPrefix + "slurm'") + ")");
    }
    if (e.slurm.submit != "steps" && e.slurm.submit != "jobs")
        throw InputError::field(file, fieldPrefix + "slurm.submit", "\"steps\" or \"jobs\"");
    if (e.slurm.attempts < 1 || e.slurm.attempts > 100)
        throw InputError::field(file, fieldPrefix + "slurm.attempts", "a whole number from 1 to 100");
    if (const auto problem = slurmTimeProblem(e.slurm.time); !e.slurm.time.empty() && !problem.empty())
        throw InputError::field(file, fieldPrefix + "slurm.time", problem);
    return e;
}

std::string slurmTimeProblem(const std::string& time)
{
    // The forms sbatch(1) lists: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
    static const std::regex form(R"(^(\d+|\d+:\d+|\d+:\d+:\d+|\d+-\d+|\d+-\d+:\d+|\d+-\d+:\d+:\d+)$)");
    if (std::regex_match(time, form))
        return {};
    return "a Slurm time limit: minutes, MM:SS, HH:MM:SS or D-HH[:MM[:SS]] (got '" + time + "')";
}

} // namespace clade::engine
