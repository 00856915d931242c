// The SICA and ShinkaEvolve importers, on fixtures written for this project with the
// quirks of the real runs (SICA: a timed-out problem, a re-run problem whose later line
// wins, a truncated last line, an agent never benchmarked, the improvement transcript
// kept with the parent; Shinka: inspiration ids, a NULL combined_score, correct = 0, a
// parent the table lacks, a program listed before its parent's generation). The Shinka
// database is built at test time from make_fixture.sql through SQLite's C API (the
// sqlite3 shell is not a dependency). Each import is checked for node count, parent
// links, scores, a deep node's code, a diff and warnings; the readers are fuzzed.
#include "engine/git/Repository.h"
#include "engine/importers/ImportFormats.h"
#include "engine/importers/ImportWriter.h"
#include "engine/run/RunSummary.h"
#include "engine/store/Database.h"
#include "engine/store/RunFolder.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"

#include <QTemporaryDir>
#include "support/ImportedRuns.h"

#include <QtTest>

#include <fstream>
#include <random>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

using testsupport::anyWarning;
using testsupport::diffOf;
using testsupport::readCode;
const fs::path kFixtures = testsupport::kImportFixtures;
const fs::path kSicaRun = kFixtures / "sica" / "results" / "run_1";

const Node& bySource(const RunSnapshot& run, const std::string& prefix)
{
    return testsupport::byDescription(run, prefix);
}

void writeFile(const fs::path& file, const std::string& text)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

// Runs `sql` into a new SQLite file, as ShinkaEvolve's own connection would leave it.
fs::path makeDatabase(const fs::path& file, const std::string& sql)
{
    fs::create_directories(file.parent_path());
    Database db(file);
    db.exec(sql);
    return file;
}

fs::path makeShinkaFixture(const fs::path& folder)
{
    return makeDatabase(folder / "evolution_db.sqlite", readTextFile(kFixtures / "shinka" / "make_fixture.sql"));
}

// Reading must end in a run or an InputError: anything else (another exception, a
// crash) fails the test.
bool readsOrRefuses(const fs::path& path, const std::string& format, std::string& why)
{
    try {
        const ImportedRun run = readImportedRun(path, format);
        why = std::to_string(run.nodes.size()) + " nodes";
        return true;
    } catch (const InputError& error) {
        why = error.what();
        return true;
    } catch (const std::exception& error) {
        why = std::string("unexpected exception: ") + error.what();
        return false;
    }
}

std::string mutate(std::string text, std::mt19937& random)
{
    std::uniform_int_distribution<int> kind(0, 3);
    const auto at = [&] { return std::uniform_int_distribution<std::size_t>(0, text.size())(random); };
    switch (kind(random)) {
    case 0:
        text.resize(at()); // truncated
        break;
    case 1:
        for (int i = 0; i < 4 && !text.empty(); ++i)
            text[std::min(at(), text.size() - 1)] = static_cast<char>(random() % 256);
        break;
    case 2:
        text.insert(at(), std::string("{[\"\\,:}]NaN-Infinity\n").substr(random() % 20, 3));
        break;
    default:
        text.erase(at(), 12);
        break;
    }
    return text;
}

} // namespace

