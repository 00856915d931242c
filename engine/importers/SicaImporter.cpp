#include "engine/importers/SicaImporter.h"

#include "engine/importers/JsonText.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <system_error>

namespace clade::engine {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxArtifactBytes = 4u << 20; // a trace past this is cut
constexpr std::uintmax_t kMaxCodeFileBytes = 1u << 20; // model weights, datasets: not code

// agent_12 -> 12; anything else (agent_x, agent_code) -> nullopt.
std::optional<int> agentIndex(const std::string& name)
{
    if (name.rfind("agent_", 0) != 0 || name.size() == 6 || name.size() > 12)
        return std::nullopt;
    int value = 0;
    for (std::size_t i = 6; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9')
            return std::nullopt;
        value = value * 10 + (name[i] - '0');
    }
    return value;
}

std::map<int, fs::path> agentFolders(const fs::path& run)
{
    std::map<int, fs::path> agents;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(run, ec))
        if (const auto index = agentIndex(entry.path().filename().string()); index && entry.is_directory(ec))
            agents[*index] = entry.path();
    return agents;
}

bool isRunFolder(const fs::path& dir)
{
    std::error_code ec;
    return fs::is_regular_file(dir / "metadata.json", ec) && !agentFolders(dir).empty();
}

// The start of a file; false when it looks binary (a NUL byte in it), which an artifact
// viewer cannot show.
bool readTextCapped(const fs::path& file, std::string& text, std::vector<std::string>& warnings)
{
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec)
        return false;
    std::ifstream in(file, std::ios::binary);
    // A few bytes past the cap, so the cut can leave out a character that does not fit
    // whole instead of keeping half of it.
    text.assign(static_cast<std::size_t>(std::min(size, kMaxArtifactBytes + 3)), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.find('\0') != std::string::npos)
        return false;
    if (size > kMaxArtifactBytes) {
        text = utf8Prefix(text, kMaxArtifactBytes);
        warnings.push_back(file.string() + ": longer than 4 MB; the artifact keeps its start");
    }
    return true;
}

// Every text file under `dir` as an artifact named <prefix><relative path, '-' for '/'>.
void addArtifacts(const fs::path& dir, const std::string& prefix, ImportedNode& node,
                  std::vector<std::string>& warnings)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file(ec) || it->is_symlink(ec))
            continue;
        std::string name = it->path().lexically_relative(dir).generic_string();
        std::replace(name.begin(), name.end(), '/', '-');
        std::string text;
        if (readTextCapped(it->path(), text, warnings))
            node.artifacts[prefix + name] = std::move(text);
    }
}

// The agent's code: every regular file under agent_code/ except caches and version
// control; a file over 1 MB is left out (it is data, not code, and would bloat every
// commit of the run).
std::map<std::string, std::string> readAgentCode(const fs::path& code, std::vector<std::string>& warnings)
{
    std::map<std::string, std::string> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(code, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (it->is_directory(ec) && (name == ".git" || name == "__pycache__")) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec) || it->is_symlink(ec))
            continue;
        if (fs::file_size(it->path(), ec) > kMaxCodeFileBytes) {
            warnings.push_back(it->path().string() + ": larger than 1 MB; left out of the node's code");
            continue;
        }
        try {
            files[it->path().lexically_relative(code).generic_string()] = readTextFile(it->path());
        } catch (const std::system_error& error) {
            warnings.push_back(std::string(error.what()) + "; left out of the node's code");
        }
    }
    return files;
}

