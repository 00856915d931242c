#include "engine/manifest/Manifest.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "engine/eval/EngineMetrics.h"
#include "engine/manifest/ManifestJson.h"
#include "engine/manifest/PathPattern.h"
#include "engine/util/InputError.h"

namespace clade::engine {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char* kManifestName = "clade.json";

const char* const kCommandExpected = "an object {\"command\": [...], \"limits\": {...}}";
const char* const kArgvExpected = "a non-empty array of strings";
const char* const kTasksExpected =
    "a non-empty array of task ids, or {\"file\": \"<JSON file holding such an array>\"}";
const char* const kTaskIdExpected =
    "a task id made of letters, digits, '.', '_' and '-' (not '.' or '..')";
const char* const kRelPathExpected =
    "a relative path inside the agent folder (no leading '/', no '.', '..' or empty parts)";
const char* const kDirectionExpected = "\"maximize\" or \"minimize\"";
const char* const kPositiveInt = "a positive integer";

std::string indexed(const std::string& field, std::size_t i)
{
    return field + "[" + std::to_string(i) + "]";
}

const std::string* coveringEntry(const std::vector<std::string>& patterns, std::string_view path)
{
    for (const std::string& pattern : patterns) {
        if (pathPatternCovers(pattern, path))
            return &pattern;
    }
    return nullptr;
}

std::optional<std::string> readWholeFile(const fs::path& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        return std::nullopt;
    return buffer.str();
}

void readLimits(const ManifestJson& in, const json& value, const std::string& field,
                SandboxLimits& limits)
{
    if (!value.is_object())
        in.fail(field, "an object with any of wall_seconds, cpu_seconds, memory_mb, pids, "
                       "output_kb, tmp_mb, scratch_mb, scratch_inodes");
    in.checkKeys(value, field,
                 {"wall_seconds", "cpu_seconds", "memory_mb", "pids", "output_kb", "tmp_mb",
                  "scratch_mb", "scratch_inodes"});
    const auto positiveInt = [&](const char* key, int& into) {
        if (const auto it = value.find(key); it != value.end())
            into = static_cast<int>(in.integer(*it, field + "." + key, 1, INT_MAX, kPositiveInt));
    };
    if (const auto it = value.find("wall_seconds"); it != value.end())
        limits.wallSeconds = in.positiveNumber(*it, field + ".wall_seconds");
    if (const auto it = value.find("cpu_seconds"); it != value.end())
        limits.cpuSeconds = in.positiveNumber(*it, field + ".cpu_seconds");
    positiveInt("memory_mb", limits.memoryMb);
    positiveInt("pids", limits.pids);
    positiveInt("tmp_mb", limits.tmpMb);
    positiveInt("scratch_mb", limits.scratchMb);
    positiveInt("scratch_inodes", limits.scratchInodes);
    if (const auto it = value.find("output_kb"); it != value.end())
        limits.outputBytes = in.integer(*it, field + ".output_kb", 1, INT_MAX, kPositiveInt) * 1024;
}

CommandSpec readCommand(const ManifestJson& in, const json& value, const std::string& field,
                        const SandboxLimits& defaults)
{
    if (!value.is_object())
        in.fail(field, kCommandExpected);
    in.checkKeys(value, field, {"command", "limits"});
    const std::string argvField = field + ".command";
    const json& argv = in.required(value, "command", argvField, kArgvExpected);
    if (!argv.is_array() || argv.empty())
        in.fail(argvField, kArgvExpected);
    CommandSpec spec;
    for (const json& arg : argv) {
        if (!arg.is_string())
            in.fail(argvField, kArgvExpected);
        spec.argv.push_back(arg.get<std::string>());
    }
    // The sandbox starts with a clean environment, so there is no PATH to search.
    if (!fs::path(spec.argv.front()).is_absolute())
        in.fail(indexed(argvField, 0),
                "an absolute path to the program, not '" + spec.argv.front() + "'");
    spec.limits = defaults;
    if (const auto it = value.find("limits"); it != value.end())
        readLimits(in, *it, field + ".limits", spec.limits);
    return spec;
}

std::vector<std::string> readPaths(const ManifestJson& in, const json& value,
                                   const std::string& field, bool nonEmpty)
{
    const std::string expected =
        nonEmpty ? "a non-empty array of relative paths" : "an array of relative paths";
    if (!value.is_array() || (nonEmpty && value.empty()))
        in.fail(field, expected);
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string())
            in.fail(indexed(field, i), "a string holding " + std::string(kRelPathExpected));
        const std::string path = value[i].get<std::string>();
        if (!isPlainRelativePath(path))
            in.fail(indexed(field, i), std::string(kRelPathExpected) + ", not '" + path + "'");
        paths.push_back(path);
    }
    return paths;
}

