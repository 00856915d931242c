// Every importer on runs written in the non-ASCII corpus (tests/support/NonAsciiCorpus.h):
// plans, statements and changes long enough that the old byte cuts (AIDE 157, DGM 137,
// OpenEvolve 140 and 8) fell inside a character, code and logs in every script, file names
// in the agent's folder, and bytes that are not UTF-8 in JSON, JSONL, SQLite and file
// names. Each import must end in a run that opens and exports, with every character kept
// but the invalid bytes, which become U+FFFD and are named in the import's warnings.
#include "engine/importers/ImportFormats.h"
#include "engine/importers/ImportWriter.h"
#include "engine/importers/JsonText.h"
#include "engine/run/RunExport.h"
#include "engine/run/RunSummary.h"
#include "engine/store/Database.h"
#include "engine/store/RunFolder.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"
#include "support/ImportedRuns.h"
#include "support/NonAsciiCorpus.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <optional>

using namespace clade::engine;
namespace fs = std::filesystem;
namespace corpus = testsupport::corpus;
using testsupport::anyWarning;
using testsupport::byDescription;
using testsupport::readCode;

namespace {

// Stands in a dumped JSON string for the bytes that are not UTF-8 (nlohmann::json cannot
// hold them), so a fixture can carry them raw as a broken writer would.
const std::string kInvalidMark = "@INVALID@";
const std::string kInvalidPiece = " a" + corpus::kLoneInvalid + "b c" + corpus::kTruncated + "|d";
const std::string kRepairedPiece = " a" + corpus::kReplacement + "b c" + corpus::kReplacement + "|d";

// QTemporaryDir removes through QString and cannot name a file whose name is not UTF-8;
// std::filesystem can. Declared after the QTemporaryDir, so it goes first.
struct RemovedAtEnd {
    fs::path folder;
    ~RemovedAtEnd()
    {
        std::error_code ignored;
        fs::remove_all(folder, ignored);
    }
};

void writeBytes(const fs::path& file, const std::string& bytes)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
}

// `value` as JSON text with UTF-8 unescaped (as Python's json.dump(ensure_ascii=False)),
// the invalid bytes put in where kInvalidMark stands.
std::string jsonWithInvalid(const nlohmann::json& value, int indent = 2)
{
    std::string text = value.dump(indent, ' ', false);
    for (std::size_t at = text.find(kInvalidMark); at != std::string::npos; at = text.find(kInvalidMark, at))
        text.replace(at, kInvalidMark.size(), kInvalidPiece);
    return text;
}

// Reads and writes the run; any exception is the failure, with its message.
std::optional<ImportResult> import(std::string& why, const fs::path& source, const std::string& format,
                                   const fs::path& out, const std::optional<fs::path>& base = std::nullopt)
{
    try {
        return writeImportedRun(readImportedRun(source, format, base), out);
    } catch (const std::exception& error) {
        why = error.what();
        return std::nullopt;
    }
}

#define IMPORT_OR_FAIL(result, ...)                                                                          \
    std::string why;                                                                                         \
    const std::optional<ImportResult> result = import(why, __VA_ARGS__);                                     \
    QVERIFY2(result, why.c_str())

