// Import speed: a synthetic DGM-style run folder of N nodes (default 2,000) whose nodes each
// change one line of the agent, so every node's code is the base plus a real chain of
// patches, imported with the base code (every patch applied through libgit2) and without
// it (patch files). Median of R repetitions (default 3). See BENCHMARKS.md.

#include "bench/BenchStats.h"

#include "engine/importers/DgmImporter.h"
#include "engine/importers/ImportWriter.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <random>

namespace fs = std::filesystem;
using namespace clade;
using namespace clade::bench;

namespace {

constexpr int kLines = 60; // lines of the evolving file

void usage()
{
    std::puts("bench_import [--nodes N] [--runs R] [--seed S]\n"
              "  Writes a synthetic DGM run folder of N nodes (default 2000) in $TMPDIR (or /tmp),\n"
              "  then imports it R times (default 3) with and without the base code and prints the\n"
              "  median wall time of reading and of writing the Clade run. Removes what it made.");
}

void writeText(const fs::path& file, const std::string& text)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

// A unified diff of agent.py changing body line `line` (0-based) of `before` to `after`;
// the body starts on the file's second line, after "def agent():".
std::string lineChange(const std::vector<std::string>& before, int line, const std::string& after)
{
    const int from = std::max(0, line - 3);
    const int to = std::min(kLines - 1, line + 3);
    std::string hunk;
    for (int i = from; i <= to; ++i) {
        if (i == line)
            hunk += "-" + before[size_t(i)] + "\n+" + after + "\n";
        else
            hunk += " " + before[size_t(i)] + "\n";
    }
    const int count = to - from + 1;
    const std::string range = std::to_string(from + 2) + "," + std::to_string(count);
    return "diff --git a/agent.py b/agent.py\n--- a/agent.py\n+++ b/agent.py\n@@ -" + range + " +" + range +
           " @@\n" + hunk;
}

// The run folder: each node picks a parent among the earlier ones (recent ones more often,
// as DGM's archive sampling favours good, newer nodes) and changes one line of its code.
void writeSyntheticDgmRun(const fs::path& run, const fs::path& base, int nodes, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<std::vector<std::string>> code(size_t(nodes) + 1);
    for (int i = 0; i < kLines; ++i)
        code[0].push_back("    step_" + std::to_string(i) + " = plan(" + std::to_string(i) + ")");
    std::string baseText = "def agent():\n";
    for (const auto& line : code[0])
        baseText += line + "\n";
    writeText(base / "agent.py", baseText);
    auto idOf = [](int k) { return k == 0 ? std::string("initial") : "node_" + std::to_string(k); };
    std::vector<std::string> ids{"initial"};
    writeText(run / "initial" / "metadata.json",
              nlohmann::json{{"run_id", "initial"}, {"overall_performance", {{"accuracy_score", 0.2}}}}.dump(2));
    for (int k = 1; k <= nodes; ++k) {
        const int window = std::min(k, 50);
        const int parent = k - 1 - int(rng() % unsigned(window));
        code[size_t(k)] = code[size_t(parent)];
        const int line = int(rng() % kLines);
        const std::string after = "    step_" + std::to_string(line) + " = plan(" + std::to_string(line) + 
                                  ", revision=" + std::to_string(k) + ")";
        const std::string patch = lineChange(code[size_t(parent)], line, after);
        code[size_t(k)][size_t(line)] = after;
        const fs::path dir = run / idOf(k);
        writeText(dir / "model_patch.diff", patch);
        writeText(dir / "metadata.json",
                  nlohmann::json{{"run_id", idOf(k)},
                                 {"parent_commit", idOf(parent)},
                                 {"entry", "task_" + std::to_string(k % 30)},
                                 {"problem_statement", "Change step " + std::to_string(line)},
                                 {"overall_performance",
                                  {{"accuracy_score", double(rng() % 100) / 100.0},
                                   {"total_resolved_ids", {"a", "b"}},
                                   {"total_unresolved_ids", {"c"}}}}}
                      .dump(2));
        writeText(dir / "self_evo.md", "transcript of " + idOf(k) + "\n");
        ids.push_back(idOf(k));
    }
    nlohmann::json record{{"generation", 0}, {"children", ids}, {"archive", ids}};
    writeText(run / "dgm_metadata.jsonl", record.dump(4) + "\n");
}

} // namespace

int main(int argc, char** argv)
{
    if (hasFlag(argc, argv, "--help")) {
        usage();
        return 0;
    }
    rejectUnknown(argc, argv, {"--nodes", "--runs", "--seed", "--help"}, {"--nodes", "--runs", "--seed"});
    const int nodes = intOption(argc, argv, "--nodes", 2000);
    const int runs = intOption(argc, argv, "--runs", 3);
    const auto seed = static_cast<unsigned>(intOption(argc, argv, "--seed", 7));
    const char* tmp = std::getenv("TMPDIR");
    const fs::path work = fs::path(tmp && *tmp ? tmp : "/tmp") / ("clade-bench-import-" + std::to_string(::getpid()));
    fs::remove_all(work);
    const fs::path source = work / "dgm_run";
    const fs::path base = work / "base";
    writeSyntheticDgmRun(source, base, nodes, seed);

    std::vector<double> readBase, writeBase, readPlain, writePlain;
    int warningsWithBase = 0;
    for (int r = 0; r < runs; ++r) {
        for (const bool withBase : {true, false}) {
            auto start = Clock::now();
            const engine::ImportedRun imported =
                engine::readDgmRun(source, withBase ? std::optional<fs::path>(base) : std::nullopt);
            (withBase ? readBase : readPlain).push_back(millisecondsSince(start));
            start = Clock::now();
            const auto result = engine::writeImportedRun(imported, work / ("out-" + std::to_string(r) + (withBase ? "b" : "p")));
            (withBase ? writeBase : writePlain).push_back(millisecondsSince(start));
            if (withBase) {
                warningsWithBase = static_cast<int>(result.warnings.size());
                for (std::size_t w = 0; r == 0 && w < result.warnings.size() && w < 3; ++w)
                    std::printf("  warning: %s\n", result.warnings[w].c_str());
            }
            if (result.nodes != nodes + 1) {
                std::fprintf(stderr, "imported %d nodes, expected %d\n", result.nodes, nodes + 1);
                return 1;
            }
        }
    }
    fs::remove_all(work);
    const double totalBase = median(readBase) + median(writeBase);
    const double totalPlain = median(readPlain) + median(writePlain);
    std::printf("bench_import: synthetic DGM run, %d nodes + root, patch chains (median of %d)\n", nodes, runs);
    std::printf("  with --base (every patch applied)   read %8.0f ms  write %8.0f ms  total %8.0f ms  target <= 10000\n",
                median(readBase), median(writeBase), totalBase);
    std::printf("  without base (patch files)          read %8.0f ms  write %8.0f ms  total %8.0f ms\n",
                median(readPlain), median(writePlain), totalPlain);
    std::printf("  warnings with --base: %d (every patch applies: none expected)\n", warningsWithBase);
    std::printf("{\"bench\":\"import\",\"nodes\":%d,\"runs\":%d,\"base_read_ms\":%.1f,\"base_write_ms\":%.1f,"
                "\"plain_read_ms\":%.1f,\"plain_write_ms\":%.1f,\"warnings_with_base\":%d}\n",
                nodes, runs, median(readBase), median(writeBase), median(readPlain), median(writePlain),
                warningsWithBase);
    return 0;
}