// A per-task result's name, <bench>.<problem_id>: Clade's task ids allow only letters,
// digits, '.', '_' and '-', so other characters (SWE-bench's "/", spaces) become '_'.
std::string taskId(const std::string& bench, const std::string& problem)
{
    std::string id = bench + "." + problem;
    for (char& c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            c = '_';
    return id;
}

double number(const nlohmann::json& record, const char* key)
{
    const auto it = record.find(key);
    return it != record.end() && it->is_number() ? it->get<double>() : 0.0;
}

struct BenchmarkTotals {
    int problems = 0;
    int timedOut = 0;
    double scoreSum = 0, tokens = 0, cachedTokens = 0, cost = 0, wallTime = 0;
};

// One benchmark's results.jsonl into per-task results and totals. SICA's tracker
// rewrites a problem's line when it re-runs it, so a later line for the same problem_id
// wins; a problem without a score (started, never scored) counts as 0, as SICA's own
// avg_score does. A line that is not JSON (a run killed mid-write) is skipped with a warning.
BenchmarkTotals readResults(const fs::path& file, const std::string& bench, ImportedNode& node,
                            std::vector<std::string>& warnings)
{
    const std::string text = readTextFile(file);
    int invalidBytes = 0;
    std::map<std::string, nlohmann::json> latest;
    std::size_t start = 0;
    for (int line = 1; start < text.size(); ++line) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string content = text.substr(start, end - start);
        start = end + 1;
        if (content.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        nlohmann::json record;
        try {
            LenientJson json = parseLenientJson(content, file);
            invalidBytes += json.invalidUtf8Bytes;
            record = std::move(json.value);
        } catch (const InputError&) {
            warnings.push_back(file.string() + ": line " + std::to_string(line) +
                               " is not valid JSON (truncated?); skipped");
            continue;
        }
        const auto id = record.is_object() ? record.find("problem_id") : record.end();
        if (!record.is_object() || id == record.end() || !(id->is_string() || id->is_number_integer())) {
            warnings.push_back(file.string() + ": line " + std::to_string(line) + " has no problem_id; skipped");
            continue;
        }
        latest[id->is_string() ? id->get<std::string>() : std::to_string(id->get<long long>())] = record;
    }
    noteInvalidUtf8(warnings, file, invalidBytes);
    BenchmarkTotals totals;
    for (const auto& [id, record] : latest) {
        const auto score = record.find("score");
        const double value = score != record.end() && score->is_number() ? score->get<double>() : 0.0;
        if (score == record.end() || !score->is_number())
            warnings.push_back(file.string() + ": problem " + id + " has no score (unfinished?); counted as 0");
        node.results[taskId(bench, id)] = value;
        ++totals.problems;
        totals.scoreSum += value;
        totals.tokens += number(record, "tokens_used");
        totals.cachedTokens += number(record, "num_cached_tokens");
        totals.cost += number(record, "cost_estimate");
        totals.wallTime += number(record, "wall_time");
        if (const auto t = record.find("timed_out"); t != record.end() && t->is_boolean() && t->get<bool>())
            ++totals.timedOut;
    }
    return totals;
}

// One agent_<i>/ folder: its code, per-problem results, totals and traces.
void readAgent(const fs::path& dir, ImportedNode& node, std::vector<std::string>& warnings)
{
    std::error_code ec;
    if (fs::is_directory(dir / "agent_code", ec))
        node.files = readAgentCode(dir / "agent_code", warnings);
    else
        warnings.push_back(node.sourceId + ": no agent_code/ folder (the node holds no code)");
    BenchmarkTotals all;
    std::vector<fs::path> benches;
    for (const auto& entry : fs::directory_iterator(dir / "benchmarks", ec))
        if (entry.is_directory(ec))
            benches.push_back(entry.path());
    std::sort(benches.begin(), benches.end());
    for (const auto& bench : benches) {
        const std::string name = bench.filename().string();
        if (fs::is_regular_file(bench / "results.jsonl", ec)) {
            const BenchmarkTotals totals = readResults(bench / "results.jsonl", name, node, warnings);
            if (totals.problems > 0)
                node.metrics[name + "_mean_score"] = totals.scoreSum / totals.problems;
            all.problems += totals.problems;
            all.timedOut += totals.timedOut;
            all.scoreSum += totals.scoreSum;
            all.tokens += totals.tokens;
            all.cachedTokens += totals.cachedTokens;
            all.cost += totals.cost;
            all.wallTime += totals.wallTime;
        }
        std::string perf;
        if (fs::is_regular_file(bench / "perf.json", ec) && readTextCapped(bench / "perf.json", perf, warnings))
            node.artifacts["perf-" + name + ".json"] = perf;
        addArtifacts(bench / "traces", "trace-" + name + "-", node, warnings);
    }
    std::string perf;
    if (fs::is_regular_file(dir / "perf.json", ec) && readTextCapped(dir / "perf.json", perf, warnings))
        node.artifacts["perf.json"] = perf;
    addArtifacts(dir / "traces", "trace-", node, warnings);
    if (all.problems == 0) {
        node.status = NodeStatus::Failed;
        node.error = "no benchmark results (benchmarks/<name>/results.jsonl): not evaluated";
        node.description = node.sourceId + ": not evaluated";
        warnings.push_back(node.sourceId + ": no benchmark results; no score");
        return;
    }
    // The mean over every problem of every benchmark, not perf.json's avg_score: SICA writes
    // perf.json per benchmark, only once a benchmark finishes, and its runner ranks agents
    // by this pooled mean ("mean_score") when it picks the next base agent.
    node.score = all.scoreSum / all.problems;
    node.metrics["problems"] = all.problems;
    node.metrics["timed_out"] = all.timedOut;
    node.metrics["tokens"] = all.tokens;
    node.metrics["cached_tokens"] = all.cachedTokens;
    node.metrics["cost"] = all.cost;
    node.metrics["wall_time"] = all.wallTime;
    node.proposer.cost = all.cost;
    node.description = node.sourceId + ": " + std::to_string(all.problems) + " problems" +
                       (all.timedOut > 0 ? ", " + std::to_string(all.timedOut) + " timed out" : "");
}

} // namespace