// What every reader of the run sees: it opens, exports as JSON, and all its text is UTF-8.
void verifyReadable(const fs::path& out)
{
    const RunSnapshot run = RunSnapshot::read(out);
    for (const auto& node : run.nodes) {
        QVERIFY2(isValidUtf8(node.description), node.description.c_str());
        QVERIFY2(isValidUtf8(node.error), node.error.c_str());
    }
    std::string exported;
    try {
        exported = exportJson(run);
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
    QVERIFY(isValidUtf8(exported));
    QVERIFY(isValidUtf8(readTextFile(out / "artifacts" / "import-warnings.txt")));
}

// `description` is `prefix` then `text` cut to `maxChars` characters with "…", every
// character it kept whole and in order.
void verifyElided(const std::string& description, const std::string& prefix, const std::string& text,
                  std::size_t maxChars)
{
    QVERIFY2(description.rfind(prefix, 0) == 0, description.c_str());
    const std::string shown = description.substr(prefix.size());
    QVERIFY2(isValidUtf8(shown), shown.c_str());
    QVERIFY2(shown.ends_with("…"), shown.c_str());
    QCOMPARE(characterCount(shown), maxChars);
    const std::string kept = shown.substr(0, shown.size() - std::string("…").size());
    QVERIFY2(text.rfind(kept, 0) == 0, kept.c_str());
}

std::string artifact(const fs::path& out, int node, const std::string& name)
{
    return readTextFile(RunFolder{out}.artifacts(node) / name);
}

} // namespace

class TestNonAsciiImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aidePlanCutAtOldLimit();
    void aideInvalidBytes();
    void adasArchive();
    void dgmRunWithBase();
    void hgmRun();
    void openEvolveCheckpoint();
    void sicaRun();
    void shinkaDatabase();
    void errorColumnsCountCharacters();
};

// The reported bug: a plan with ’ across byte 157 made a description that is not UTF-8,
// and writing the node_added event threw json type_error 316.
void TestNonAsciiImport::aidePlanCutAtOldLimit()
{
    QTemporaryDir dir;
    const std::string plan = corpus::splitAt(157);
    const std::string code = "print('" + corpus::kValid + "')\n";
    const nlohmann::json journal{
        {"nodes",
         {{{"id", "n1"}, {"step", 0}, {"plan", plan + "\nThen tune it."}, {"code", code},
           {"metric", {{"value", 0.5}, {"maximize", true}}}, {"_term_out", {"out: " + corpus::kValid + "\n"}},
           {"analysis", corpus::kValid}, {"is_buggy", false}}}},
        {"node2parent", nlohmann::json::object()}};
    const fs::path file = fs::path(dir.path().toStdString()) / "logs" / "journal.json";
    writeBytes(file, journal.dump(2, ' ', false));
    const fs::path out = dir.filePath("run").toStdString();
    IMPORT_OR_FAIL(result, file, "aide", out);
    verifyReadable(out);
    const RunSnapshot run = RunSnapshot::read(out);
    const Node& node = byDescription(run, "step 0");
    verifyElided(node.description, "step 0: ", plan, 160);
    QCOMPARE(readCode(out, node, "solution.py"), code);
    QVERIFY(artifact(out, node.id, "terminal.log").find(corpus::kValid) != std::string::npos);
    QCOMPARE(artifact(out, node.id, "analysis.md"), corpus::kValid + "\n");
    QCOMPARE(artifact(out, node.id, "plan.md"), plan + "\nThen tune it.\n");
    QVERIFY(!anyWarning(result->warnings, "not UTF-8"));
}

void TestNonAsciiImport::aideInvalidBytes()
{
    QTemporaryDir dir;
    const nlohmann::json journal{
        {"nodes",
         {{{"id", "n1"}, {"step", 0}, {"plan", corpus::kValid + kInvalidMark}, {"code", "x = 1\n"}, {"metric", 0.5}}}}};
    const fs::path file = fs::path(dir.path().toStdString()) / "journal.json";
    writeBytes(file, jsonWithInvalid(journal));
    const fs::path out = dir.filePath("run").toStdString();
    IMPORT_OR_FAIL(result, file, "aide", out);
    verifyReadable(out);
    QVERIFY(anyWarning(result->warnings, "journal.json: 3 byte(s) that are not UTF-8, replaced with U+FFFD"));
    QVERIFY(readTextFile(out / "artifacts" / "import-warnings.txt").find("not UTF-8") != std::string::npos);
    const RunSnapshot run = RunSnapshot::read(out);
    const Node& node = byDescription(run, "step 0");
    QCOMPARE(artifact(out, node.id, "plan.md"), corpus::kValid + kRepairedPiece + "\n");
}