bool isTaskId(std::string_view id)
{
    if (id.empty() || id == "." || id == "..")
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

std::vector<std::string> readTaskIds(const ManifestJson& in, const json& value,
                                     const std::string& field, const std::string& expected)
{
    if (!value.is_array() || value.empty())
        in.fail(field, expected);
    std::vector<std::string> ids;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string() || !isTaskId(value[i].get_ref<const std::string&>()))
            in.fail(indexed(field, i), std::string(kTaskIdExpected) + ", not " + value[i].dump());
        const std::string id = value[i].get<std::string>();
        // Results are keyed by task id, so a repeated one would silently count twice.
        if (!seen.insert(id).second)
            in.fail(indexed(field, i), "a unique task id ('" + id + "' is listed twice)");
        ids.push_back(id);
    }
    return ids;
}

std::vector<std::string> readTasks(const ManifestJson& in, const json& value,
                                   const fs::path& agentDir)
{
    if (!value.is_object())
        return readTaskIds(in, value, "tasks", kTasksExpected);
    in.checkKeys(value, "tasks", {"file"});
    const std::string given = in.nonEmptyString(
        in.required(value, "file", "tasks.file", "a path to a JSON file"), "tasks.file");
    fs::path path(given);
    path = (path.is_absolute() ? path : agentDir / path).lexically_normal();
    const std::optional<std::string> text = readWholeFile(path);
    if (!text)
        in.fail("tasks.file",
                "a readable JSON file with an array of task ids; cannot read " + path.string());
    // From here on the problems are in the tasks file, so messages name it.
    const ManifestJson tasksIn(path.string());
    return readTaskIds(tasksIn, tasksIn.parse(*text), "tasks",
                       "a non-empty JSON array of task ids");
}

Direction readDirection(const ManifestJson& in, const json& value, const std::string& field)
{
    if (value == "maximize")
        return Direction::Maximize;
    if (value == "minimize")
        return Direction::Minimize;
    in.fail(field, kDirectionExpected);
}

GuardMetric readGuard(const ManifestJson& in, const json& value, const std::string& field)
{
    if (!value.is_object())
        in.fail(field, "an object {\"name\": ..., \"direction\": ..., \"limit\": ..., "
                       "\"max_regression\": ...}");
    in.checkKeys(value, field, {"name", "direction", "limit", "max_regression"});
    GuardMetric guard;
    guard.name = in.nonEmptyString(
        in.required(value, "name", field + ".name", "a non-empty string"), field + ".name");
    if (isReservedMetricName(guard.name) && !isEngineMetric(guard.name)) {
        std::string known;
        for (const EngineMetric& metric : engineMetrics())
            known += (known.empty() ? "" : ", ") + std::string(metric.name);
        in.fail(field + ".name", "a metric the harness reports, or one the engine measures (" +
                                     known + "); '" + guard.name + "' is neither");
    }
    if (const auto it = value.find("direction"); it != value.end())
        guard.direction = readDirection(in, *it, field + ".direction");
    if (const auto it = value.find("limit"); it != value.end()) {
        if (!it->is_number() || !std::isfinite(it->get<double>()))
            in.fail(field + ".limit", "a number");
        guard.limit = it->get<double>();
    }
    if (const auto it = value.find("max_regression"); it != value.end()) {
        if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
            in.fail(field + ".max_regression",
                    "a number >= 0 (how much worse than the best of its ancestors a node may "
                    "be, as a fraction of that value: 0.2 allows 20%)");
        guard.maxRegression = it->get<double>();
    }
    return guard;
}