std::optional<fs::path> findSicaRun(const fs::path& path)
{
    std::error_code ec;
    if (fs::is_regular_file(path, ec))
        return path.filename() == "metadata.json" && isRunFolder(path.parent_path())
                   ? std::optional<fs::path>(path.parent_path()) : std::nullopt;
    if (!fs::is_directory(path, ec))
        return std::nullopt;
    if (isRunFolder(path))
        return path;
    std::vector<fs::path> runs;
    for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.path().filename().string().rfind("run_", 0) == 0 && isRunFolder(entry.path()))
            runs.push_back(entry.path());
    if (runs.size() <= 1)
        return runs.empty() ? std::nullopt : std::optional<fs::path>(runs.front());
    std::sort(runs.begin(), runs.end());
    std::string names;
    for (const auto& run : runs)
        names += (names.empty() ? "" : ", ") + run.filename().string();
    throw InputError(path.string() + ": holds several SICA runs (" + names + "); import one of them");
}

ImportedRun readSicaRun(const fs::path& folder)
{
    const fs::path metadataFile = folder / "metadata.json";
    const LenientJson metadata = readLenientJson(metadataFile);
    ImportedRun run;
    run.format = "sica";
    run.source = folder;
    run.name = folder.filename().string() + "-sica";
    run.primaryMetric = "mean_score";
    if (!metadata.value.is_object())
        run.warnings.push_back(metadataFile.string() + ": expected a JSON object; ignored");
    const auto agents = agentFolders(folder);
    if (agents.empty())
        throw InputError(folder.string() + ": no agent_<i>/ folders (expected SICA's results/run_<id>/ "
                                           "with agent_0/agent_code/ ...)");
    if (metadata.value.is_object())
        if (const auto it = metadata.value.find("agent_iteration"); it != metadata.value.end() && it->is_number_integer())
            if (it->get<long long>() > agents.rbegin()->first)
                run.warnings.push_back(metadataFile.string() + ": agent_iteration is " + it->dump() +
                                       " but the last folder is agent_" + std::to_string(agents.rbegin()->first));
    const int last = agents.rbegin()->first;
    if (last > static_cast<int>(agents.size()) + 1000)
        throw InputError(folder.string() + ": agent numbers jump to agent_" + std::to_string(last) + " with only " +
                         std::to_string(agents.size()) + " agent folders (not a SICA run?)");
    // Agents in iteration order, each the child of the one before; a gap in the numbers
    // (a folder deleted) becomes a placeholder so the chain stays whole.
    for (int i = 0; i <= last; ++i) {
        ImportedNode node;
        node.sourceId = "agent_" + std::to_string(i);
        node.parent = i == 0 ? -1 : i - 1;
        node.proposer.kind = i == 0 ? "root" : "imported";
        const auto it = agents.find(i);
        if (it == agents.end()) {
            node.placeholder = true;
            node.status = NodeStatus::Failed;
            node.description = "missing from the run folder: " + node.sourceId;
            node.error = "the run has later agents but no " + node.sourceId + "/ folder";
            run.warnings.push_back(node.sourceId + ": no " + node.sourceId + "/ folder (shown as a placeholder)");
        } else {
            readAgent(it->second, node, run.warnings);
            // The transcript of the improvement that made this agent sits with its parent.
            if (i > 0)
                addArtifacts(folder / ("agent_" + std::to_string(i - 1)) / "meta_improvement_logs", "improvement-",
                             node, run.warnings);
        }
        run.nodes.push_back(std::move(node));
    }
    run.nodes[0].artifacts["run-metadata.json"] = metadata.value.dump(2) + "\n";
    if (metadata.nonFiniteNumbers > 0)
        run.warnings.push_back(metadataFile.string() + ": NaN/Infinity values read as null");
    noteInvalidUtf8(run.warnings, metadataFile, metadata.invalidUtf8Bytes);
    return run; // names and warnings are made valid UTF-8 with the other formats' (ImportedText)
}

} // namespace clade::engine