void TestNonAsciiImport::adasArchive()
{
    QTemporaryDir dir;
    const std::string code = "def forward(self, x):\n    return '" + corpus::kValid + "'\n";
    const nlohmann::json archive = nlohmann::json::array(
        {{{"name", corpus::kValid}, {"thought", "why: " + kInvalidMark}, {"code", code},
          {"fitness", "95% Bootstrap Confidence Interval: (40.0%, 60.0%), Median: 50.0%"},
          {"generation", "initial"}}});
    const fs::path file = fs::path(dir.path().toStdString()) / "mgsm_run_archive.json";
    writeBytes(file, jsonWithInvalid(archive));
    const fs::path out = dir.filePath("run").toStdString();
    IMPORT_OR_FAIL(result, file, "adas", out);
    verifyReadable(out);
    QVERIFY(anyWarning(result->warnings, "3 byte(s) that are not UTF-8"));
    const RunSnapshot run = RunSnapshot::read(out);
    const Node& agent = byDescription(run, corpus::kValid);
    QCOMPARE(agent.description, corpus::kValid + " (generation initial)");
    QCOMPARE(readCode(out, agent, "agent.py"), code);
    QCOMPARE(artifact(out, agent.id, "thought.md"), "why: " + kRepairedPiece + "\n");
}

// DGM with --base: a statement cut at the old 137 bytes, a patch that adds a line in every
// script, a transcript with invalid bytes (kept byte for byte: it is a file), and the
// initial agent's folder holding a file named in the corpus and one whose name is not
// UTF-8 (committed under the repaired name, with a warning).
void TestNonAsciiImport::dgmRunWithBase()
{
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    const RemovedAtEnd cleanup{root};
    const fs::path run = root / "dgm";
    const fs::path base = root / "base";
    const std::string nonAsciiFile = "docs/" + corpus::kCjk + " " + corpus::kEmoji + " ’.md";
    writeBytes(base / "agent.py", "def solve():\n    return 1\n");
    writeBytes(base / nonAsciiFile, corpus::kValid + "\n");
    writeBytes(base / ("bad" + corpus::kLoneInvalid + "name.txt"), "data\n");
    writeBytes(run / "dgm_metadata.jsonl",
               nlohmann::json{{"generation", 0}, {"children", {"n1"}}, {"archive", {"initial", "n1"}}}.dump() + "\n");
    writeBytes(run / "initial" / "metadata.json",
               nlohmann::json{{"run_id", "initial"}, {"overall_performance", {{"accuracy_score", 0.25}}}}.dump());
    const std::string statement = corpus::splitAt(137);
    writeBytes(run / "n1" / "metadata.json",
               nlohmann::json{{"run_id", "n1"},
                              {"parent_commit", "initial"},
                              {"entry", corpus::kCjk},
                              {"problem_statement", statement + "\nDetails."},
                              {"overall_performance", {{"accuracy_score", 0.5}}}}
                   .dump(2, ' ', false));
    const std::string added = "    print(\"" + corpus::kValid + "\")";
    writeBytes(run / "n1" / "model_patch.diff", "diff --git a/agent.py b/agent.py\n--- a/agent.py\n+++ b/agent.py\n"
                                                "@@ -1,2 +1,3 @@\n def solve():\n+" + added + "\n     return 1\n");
    writeBytes(run / "n1" / "self_evo.md", corpus::kWithInvalid);
    const fs::path out = root / "out";
    IMPORT_OR_FAIL(result, run, "dgm", out, base);
    verifyReadable(out);
    const RunSnapshot snapshot = RunSnapshot::read(out);
    const Node& initial = byDescription(snapshot, "initial");
    const Node& child = byDescription(snapshot, "n1");
    verifyElided(child.description, "n1 (" + corpus::kCjk + "): ", statement, 140);
    QCOMPARE(readCode(out, child, "agent.py"), "def solve():\n" + added + "\n    return 1\n");
    QCOMPARE(readCode(out, initial, nonAsciiFile), corpus::kValid + "\n");
    QCOMPARE(readCode(out, child, nonAsciiFile), corpus::kValid + "\n");
    QCOMPARE(readCode(out, initial, "bad" + corpus::kReplacement + "name.txt"), std::string("data\n"));
    QVERIFY(anyWarning(result->warnings, "its file names held 1 byte(s) that are not UTF-8"));
    QCOMPARE(child.diff.files, 1);
    QCOMPARE(child.diff.insertions, 1);
    QCOMPARE(artifact(out, child.id, "self_evo.md"), corpus::kWithInvalid);
}

