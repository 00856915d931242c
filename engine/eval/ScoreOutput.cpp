#include "engine/eval/ScoreOutput.h"

#include "engine/eval/EngineMetrics.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <regex>
#include <set>

namespace clade::engine {
namespace {

constexpr const char* kExpected =
    R"(one JSON object {"tasks": {"<task id>": <number>, ...}, "metrics": {"<name>": <number>}})";

[[noreturn]] void broken(const std::string& source, const std::string& what)
{
    throw InputError(source + ": score phase output " + what + "; expected " + kExpected);
}

std::string excerpt(const std::string& text)
{
    std::string shown = elide(text, 120, "...");
    for (char& c : shown)
        if (c == '\n' || c == '\r')
            c = ' ';
    return "'" + shown + "'";
}

double finiteNumber(const nlohmann::json& value, const std::string& source, const std::string& field)
{
    if (!value.is_number())
        broken(source, "has a non-number at " + field + " (" + value.dump() + ")");
    const double number = value.get<double>();
    if (!std::isfinite(number))
        broken(source, "has a non-finite number at " + field);
    return number;
}

} // namespace

ScoreOutput parseScoreOutput(const std::string& text, const std::vector<std::string>& tasks,
                             const std::string& source)
{
    const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) {
        static const std::regex nonFinite(R"((^|[^A-Za-z"])(-?Infinity|NaN)([^A-Za-z"]|$))");
        if (std::regex_search(text, nonFinite))
            broken(source, "contains NaN or Infinity, which are not JSON numbers: " +
                               excerpt(text));
        broken(source, text.empty() ? "is empty" : "is not valid JSON: " + excerpt(text));
    }
    if (!json.is_object() || !json.contains("tasks") || !json["tasks"].is_object())
        broken(source, "has no \"tasks\" object: " + excerpt(text));

    ScoreOutput out;
    const std::set<std::string> requested(tasks.begin(), tasks.end());
    for (const auto& [task, value] : json["tasks"].items()) {
        if (!requested.count(task))
            broken(source, "scores task '" + task + "', which was not asked for");
        out.tasks[task] = finiteNumber(value, source, "tasks." + task);
    }
    for (const auto& task : tasks)
        if (!out.tasks.count(task))
            broken(source, "has no score for task '" + task + "'");
    if (json.contains("metrics")) {
        if (!json["metrics"].is_object())
            broken(source, "has \"metrics\" that is not an object");
        for (const auto& [name, value] : json["metrics"].items()) {
            if (isReservedMetricName(name))
                broken(source, "reports metric \"" + name + "\", a name reserved for what "
                               "the engine measures itself (rename it: no \"clade.\" prefix)");
            out.metrics[name] = finiteNumber(value, source, "metrics." + name);
        }
    }
    return out;
}

} // namespace clade::engine