void readMetrics(const ManifestJson& in, const json& value, Manifest& m)
{
    if (!value.is_object())
        in.fail("metrics", "an object {\"primary\": ..., \"direction\": ..., \"guards\": [...]}");
    in.checkKeys(value, "metrics", {"primary", "direction", "guards"});
    m.primaryMetric = in.nonEmptyString(
        in.required(value, "primary", "metrics.primary", "a non-empty string"), "metrics.primary");
    m.direction =
        readDirection(in, in.required(value, "direction", "metrics.direction", kDirectionExpected),
                      "metrics.direction");
    const auto guards = value.find("guards");
    if (guards == value.end())
        return;
    if (!guards->is_array())
        in.fail("metrics.guards", "an array of guard metric objects");
    std::set<std::string> names{m.primaryMetric};
    for (std::size_t i = 0; i < guards->size(); ++i) {
        const std::string field = indexed("metrics.guards", i);
        GuardMetric guard = readGuard(in, (*guards)[i], field);
        if (!names.insert(guard.name).second)
            in.fail(field + ".name", "a metric name not already used ('" + guard.name +
                                         "' is the primary metric or another guard)");
        m.guards.push_back(std::move(guard));
    }
}

fs::path readHarness(const ManifestJson& in, const json& root, const fs::path& agentDir)
{
    const std::string given = in.nonEmptyString(
        in.required(root, "harness", "harness", "a path to the harness folder"), "harness");
    fs::path dir(given);
    dir = (dir.is_absolute() ? dir : agentDir / dir).lexically_normal();
    if (!dir.has_filename() && dir.has_relative_path())
        dir = dir.parent_path(); // "harness/" and "harness" must compare equal
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        in.fail("harness", "an existing folder; " + dir.string() + " does not exist");
    // Everything in it is protected, so nothing could evolve.
    if (dir == agentDir)
        in.fail("harness", "a folder other than the agent folder itself");
    return dir;
}

// The harness path relative to the agent folder if it lies inside it.
std::optional<std::string> harnessInsideAgent(const fs::path& harnessDir, const fs::path& agentDir)
{
    const fs::path rel = harnessDir.lexically_relative(agentDir);
    if (rel.empty() || *rel.begin() == "..")
        return std::nullopt;
    return rel.generic_string();
}

json limitsJson(const SandboxLimits& limits)
{
    return {{"wall_seconds", limits.wallSeconds},
            {"cpu_seconds", limits.cpuSeconds},
            {"memory_mb", limits.memoryMb},
            {"pids", limits.pids},
            // Rounded up so hand-made limits never get a smaller cap in the snapshot.
            {"output_kb", (limits.outputBytes + 1023) / 1024},
            {"tmp_mb", limits.tmpMb},
            {"scratch_mb", limits.scratchMb},
            {"scratch_inodes", limits.scratchInodes}};
}

json commandJson(const CommandSpec& command)
{
    return {{"command", command.argv}, {"limits", limitsJson(command.limits)}};
}

} // namespace

std::string_view directionName(Direction direction)
{
    return direction == Direction::Maximize ? "maximize" : "minimize";
}

bool Manifest::isProtected(std::string_view relPath) const
{
    return coveringEntry(protectedPaths, relPath) != nullptr;
}

bool Manifest::isEvolvable(std::string_view relPath) const
{
    return coveringEntry(evolvable, relPath) != nullptr && !isProtected(relPath);
}

bool Manifest::gatewayFor(std::string_view phase) const
{
    return std::find(llmGateway.begin(), llmGateway.end(), phase) != llmGateway.end();
}

std::optional<std::string> Manifest::harnessRelativePath() const
{
    return harnessInsideAgent(harnessDir, agentDir);
}

nlohmann::json Manifest::toJson() const
{
    json j = json::object();
    j["name"] = name;
    j["description"] = description;
    j["evolvable"] = evolvable;
    j["protected"] = protectedPaths;
    j["ignore"] = ignore;
    j["harness"] = harnessDir.string();
    if (propose)
        j["propose"] = commandJson(*propose);
    j["solve"] = commandJson(solve);
    j["score"] = commandJson(score);
    j["tasks"] = tasks;
    j["batch_size"] = batchSize;
    json guardsJson = json::array();
    for (const GuardMetric& guard : guards) {
        json g = {{"name", guard.name}, {"direction", directionName(guard.direction)}};
        if (guard.limit)
            g["limit"] = *guard.limit;
        if (guard.maxRegression)
            g["max_regression"] = *guard.maxRegression;
        guardsJson.push_back(std::move(g));
    }
    j["metrics"] = {{"primary", primaryMetric},
                    {"direction", directionName(direction)},
                    {"guards", std::move(guardsJson)}};
    j["review"] = reviewRulesToJson(review);
    if (!llmGateway.empty())
        j["llm_gateway"] = llmGateway;
    if (!harnessHidden.empty())
        j["harness_hidden"] = harnessHidden;
    return j;
}