void TestNonAsciiImport::hgmRun()
{
    QTemporaryDir dir;
    const fs::path run = fs::path(dir.path().toStdString()) / "hgm";
    writeBytes(run / "hgm_metadata.jsonl",
               jsonWithInvalid({{"n_task_evals", 2},
                                {"note", kInvalidMark},
                                {"nodes",
                                 {{{"commit_id", "initial"}, {"id", 0}, {"parent_id", nullptr}, {"mean_utility", 0.25}},
                                  {{"commit_id", "c1"}, {"id", 1}, {"parent_id", 0}, {"mean_utility", 0.5}}}}}) +
                   "\n");
    writeBytes(run / "initial" / "metadata.json",
               nlohmann::json{{"run_id", "initial"}, {"overall_performance", {{"accuracy_score", 0.25}}}}.dump());
    const std::string statement = corpus::splitAt(137);
    writeBytes(run / "c1" / "metadata.json",
               nlohmann::json{{"run_id", "c1"},
                              {"parent_commit", "initial"},
                              {"problem_statement", statement},
                              {"overall_performance", {{"accuracy_score", 0.5}}}}
                   .dump(2, ' ', false));
    const fs::path out = dir.filePath("out").toStdString();
    IMPORT_OR_FAIL(result, run, "hgm", out);
    verifyReadable(out);
    QVERIFY(anyWarning(result->warnings, "hgm_metadata.jsonl: 3 byte(s) that are not UTF-8"));
    const RunSnapshot snapshot = RunSnapshot::read(out);
    const Node& child = byDescription(snapshot, "c1");
    verifyElided(child.description, "c1: ", statement, 140);
}

// OpenEvolve: an id whose first 8 bytes end inside 語, changes cut at the old 140 bytes, a
// program whose code holds invalid bytes (repaired: JSON text cannot hold them).
void TestNonAsciiImport::openEvolveCheckpoint()
{
    QTemporaryDir dir;
    const fs::path checkpoint = fs::path(dir.path().toStdString()) / "checkpoints" / "checkpoint_5";
    const std::string id = "日本語-program";
    const std::string changes = corpus::splitAt(140);
    const auto program = [](const std::string& pid, const nlohmann::json& parent, int generation,
                            const std::string& code, const std::string& change) {
        return nlohmann::json{{"id", pid},
                              {"code", code},
                              {"language", "python"},
                              {"parent_id", parent},
                              {"generation", generation},
                              {"metrics", {{"combined_score", 0.4 + 0.1 * generation}}},
                              {"metadata", {{"changes", change}}}};
    };
    writeBytes(checkpoint / "programs" / "p0.json",
               program(id, nullptr, 0, "print('" + corpus::kValid + "')\n", "").dump(2, ' ', false));
    writeBytes(checkpoint / "programs" / "p1.json",
               jsonWithInvalid(program("p1", id, 1, "print('" + kInvalidMark + "')\n", changes + "\nmore")));
    writeBytes(checkpoint / "metadata.json", nlohmann::json{{"best_program_id", "p1"}}.dump());
    const fs::path out = dir.filePath("out").toStdString();
    IMPORT_OR_FAIL(result, fs::path(dir.path().toStdString()), "openevolve", out);
    verifyReadable(out);
    const RunSnapshot run = RunSnapshot::read(out);
    const Node& first = byDescription(run, "program 日本語-prog (generation 0)");
    const Node& second = byDescription(run, "program p1 (generation 1)");
    QCOMPARE(second.parents, std::vector<int>{first.id});
    QVERIFY(second.description.ends_with(" [best]"));
    verifyElided(second.description.substr(0, second.description.size() - std::string(" [best]").size()),
                 "program p1 (generation 1): ", changes, 140);
    QCOMPARE(readCode(out, first, "program.py"), "print('" + corpus::kValid + "')\n");
    QCOMPARE(readCode(out, second, "program.py"), "print('" + kRepairedPiece + "')\n");
    QVERIFY(anyWarning(result->warnings, "p1.json: 3 byte(s) that are not UTF-8"));
}