class TestImportersMore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sicaRun()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("sica").toStdString();
        // Detected from the results/ folder holding the one run.
        const ImportedRun imported = readImportedRun(kFixtures / "sica" / "results");
        QCOMPARE(imported.format, std::string("sica"));
        QCOMPARE(imported.source, kSicaRun);
        const ImportResult result = writeImportedRun(imported, out);
        QCOMPARE(result.nodes, 3);
        QVERIFY(anyWarning(result.warnings, "gsm8k/results.jsonl: line 5 is not valid JSON"));
        QVERIFY(anyWarning(result.warnings, "agent_2: no benchmark results"));
        QVERIFY(!anyWarning(result.warnings, "counted as 0")); // gsm8k_2's re-run line wins

        const RunSnapshot run = RunSnapshot::read(out);
        const Node& base = bySource(run, "agent_0");
        const Node& verify = bySource(run, "agent_1");
        const Node& atomic = bySource(run, "agent_2");
        QCOMPARE(base.id, 0);
        QCOMPARE(verify.parents, std::vector<int>{base.id});
        QCOMPARE(atomic.parents, std::vector<int>{verify.id});
        QCOMPARE(*base.score, 0.375); // (1 + 0 + 0 + 0.5) / 4 problems over both benchmarks
        QCOMPARE(*verify.score, 0.75);
        QVERIFY(!atomic.score && atomic.status == NodeStatus::Failed);
        QCOMPARE(verify.results.size(), std::size_t(4));
        QCOMPARE(verify.results.at("gsm8k.gsm8k_2"), 1.0);
        QCOMPARE(verify.results.at("gsm8k.gsm8k_3"), 0.0);
        QCOMPARE(verify.results.at("file_edit.edit_rename"), 1.0);
        QCOMPARE(verify.metrics.at("timed_out"), 1.0);
        QCOMPARE(verify.metrics.at("tokens"), 21000.0);
        QCOMPARE(verify.metrics.at("gsm8k_mean_score"), 2.0 / 3.0);
        QCOMPARE(verify.proposer.cost, 0.09);
        QCOMPARE(base.proposer.cost, 0.1);
        QVERIFY(verify.description.find("1 timed out") != std::string::npos);
        QCOMPARE(run.best()->id, verify.id);

        // The deepest agent's code, and the diff of its change.
        QVERIFY(readCode(out, atomic, "agent.py").find("return verify(task, draft)") != std::string::npos);
        QVERIFY(readCode(out, atomic, "src/tools/edit.py").find("os.replace(tmp, path)") != std::string::npos);
        const std::string diff = diffOf(out, verify, atomic);
        QVERIFY(diff.find("+    os.replace(tmp, path)") != std::string::npos);
        QVERIFY(diff.find("-    with open(path, \"w\") as f:") != std::string::npos);
        QVERIFY(diffOf(out, base, verify).find("+def verify(task: str, draft: str) -> str:") != std::string::npos);

        const fs::path artifacts = RunFolder{out}.artifacts(verify.id);
        QVERIFY(readTextFile(artifacts / "trace-gsm8k-gsm8k_3-trace.txt").find("TIMED OUT") != std::string::npos);
        QVERIFY(readTextFile(artifacts / "improvement-execution_tree.txt").find("iteration 0 to create iteration 1") !=
                std::string::npos);
        QVERIFY(readTextFile(RunFolder{out}.artifacts(base.id) / "perf-gsm8k.json").find("avg_score") !=
                std::string::npos);
        QVERIFY(readTextFile(RunFolder{out}.artifacts(base.id) / "run-metadata.json").find("agent_iteration") !=
                std::string::npos);
    }

    // Caches and large files stay out of the code; a gap in the agent numbers becomes a
    // placeholder; a results/ folder with several runs names them.
    void sicaQuirks()
    {
        QTemporaryDir dir;
        const fs::path results = fs::path(dir.path().toStdString()) / "results";
        fs::create_directories(results);
        fs::copy(kSicaRun, results / "run_1", fs::copy_options::recursive);
        const fs::path run = results / "run_1";
        writeFile(run / "agent_1" / "agent_code" / "__pycache__" / "agent.cpython-312.pyc", std::string("\0\1pyc", 5));
        writeFile(run / "agent_1" / "agent_code" / "weights.bin", std::string((1u << 20) + 10, '\x7f'));
        fs::copy(run / "agent_2", run / "agent_4", fs::copy_options::recursive);
        const ImportedRun imported = readImportedRun(run, "sica");
        QCOMPARE(imported.nodes.size(), std::size_t(5));
        QVERIFY(imported.nodes[3].placeholder);
        QCOMPARE(imported.nodes[4].parent, 3);
        QVERIFY(anyWarning(imported.warnings, "agent_3: no agent_3/ folder"));
        QVERIFY(anyWarning(imported.warnings, "weights.bin: larger than 1 MB"));
        QVERIFY(!imported.nodes[1].files.count("weights.bin"));
        QVERIFY(!imported.nodes[1].files.count("__pycache__/agent.cpython-312.pyc"));
        QCOMPARE(imported.nodes[1].files.size(), std::size_t(3));

        fs::copy(run, results / "run_2", fs::copy_options::recursive);
        try {
            readImportedRun(results);
            QFAIL("a results folder with two runs was accepted");
        } catch (const InputError& error) {
            QVERIFY2(std::string(error.what()).find("several SICA runs (run_1, run_2)") != std::string::npos,
                     error.what());
        }
    }

    void shinkaDatabase()
    {
        QTemporaryDir dir;
        const fs::path folder = fs::path(dir.path().toStdString()) / "results_20250402";
        const fs::path database = makeShinkaFixture(folder);
        const auto before = fs::last_write_time(database);
        const auto size = fs::file_size(database);
        const fs::path out = dir.filePath("shinka").toStdString();
        const ImportedRun imported = readImportedRun(folder); // detected in the results folder
        QCOMPARE(imported.format, std::string("shinka"));
        const ImportResult result = writeImportedRun(imported, out);
        QCOMPARE(fs::last_write_time(database), before); // read-only: the source is untouched
        QCOMPARE(fs::file_size(database), size);
        QCOMPARE(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1L); // no -wal / -shm left
        QCOMPARE(result.nodes, 9); // synthetic root, a placeholder, 7 programs
        QVERIFY(anyWarning(result.warnings, "program gone-7: named as a parent but not in the programs table"));
        QVERIFY(anyWarning(result.warnings, "program f5b6-tuned: inspiration a7c8-final comes after it"));
        QVERIFY(!anyWarning(result.warnings, "attached to the root"));
        QVERIFY(!anyWarning(result.warnings, "edge dropped; ") && !anyWarning(result.warnings, "is missing or later"));

        const RunSnapshot run = RunSnapshot::read(out);
        const Node& initial = bySource(run, "generation 0: a0c1-initial");
        const Node& ring = bySource(run, "generation 1: ring layout");
        const Node& broken = bySource(run, "generation 2: jittered ring");
        const Node& hex = bySource(run, "generation 3: hexagonal rings");
        const Node& tuned = bySource(run, "generation 2: tuned hexagons");
        const Node& orphan = bySource(run, "generation 4: spiral");
        const Node& last = bySource(run, "generation 5: polish");
        const Node& placeholder = bySource(run, "missing from the database: program gone-7");
        QCOMPARE(initial.parents, std::vector<int>{0});
        QCOMPARE(placeholder.parents, std::vector<int>{0});
        QCOMPARE(ring.parents, std::vector<int>{initial.id});
        QCOMPARE(broken.parents, (std::vector<int>{ring.id, initial.id})); // top-k = the parent: no second edge
        QCOMPARE(hex.parents, (std::vector<int>{ring.id, initial.id, broken.id}));
        QVERIFY(tuned.id > hex.id); // moved after its parent despite its lower generation
        QCOMPARE(tuned.parents, std::vector<int>{hex.id});
        QCOMPARE(orphan.parents, (std::vector<int>{placeholder.id, hex.id}));
        QCOMPARE(last.parents, (std::vector<int>{tuned.id, ring.id, hex.id}));

        QCOMPARE(*initial.score, 0.5);
        QCOMPARE(*last.score, 0.83);
        QVERIFY(!broken.score && broken.status == NodeStatus::Failed);
        QVERIFY(placeholder.status == NodeStatus::Failed);
        QCOMPARE(run.best()->id, last.id);
        QCOMPARE(hex.metrics.at("public_sum_radii"), 2.4);
        QCOMPARE(hex.metrics.at("private_holdout_sum"), 2.35);
        QVERIFY(!last.metrics.count("public_label")); // numbers only
        QVERIFY(!ring.metrics.count("public_valid"));
        QCOMPARE(hex.metrics.at("island_idx"), 1.0);
        QCOMPARE(hex.proposer.model, std::string("gpt-4.1"));
        QCOMPARE(hex.proposer.cost, 0.0231); // api_costs + embed_cost + meta_cost
        QVERIFY(hex.hasFlag(FlagKept) && last.hasFlag(FlagKept) && !ring.hasFlag(FlagKept));

        // The deepest program's code (initial -> ring -> hex -> tuned -> last), and a diff.
        QVERIFY(readCode(out, last, "main.py").find("return polish(hexagonal(rings, tune=True))") != std::string::npos);
        const std::string diff = diffOf(out, hex, last);
        QVERIFY(diff.find("-    return hexagonal(ring(n))") != std::string::npos);
        QVERIFY(diff.find("+    rings = ring(n)") != std::string::npos);
        const fs::path artifacts = RunFolder{out}.artifacts(broken.id);
        QVERIFY(readTextFile(artifacts / "stderr.log").find("SyntaxError") != std::string::npos);
        QVERIFY(readTextFile(RunFolder{out}.artifacts(ring.id) / "code_diff.diff").find("+    return ring(n)") !=
                std::string::npos);
        QVERIFY(readTextFile(RunFolder{out}.artifacts(last.id) / "metadata.json").find("\"model_name\"") !=
                std::string::npos);
        QVERIFY(readTextFile(RunFolder{out}.artifacts(last.id) / "metadata.json").find("stdout_log") ==
                std::string::npos); // kept as stdout.log instead

        // The database file itself is detected too, and a CUDA program is main.cu.
        QCOMPARE(detectImportFormat(database)->format, std::string("shinka"));
    }

    // ShinkaEvolve still running: its newest program sits in the -wal file, not yet
    // checkpointed into the database. The import reads it, and leaves the writer's files
    // as they were.
    void shinkaLiveDatabase()
    {
        QTemporaryDir dir;
        const fs::path folder = fs::path(dir.path().toStdString()) / "results_live";
        const fs::path database = makeShinkaFixture(folder);
        Database writer(database); // WAL, as Shinka's own connection
        writer.exec("PRAGMA wal_autocheckpoint=0");
        writer.exec("INSERT INTO programs (id, code, language, parent_id, archive_inspiration_ids, "
                    "top_k_inspiration_ids, generation, timestamp, combined_score, public_metrics, "
                    "private_metrics, correct, children_count, metadata) VALUES ('z9-live', "
                    "'def pack(n):' || char(10) || '    return live(n)' || char(10), 'python', "
                    "'a7c8-final', '[]', '[]', 6, 1743590000.0, 0.9, '{}', '{}', 1, 0, '{}')");
        QVERIFY(fs::exists(database.string() + "-wal"));
        QVERIFY(fs::file_size(database.string() + "-wal") > 0);

        const fs::path out = dir.filePath("shinka").toStdString();
        const ImportResult result = writeImportedRun(readImportedRun(database), out);
        QCOMPARE(result.nodes, 10); // the 9 of the finished fixture and the live program
        const RunSnapshot run = RunSnapshot::read(out);
        const Node& live = bySource(run, "generation 6: z9-live");
        QCOMPARE(*live.score, 0.9);
        QCOMPARE(live.parents, std::vector<int>{bySource(run, "generation 5: polish").id});
        QCOMPARE(run.best()->id, live.id);
        // The writer goes on: its -wal file is still there and it can still write.
        QVERIFY(fs::exists(database.string() + "-wal"));
        writer.exec("UPDATE programs SET children_count = 1 WHERE id = 'a7c8-final'");
    }

    void shinkaLanguageAndRoot()
    {
        QTemporaryDir dir;
        const fs::path file = makeDatabase(fs::path(dir.path().toStdString()) / "kernels.db",
                                           "CREATE TABLE programs(id TEXT, code TEXT, language TEXT, parent_id TEXT, "
                                           "generation INTEGER, combined_score REAL, correct BOOLEAN);"
                                           "INSERT INTO programs VALUES ('k1', '__global__ void k(){}', 'cuda', NULL, 0, 1.5, 1),"
                                           "('k2', '__global__ void k(){ }', 'cuda', 'k1', 1, 2.5, 1);");
        const ImportedRun imported = readImportedRun(file);
        QCOMPARE(imported.format, std::string("shinka"));
        QCOMPARE(imported.nodes.size(), std::size_t(2)); // one parentless program: it is the root
        QCOMPARE(imported.nodes[0].sourceId, std::string("k1"));
        QCOMPARE(imported.nodes[1].parent, 0);
        QVERIFY(imported.nodes[1].files.count("main.cu"));
        QCOMPARE(*imported.nodes[1].score, 2.5);
    }

    void shinkaNotShinka()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const fs::path noTable = makeDatabase(root / "other.sqlite", "CREATE TABLE things(x INTEGER);");
        const fs::path noColumn = makeDatabase(root / "old.sqlite",
                                               "CREATE TABLE programs(id TEXT, code TEXT, parent_id TEXT, score REAL);");
        writeFile(root / "garbage.sqlite", "SQLite format 3 but not really a database at all, just text");
        for (const auto& [file, expected] :
             {std::pair{noTable, std::string("no \"programs\" table")}, std::pair{noColumn, std::string("lacks column(s) generation")},
              std::pair{root / "garbage.sqlite", std::string("garbage.sqlite")}}) {
            try {
                readImportedRun(file, "shinka");
                QFAIL(("accepted " + file.string()).c_str());
            } catch (const InputError& error) {
                QVERIFY2(std::string(error.what()).find(expected) != std::string::npos, error.what());
                QVERIFY2(std::string(error.what()).find(file.filename().string()) != std::string::npos, error.what());
            }
        }
        QVERIFY(!detectImportFormat(noTable)); // not offered as a Shinka run
    }

    // Random truncations and mutations of results.jsonl and metadata.json: a run or a
    // clear InputError, never a crash or another exception.
    void fuzzSica()
    {
        QTemporaryDir dir;
        const fs::path run = fs::path(dir.path().toStdString()) / "run_1";
        fs::copy(kSicaRun, run, fs::copy_options::recursive);
        const fs::path results = run / "agent_1" / "benchmarks" / "gsm8k" / "results.jsonl";
        const fs::path metadata = run / "metadata.json";
        const std::string originalResults = readTextFile(results);
        const std::string originalMetadata = readTextFile(metadata);
        std::mt19937 random(20250402);
        int refused = 0;
        for (int i = 0; i < 300; ++i) {
            writeFile(results, mutate(originalResults, random));
            writeFile(metadata, i % 3 == 0 ? mutate(originalMetadata, random) : originalMetadata);
            std::string why;
            QVERIFY2(readsOrRefuses(run, i % 2 ? "sica" : "", why), why.c_str());
            refused += why.find("nodes") == std::string::npos;
        }
        QVERIFY(refused > 0); // broken metadata.json is refused, naming the file
        // A mutated run still imports end to end.
        writeFile(metadata, originalMetadata);
        writeFile(results, mutate(originalResults, random));
        writeImportedRun(readImportedRun(run), dir.filePath("out").toStdString());
    }

    // Tables of garbage (wrong types, blobs, NaN text, malformed JSON, duplicate ids,
    // parent cycles) and truncated database files.
    void fuzzShinka()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        std::mt19937 random(7);
        const std::vector<std::string> ids{"'a'", "'b'", "'c'", "'d'", "'e'", "7", "NULL"};
        const auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
        const std::vector<std::string> garbage{
            "NULL", "0", "1", "-3", "2.5", "'NaN'", "'x''y'", "X'00FF10'", "'[\"a\", \"b\", 3]'", "'[\"zz\"'",
            "'{\"cost\": 1, \"public\": {\"q\": 2}}'", "'{\"api_costs\": \"cheap\", \"model_name\": 5}'", "'{]'",
            "'{\"stdout_log\": 3, \"stderr_log\": \"boom\"}'", "1e308", "'main'", "''"};
        for (int t = 0; t < 40; ++t) {
            std::string sql =
                "CREATE TABLE programs(id, code, language, parent_id, archive_inspiration_ids, top_k_inspiration_ids, "
                "generation, timestamp, code_diff, combined_score, public_metrics, private_metrics, correct, metadata, "
                "island_idx, text_feedback);";
            const int rows = static_cast<int>(random() % 8);
            for (int r = 0; r < rows; ++r) {
                sql += "INSERT INTO programs VALUES (" + pick(ids) + ", " + pick(garbage) + ", " + pick(garbage) + ", " +
                       (random() % 2 ? pick(ids) : pick(garbage));
                for (int c = 4; c < 16; ++c)
                    sql += ", " + pick(garbage);
                sql += ");";
            }
            const fs::path file = makeDatabase(root / ("g" + std::to_string(t) + ".sqlite"), sql);
            std::string why;
            QVERIFY2(readsOrRefuses(file, "shinka", why), why.c_str());
            if (why.find("nodes") != std::string::npos && t % 4 == 0)
                writeImportedRun(readImportedRun(file, "shinka"), root / ("out" + std::to_string(t)));
        }
        // Truncations of the real fixture's file.
        const fs::path database = makeShinkaFixture(root / "fixture");
        const std::string bytes = readTextFile(database);
        for (int t = 0; t < 30; ++t) {
            std::string cut = bytes.substr(0, random() % bytes.size());
            if (t % 2 && !cut.empty())
                cut[random() % cut.size()] ^= 0x5a;
            const fs::path file = root / ("cut" + std::to_string(t) + ".sqlite");
            writeFile(file, cut);
            std::string why;
            QVERIFY2(readsOrRefuses(file, "shinka", why), why.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestImportersMore)
#include "tst_importers_more.moc"