Manifest parseManifest(const std::string& text, const fs::path& file)
{
    const ManifestJson in(file.string());
    const json root = in.parse(text);
    if (!root.is_object())
        throw InputError(in.file() + ": expected a JSON object (the agent manifest)");
    in.checkKeys(root, "",
                 {"name", "description", "evolvable", "protected", "ignore", "harness", "propose",
                  "solve", "score", "tasks", "batch_size", "metrics", "limits", "review",
                  "llm_gateway", "harness_hidden"});

    Manifest m;
    m.file = file;
    m.agentDir = fs::absolute(file).lexically_normal().parent_path();
    m.name = in.nonEmptyString(in.required(root, "name", "name", "a non-empty string"), "name");
    if (const auto it = root.find("description"); it != root.end())
        m.description = in.string(*it, "description");

    m.evolvable = readPaths(
        in, in.required(root, "evolvable", "evolvable", "a non-empty array of relative paths"),
        "evolvable", true);
    m.harnessDir = readHarness(in, root, m.agentDir);
    if (const auto it = root.find("protected"); it != root.end())
        m.protectedPaths = readPaths(in, *it, "protected", false);
    // A candidate that could edit its manifest or the scorer could grade itself.
    const auto ensureProtected = [&m](const std::string& path) {
        if (!m.isProtected(path))
            m.protectedPaths.push_back(path);
    };
    ensureProtected(kManifestName);
    if (const auto rel = harnessInsideAgent(m.harnessDir, m.agentDir))
        ensureProtected(*rel + "/");
    for (std::size_t i = 0; i < m.evolvable.size(); ++i) {
        if (const std::string* entry = coveringEntry(m.protectedPaths, m.evolvable[i]))
            in.fail(indexed("evolvable", i), "a path that is not protected ('" + m.evolvable[i] +
                                                 "' is covered by protected '" + *entry + "')");
    }
    if (const auto it = root.find("ignore"); it != root.end())
        m.ignore = readPaths(in, *it, "ignore", false);
    else
        m.ignore = {"__pycache__/", "*.pyc", ".git/"};

    SandboxLimits defaults;
    if (const auto it = root.find("limits"); it != root.end())
        readLimits(in, *it, "limits", defaults);
    if (const auto it = root.find("propose"); it != root.end())
        m.propose = readCommand(in, *it, "propose", defaults);
    m.solve =
        readCommand(in, in.required(root, "solve", "solve", kCommandExpected), "solve", defaults);
    m.score =
        readCommand(in, in.required(root, "score", "score", kCommandExpected), "score", defaults);

    m.tasks = readTasks(in, in.required(root, "tasks", "tasks", kTasksExpected), m.agentDir);
    if (const auto it = root.find("batch_size"); it != root.end())
        m.batchSize = static_cast<int>(
            in.integer(*it, "batch_size", 0, INT_MAX, "an integer >= 0 (0 = all tasks at once)"));
    if (const auto it = root.find("metrics"); it != root.end())
        readMetrics(in, *it, m);
    if (const auto it = root.find("review"); it != root.end())
        m.review = readReviewRules(in, *it);
    if (const auto it = root.find("llm_gateway"); it != root.end()) {
        const char* expected = "an array of phase names, each \"propose\" or \"solve\"";
        if (!it->is_array())
            in.fail("llm_gateway", expected);
        for (std::size_t i = 0; i < it->size(); ++i) {
            const json& phase = (*it)[i];
            if (phase != "propose" && phase != "solve")
                in.fail(indexed("llm_gateway", i), expected);
            if (!m.gatewayFor(phase.get<std::string>()))
                m.llmGateway.push_back(phase.get<std::string>());
        }
        if (m.gatewayFor("propose") && !m.propose)
            in.fail("llm_gateway", "\"propose\" only with a propose command");
    }
    if (const auto it = root.find("harness_hidden"); it != root.end())
        m.harnessHidden = readPaths(in, *it, "harness_hidden", false);
    return m;
}

Manifest loadManifest(const fs::path& agentDir)
{
    const fs::path file = agentDir / kManifestName;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw InputError(agentDir.string() + ": no clade.json found (expected an agent folder "
                                             "with a clade.json manifest)");
    const std::optional<std::string> text = readWholeFile(file);
    if (!text)
        throw InputError(file.string() + ": expected a readable file (cannot read it)");
    return parseManifest(*text, file);
}

} // namespace clade::engine