// SICA: agent code with a file named in the corpus and one whose name is not UTF-8, a
// change of the non-ASCII file (diff stats), a results line with invalid bytes, and a trace
// named in the corpus longer than the 4 MB cap, with ’ across the cap.
void TestNonAsciiImport::sicaRun()
{
    QTemporaryDir dir;
    const RemovedAtEnd cleanup{dir.path().toStdString()};
    const fs::path run = fs::path(dir.path().toStdString()) / "results" / "run_1";
    const std::string nonAsciiFile = "src/" + corpus::kCjk + " 🧬.py";
    writeBytes(run / "metadata.json", jsonWithInvalid({{"agent_iteration", 1}, {"note", kInvalidMark}}));
    for (int i = 0; i < 2; ++i) {
        const fs::path agent = run / ("agent_" + std::to_string(i));
        writeBytes(agent / "agent_code" / "agent.py", "print('" + corpus::kValid + "')\n");
        writeBytes(agent / "agent_code" / nonAsciiFile, "# " + corpus::kValid + "\nx = " + std::to_string(i) + "\n");
        writeBytes(agent / "agent_code" / ("bad" + corpus::kLoneInvalid + ".py"), "y = 1\n");
        writeBytes(agent / "benchmarks" / "gsm8k" / "results.jsonl",
                   nlohmann::json{{"problem_id", "p1"}, {"score", 1.0 - i}}.dump() + "\n" +
                       jsonWithInvalid({{"problem_id", "p2"}, {"score", 0.5}, {"answer", kInvalidMark}}, -1) + "\n");
    }
    const std::size_t cap = 4u << 20;
    const std::string trace = std::string(cap - 1, 'a') + corpus::kValid;
    writeBytes(run / "agent_1" / "benchmarks" / "gsm8k" / "traces" / "中文-trace.txt", trace);
    const fs::path out = dir.filePath("out").toStdString();
    IMPORT_OR_FAIL(result, run, "sica", out);
    verifyReadable(out);
    const RunSnapshot snapshot = RunSnapshot::read(out);
    const Node& first = byDescription(snapshot, "agent_0");
    const Node& second = byDescription(snapshot, "agent_1");
    QCOMPARE(readCode(out, second, nonAsciiFile), "# " + corpus::kValid + "\nx = 1\n");
    QCOMPARE(readCode(out, first, "bad" + corpus::kReplacement + ".py"), std::string("y = 1\n"));
    QCOMPARE(second.diff.files, 1); // the non-ASCII file, named the same in both
    QCOMPARE(second.diff.insertions, 1);
    QVERIFY(anyWarning(result->warnings, "metadata.json: 3 byte(s) that are not UTF-8"));
    QVERIFY(anyWarning(result->warnings, "results.jsonl: 3 byte(s) that are not UTF-8"));
    QVERIFY(anyWarning(result->warnings, "its file names held 1 byte(s) that are not UTF-8"));
    // The trace keeps its name in CJK and its start up to a whole character.
    const std::string kept = artifact(out, second.id, "trace-gsm8k-中文-trace.txt");
    QCOMPARE(kept.size(), cap - 1);
    QVERIFY(isValidUtf8(kept));
}

// ShinkaEvolve's SQLite text: a program id that is not UTF-8 (its child's parent_id names
// it the same way, so the link must survive the repair), invalid bytes in the metadata
// JSON and in code_diff (an artifact, kept byte for byte), the corpus everywhere else.
void TestNonAsciiImport::shinkaDatabase()
{
    QTemporaryDir dir;
    const fs::path file = fs::path(dir.path().toStdString()) / "shinka" / "evolution_db.sqlite";
    fs::create_directories(file.parent_path());
    const std::string badId = "a" + corpus::kLoneInvalid + "b";
    {
        Database db(file);
        db.exec("CREATE TABLE programs (id TEXT PRIMARY KEY, code TEXT, language TEXT, parent_id TEXT, "
                "generation INTEGER, combined_score REAL, metadata TEXT, code_diff TEXT, text_feedback TEXT, "
                "correct BOOLEAN)");
        Statement insert(db, "INSERT INTO programs VALUES(?,?,'python',?,?,?,?,?,?,1)");
        const auto row = [&](const std::string& id, const std::optional<std::string>& parent, int generation,
                             const std::string& metadata, const std::string& diff, const std::string& feedback) {
            insert.bind(1, id).bind(2, "print('" + corpus::kValid + "')\n");
            if (parent)
                insert.bind(3, *parent);
            else
                insert.bindNull(3);
            insert.bind(4, generation).bind(5, 0.5 + 0.1 * generation).bind(6, metadata).bind(7, diff).bind(8, feedback).run();
        };
        row("根", std::nullopt, 0,
            jsonWithInvalid({{"patch_name", corpus::kValid}, {"stdout_log", "log:" + kInvalidMark}}), "", "");
        row(badId, "根", 1, "{}", corpus::kWithInvalid, corpus::kValid);
        row("c", badId, 2, "{}", "", "");
    }
    const fs::path out = dir.filePath("out").toStdString();
    IMPORT_OR_FAIL(result, file, "shinka", out);
    verifyReadable(out);
    const RunSnapshot run = RunSnapshot::read(out);
    const Node& root = byDescription(run, "generation 0: " + corpus::kValid);
    const Node& repaired = byDescription(run, "generation 1: a" + corpus::kReplacement + "b");
    const Node& grandchild = byDescription(run, "generation 2: c");
    QCOMPARE(repaired.parents, std::vector<int>{root.id});
    QCOMPARE(grandchild.parents, std::vector<int>{repaired.id});
    QVERIFY(anyWarning(result->warnings, "its id held 1 byte(s) that are not UTF-8"));
    QVERIFY(anyWarning(result->warnings, "metadata held 3 byte(s) that are not UTF-8"));
    QCOMPARE(artifact(out, root.id, "stdout.log"), "log:" + kRepairedPiece);
    QCOMPARE(artifact(out, repaired.id, "code_diff.diff"), corpus::kWithInvalid);
    QCOMPARE(artifact(out, repaired.id, "text_feedback.txt"), corpus::kValid);
    QCOMPARE(readCode(out, repaired, "main.py"), "print('" + corpus::kValid + "')\n");
}

void TestNonAsciiImport::errorColumnsCountCharacters()
{
    try {
        parseLenientJson("{\"a\": \"中文\", ]}", "x.json");
        QFAIL("bad JSON was accepted");
    } catch (const InputError& error) {
        QVERIFY2(QString(error.what()).contains("x.json: malformed JSON at line 1, column 13"), error.what());
    }
}

QTEST_GUILESS_MAIN(TestNonAsciiImport)
#include "tst_nonasciiimport.moc"
