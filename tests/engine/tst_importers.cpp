// Importers of other systems' runs, on fixtures written for this project with the quirks
// of the real files (ADAS: string fitness with inconsistent intervals, "initial" and gapped
// generations, a thought object, a stray entry; AIDE: NaN metrics, a buggy node, a parent
// the journal lost, _term_out as list or string). Each import is checked for node count,
// parent links, scores, the code of a deep node, a diff, warnings, and an export round
// trip; the JSON readers are fuzzed with truncations and mutations.
#include "engine/git/Repository.h"
#include "engine/importers/AdasImporter.h"
#include "engine/importers/AideImporter.h"
#include "engine/importers/ImportFormats.h"
#include "engine/importers/ImportWriter.h"
#include "engine/importers/ImportedStrategy.h"
#include "engine/importers/JsonStream.h"
#include "engine/importers/JsonText.h"
#include "engine/run/RunExport.h"
#include "engine/run/RunSummary.h"
#include "engine/store/RunFolder.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"

#include "support/ImportedRuns.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <random>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

using testsupport::anyWarning;
using testsupport::byDescription;
using testsupport::readCode;
const fs::path kFixtures = testsupport::kImportFixtures;

} // namespace

class TestImporters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void adasArchive()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("adas").toStdString();
        const ImportedRun imported = readImportedRun(kFixtures / "adas"); // detected in the folder
        QCOMPARE(imported.format, std::string("adas"));
        const ImportResult result = writeImportedRun(imported, out);
        QCOMPARE(result.nodes, 6); // a synthetic root + 5 agents (the stray entry skipped)
        QVERIFY(anyWarning(result.warnings, "entry 3: skipped"));
        QVERIFY(anyWarning(result.warnings, "does not contain its median"));

        const RunSnapshot run = RunSnapshot::read(out);
        QCOMPARE(run.nodes.size(), std::size_t(6));
        QCOMPARE(run.config.settings.strategy, std::string(kImportedStrategy));
        for (std::size_t i = 1; i < run.nodes.size(); ++i)
            QCOMPARE(run.nodes[i].parents, std::vector<int>{0}); // ADAS has no parent links
        // Generation order: the two initial agents, then generations 1, 3 and 7.
        QVERIFY(run.nodes[1].description.rfind("Chain-of-Thought (generation initial)", 0) == 0);
        QVERIFY(run.nodes[2].description.rfind("Self-Consistency", 0) == 0);
        QVERIFY(run.nodes[3].description.rfind("Dynamic Assignment of Roles (generation 1)", 0) == 0);
        QVERIFY(run.nodes[5].description.rfind("Format-first (generation 7)", 0) == 0);
        QCOMPARE(*run.nodes[2].score, 0.312);
        const Node& verified = byDescription(run, "Step-wise Verification");
        QCOMPARE(*verified.score, 0.453); // the median, whatever the interval says
        QCOMPARE(verified.metrics.at("fitness_ci_low_percent"), 47.0);
        QCOMPARE(verified.metrics.at("test_fitness_median_percent"), 43.2);
        QVERIFY(!run.nodes[0].score);
        QCOMPARE(run.best()->id, verified.id);

        QVERIFY(readCode(out, verified, "agent.py").find("critic([taskInfo, step], 'Check')") != std::string::npos);
        auto repo = clade::git::Repository::openBare(RunFolder{out}.repo());
        const std::string diff = repo.diffPatch(clade::git::Oid::fromHex(run.nodes[1].commit),
                                                clade::git::Oid::fromHex(verified.commit));
        QVERIFY(diff.find("+    steps = planner") != std::string::npos);
        QVERIFY(diff.find("-    cot_instruction") != std::string::npos);
        // The original record and the thought object are kept.
        const fs::path artifacts = RunFolder{out}.artifacts(run.nodes[3].id);
        QVERIFY(readTextFile(artifacts / "thought.md").find("overall_idea") != std::string::npos);
        QVERIFY(readTextFile(artifacts / "source.json").find("Dynamic Assignment") != std::string::npos);
    }

    void aideJournal()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("aide").toStdString();
        const ImportResult result = writeImportedRun(readImportedRun(kFixtures / "aide" / "journal.json"), out);
        QCOMPARE(result.nodes, 8); // synthetic root, a placeholder, 6 journal nodes
        QVERIFY(anyWarning(result.warnings, "2 NaN/Infinity"));
        QVERIFY(anyWarning(result.warnings, "parent gone9 is not in the journal"));
        QVERIFY(!anyWarning(result.warnings, "attached to the root"));

        const RunSnapshot run = RunSnapshot::read(out);
        QVERIFY(run.config.manifest.direction == Direction::Maximize);
        const Node& baseline = byDescription(run, "step 0");
        const Node& forest = byDescription(run, "step 1");
        const Node& deeper = byDescription(run, "step 2");
        const Node& buggy = byDescription(run, "step 3");
        const Node& fixed = byDescription(run, "step 4");
        const Node& orphan = byDescription(run, "step 5");
        const Node& placeholder = byDescription(run, "missing from the journal");
        QCOMPARE(baseline.parents, std::vector<int>{0});
        QCOMPARE(forest.parents, std::vector<int>{0});
        QCOMPARE(deeper.parents, std::vector<int>{forest.id});
        QCOMPARE(buggy.parents, std::vector<int>{deeper.id});
        QCOMPARE(fixed.parents, std::vector<int>{buggy.id});
        QCOMPARE(orphan.parents, std::vector<int>{placeholder.id});
        QVERIFY(placeholder.status == NodeStatus::Failed);
        QVERIFY(buggy.status == NodeStatus::Failed);
        QCOMPARE(buggy.error, std::string("AttributeError"));
        QVERIFY(!buggy.score);
        QVERIFY(!orphan.score); // NaN: no score
        QCOMPARE(*fixed.score, 0.84);
        QCOMPARE(run.best()->id, fixed.id);
        QCOMPARE(fixed.metrics.at("exec_time"), 9.0);

        // The deepest node's code, and the debug step's diff against its buggy parent.
        QVERIFY(readCode(out, fixed, "solution.py").find("xgboost.XGBClassifier().fit") != std::string::npos);
        auto repo = clade::git::Repository::openBare(RunFolder{out}.repo());
        const std::string diff = repo.diffPatch(clade::git::Oid::fromHex(buggy.commit),
                                                clade::git::Oid::fromHex(fixed.commit));
        QVERIFY(diff.find("-model = xgboost.XGBClassifer()") != std::string::npos);
        QVERIFY(diff.find("+model = xgboost.XGBClassifier().fit") != std::string::npos);
        QCOMPARE(fixed.diff.insertions, 2);
        const fs::path artifacts = RunFolder{out}.artifacts(buggy.id);
        QVERIFY(readTextFile(artifacts / "terminal.log").find("has no attribute 'XGBClassifer'") != std::string::npos);
        QVERIFY(readTextFile(artifacts / "source.json").find("\"is_buggy\": true") != std::string::npos);
    }

    // DGM: multi-line JSONL records, a patch chain applied to the base code, a patch that
    // does not apply, a parent the folder lacks, the final archive as kept.
    void dgmRunWithBase()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("dgm").toStdString();
        const ImportResult result =
            writeImportedRun(readImportedRun(kFixtures / "dgm", {}, kFixtures / "dgm-base"), out);
        QCOMPARE(result.nodes, 6); // initial, 4 node folders, 1 placeholder
        QVERIFY(anyWarning(result.warnings, "20250514_120000_333333: the patch does not apply"));
        QVERIFY(anyWarning(result.warnings, "20250514_125959_999999: no 20250514_125959_999999/metadata.json"));
        const RunSnapshot run = RunSnapshot::read(out);
        const Node& root = run.nodes[0];
        const Node& retry = byDescription(run, "20250514_101500_111111");
        const Node& guard = byDescription(run, "20250514_113000_222222");
        const Node& broken = byDescription(run, "20250514_120000_333333");
        const Node& logging = byDescription(run, "20250514_130000_444444");
        const Node& placeholder = byDescription(run, "missing from the run folder");
        QCOMPARE(retry.parents, std::vector<int>{root.id});
        QCOMPARE(guard.parents, std::vector<int>{retry.id});
        // The run id is the only time DGM records: 2025-05-14 10:15:00.111111 (as UTC).
        QVERIFY(qAbs(retry.createdAt - 1747217700.111111) < 1e-3);
        QVERIFY(guard.createdAt > retry.createdAt);
        QCOMPARE(placeholder.createdAt, 0.0);
        QCOMPARE(logging.parents, std::vector<int>{placeholder.id});
        QCOMPARE(placeholder.parents, std::vector<int>{root.id});
        QCOMPARE(*root.score, 0.25);
        QCOMPARE(*guard.score, 0.75);
        QCOMPARE(guard.results.size(), std::size_t(4));
        QCOMPARE(guard.results.at("sympy__sympy-20590"), 1.0);
        QCOMPARE(guard.results.at("astropy__astropy-12907"), 0.0);
        QVERIFY(broken.status == NodeStatus::Failed && !broken.score);
        QVERIFY(guard.hasFlag(FlagKept) && retry.hasFlag(FlagKept) && !broken.hasFlag(FlagKept));
        QCOMPARE(run.best()->id, guard.id);
        QVERIFY(guard.description.find("refuse them") != std::string::npos);

        // The deep node's code is the base plus both patches of its chain.
        const std::string agent = readCode(out, guard, "coding_agent.py");
        QVERIFY2(agent.find("for _ in range(attempts):") != std::string::npos, agent.c_str());
        QVERIFY(readCode(out, guard, "tools/edit.py").find("edit outside the repository") != std::string::npos);
        QVERIFY(readCode(out, broken, "coding_agent.py") == readCode(out, root, "coding_agent.py"));
        auto repo = clade::git::Repository::openBare(RunFolder{out}.repo());
        const std::string diff = repo.diffPatch(clade::git::Oid::fromHex(logging.commit),
                                                clade::git::Oid::fromHex(guard.commit));
        QVERIFY(diff.find("-    print(\"edited\", path)") != std::string::npos);
        QVERIFY(diff.find("+    for _ in range(attempts):") != std::string::npos);
        QVERIFY(readTextFile(RunFolder{out}.artifacts(retry.id) / "self_evo.md").find("retry loop") != std::string::npos);
    }

    // Without the base code each node holds its chain of patches, so diffs still tell
    // nodes apart.
    void dgmRunWithoutBase()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("dgm").toStdString();
        const ImportResult result = writeImportedRun(readImportedRun(kFixtures / "dgm" / "dgm_metadata.jsonl"), out);
        QVERIFY(anyWarning(result.warnings, "no --base given"));
        const RunSnapshot run = RunSnapshot::read(out);
        const Node& guard = byDescription(run, "20250514_113000_222222");
        QVERIFY(readCode(out, guard, "patches/01-20250514_101500_111111.diff").find("+    for _ in range(attempts):") !=
                std::string::npos);
        QVERIFY(readCode(out, guard, "patches/02-20250514_113000_222222.diff").find("edit outside") != std::string::npos);
        QCOMPARE(guard.diff.files, 1);
    }

    // HGM: the last snapshot is the tree (the first holds only the root), Infinity reads
    // as a missing utility, a node without a folder is a placeholder.
    void hgmRun()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("hgm").toStdString();
        const ImportResult result =
            writeImportedRun(readImportedRun(kFixtures / "hgm", "hgm", kFixtures / "dgm-base"), out);
        QCOMPARE(result.nodes, 4);
        QVERIFY(anyWarning(result.warnings, "c3: mean_utility is not a finite number"));
        const RunSnapshot run = RunSnapshot::read(out);
        const Node& c1 = byDescription(run, "c1");
        const Node& c2 = byDescription(run, "c2");
        const Node& c3 = byDescription(run, "missing from the run folder: node c3");
        QCOMPARE(c2.parents, std::vector<int>{c1.id});
        QCOMPARE(c3.parents, std::vector<int>{c1.id});
        QCOMPARE(c1.metrics.at("mean_utility"), 0.5);
        QCOMPARE(c2.metrics.at("num_evals"), 4.0);
        QVERIFY(!c3.metrics.count("mean_utility"));
        QCOMPARE(*c2.score, 0.75);
        QVERIFY(readCode(out, c2, "tools/edit.py").find("edit outside the repository") != std::string::npos);
        auto repo = clade::git::Repository::openBare(RunFolder{out}.repo());
        const std::string diff = repo.diffPatch(clade::git::Oid::fromHex(c1.commit),
                                                clade::git::Oid::fromHex(c2.commit));
        QVERIFY(diff.find("-    (repo / path).write_text(text)") != std::string::npos);
        QVERIFY(diff.find("+        raise ValueError(\"edit outside the repository: \" + path)") !=
                std::string::npos);
    }

    // A metadata file cut off inside its last record (a run killed while writing): the
    // complete records are used and the cut is reported with its position.
    void jsonStreamTruncatedTail()
    {
        const std::string text = readTextFile(kFixtures / "dgm" / "dgm_metadata.jsonl");
        const auto second = text.find("{", 10);
        const JsonStream stream = parseJsonStream(text.substr(0, second + 40), "m.jsonl");
        QCOMPARE(stream.values.size(), std::size_t(1));
        QCOMPARE(stream.values[0]["generation"].get<int>(), 0);
        QVERIFY2(stream.truncatedTail.find("line 8, column 1") != std::string::npos, stream.truncatedTail.c_str());
        const JsonStream whole = parseJsonStream(text, "m.jsonl");
        QCOMPARE(whole.values.size(), std::size_t(2));
        QVERIFY(whole.truncatedTail.empty());
        QVERIFY_THROWS_EXCEPTION(InputError, parseJsonStream("{\"a\": 1}\n{\"b\": ]}\n", "bad.jsonl"));
    }

    // OpenEvolve: the newest checkpoint, an evicted parent as a placeholder, the mean of
    // the metrics when there is no combined_score, NaN as no score, the archive kept.
    void openEvolveCheckpoint()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("oe").toStdString();
        const ImportedRun imported = readImportedRun(kFixtures / "openevolve");
        QCOMPARE(imported.format, std::string("openevolve"));
        QCOMPARE(imported.source.filename().string(), std::string("checkpoint_20"));
        const ImportResult result = writeImportedRun(imported, out);
        QCOMPARE(result.nodes, 7); // root, placeholder, 5 programs
        QVERIFY(anyWarning(result.warnings, "f5555555-evicted is not in the checkpoint"));
        QVERIFY(anyWarning(result.warnings, "e4444444-orphan: combined_score is not a number"));
        const RunSnapshot run = RunSnapshot::read(out);
        const Node& init = byDescription(run, "program a0000000");
        const Node& step = byDescription(run, "program b1111111");
        const Node& refine = byDescription(run, "program c2222222");
        const Node& use = byDescription(run, "program d3333333");
        const Node& orphan = byDescription(run, "program e4444444");
        const Node& evicted = byDescription(run, "evicted from the population");
        QCOMPARE(init.parents, std::vector<int>{0});
        QCOMPARE(step.parents, std::vector<int>{init.id});
        QCOMPARE(use.parents, std::vector<int>{refine.id});
        QCOMPARE(orphan.parents, std::vector<int>{evicted.id});
        QCOMPARE(*refine.score, 0.7); // (0.6 + 0.8) / 2
        QVERIFY(!orphan.score);
        QCOMPARE(refine.metrics.at("island"), 1.0);
        QVERIFY(use.hasFlag(FlagKept) && !orphan.hasFlag(FlagKept));
        QCOMPARE(run.best()->id, use.id);
        QVERIFY(use.description.find("[best]") != std::string::npos);
        QVERIFY(readCode(out, use, "program.py").find("return refine(f, best)") != std::string::npos);
        auto repo = clade::git::Repository::openBare(RunFolder{out}.repo());
        const std::string diff = repo.diffPatch(clade::git::Oid::fromHex(init.commit), clade::git::Oid::fromHex(use.commit));
        QVERIFY(diff.find("+def refine(f, x):") != std::string::npos);
        QVERIFY(readTextFile(RunFolder{out}.artifacts(step.id) / "prompts.json").find("Improve the program.") != std::string::npos);
    }

    // `clade export --format json` of an imported run gives back its ids, parents and scores.
    void exportRoundTrip()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("aide").toStdString();
        writeImportedRun(readImportedRun(kFixtures / "aide"), out);
        const RunSnapshot run = RunSnapshot::read(out);
        const auto exported = nlohmann::json::parse(exportJson(run));
        QCOMPARE(exported["nodes"].size(), run.nodes.size());
        for (std::size_t i = 0; i < run.nodes.size(); ++i) {
            const auto& e = exported["nodes"][i];
            QCOMPARE(e["id"].get<int>(), run.nodes[i].id);
            QCOMPARE(e["parents"].get<std::vector<int>>(), run.nodes[i].parents);
            if (run.nodes[i].score)
                QCOMPARE(e["score"].get<double>(), *run.nodes[i].score);
            else
                QVERIFY(e["score"].is_null());
        }
    }

    // CSV and Graphviz dot exports of an imported run give back its ids, all parents (the
    // primary first) and scores (to the 10 significant digits they are written with).
    void csvAndDotRoundTrip()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("dgm").toStdString();
        writeImportedRun(readImportedRun(kFixtures / "dgm", {}, kFixtures / "dgm-base"), out);
        const RunSnapshot run = RunSnapshot::read(out);

        // CSV: a quoted field may hold commas, quotes and newlines.
        const std::string csv = exportCsv(run);
        std::vector<std::vector<std::string>> rows{{}};
        std::string field;
        bool quoted = false;
        for (std::size_t i = 0; i < csv.size(); ++i) {
            const char c = csv[i];
            if (quoted) {
                if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"')
                    field += '"', ++i;
                else if (c == '"')
                    quoted = false;
                else
                    field += c;
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                rows.back().push_back(field), field.clear();
            } else if (c == '\n') {
                rows.back().push_back(field), field.clear();
                rows.emplace_back();
            } else {
                field += c;
            }
        }
        rows.pop_back(); // after the last newline
        QCOMPARE(rows.size(), run.nodes.size() + 1);
        QCOMPARE(rows[0][0], std::string("id"));
        QCOMPARE(rows[0][2], std::string("parents"));
        QCOMPARE(rows[0][5], std::string("score"));
        std::vector<std::string> dotEdges;
        for (std::size_t i = 0; i < run.nodes.size(); ++i) {
            const Node& node = run.nodes[i];
            const auto& row = rows[i + 1];
            QCOMPARE(std::stoi(row[0]), node.id);
            std::string parents;
            for (const int p : node.parents)
                parents += (parents.empty() ? "" : ";") + std::to_string(p);
            QCOMPARE(row[2], parents);
            if (node.score)
                QVERIFY(std::abs(std::stod(row[5]) - *node.score) < 1e-9);
            else
                QVERIFY(row[5].empty());
            for (std::size_t k = 0; k < node.parents.size(); ++k)
                dotEdges.push_back("n" + std::to_string(node.parents[k]) + " -> n" + std::to_string(node.id));
        }

        // dot: one node statement per node (its score in the label), one edge per parent.
        const std::string dot = exportDot(run);
        for (const Node& node : run.nodes) {
            const std::string label = "n" + std::to_string(node.id) + " [label=\"#" + std::to_string(node.id);
            const auto at = dot.find(label);
            QVERIFY2(at != std::string::npos, label.c_str());
            const std::string line = dot.substr(at, dot.find('\n', at) - at);
            if (node.score) {
                char score[32];
                std::snprintf(score, sizeof score, "%.10g", *node.score);
                QVERIFY2(line.find(std::string("\\n") + score) != std::string::npos, line.c_str());
            }
        }
        std::size_t edges = 0;
        for (std::size_t at = dot.find(" -> "); at != std::string::npos; at = dot.find(" -> ", at + 1))
            ++edges;
        QCOMPARE(edges, dotEdges.size());
        for (const auto& edge : dotEdges)
            QVERIFY2(dot.find(edge + ";") != std::string::npos || dot.find(edge + " [") != std::string::npos, edge.c_str());
    }

    void badInput()
    {
        QTemporaryDir dir;
        // Nothing to import: the message names the path and what was looked for.
        try {
            readImportedRun(dir.path().toStdString());
            QFAIL("an empty folder was accepted");
        } catch (const InputError& error) {
            QVERIFY(QString(error.what()).contains(dir.path()));
            QVERIFY(QString(error.what()).contains("journal.json"));
        }
        // An existing target is never overwritten.
        const fs::path out = dir.filePath("taken").toStdString();
        fs::create_directories(out);
        QVERIFY_THROWS_EXCEPTION(InputError, writeImportedRun(readImportedRun(kFixtures / "adas"), out));
        // A truncated file: the error names the file and the position.
        const std::string text = readTextFile(kFixtures / "aide" / "journal.json");
        const fs::path cut = dir.filePath("journal.json").toStdString();
        std::ofstream(cut) << text.substr(0, 700);
        try {
            readAideRun(cut);
            QFAIL("a truncated journal was accepted");
        } catch (const InputError& error) {
            QVERIFY2(QString(error.what()).contains(QString::fromStdString(cut.string()) + ": malformed JSON at line"),
                     error.what());
        }
        QVERIFY(!fs::exists(dir.filePath(".taken.importing-" + QString::number(QCoreApplication::applicationPid())).toStdString()));
    }

    void nonFiniteNumbersAndPositions()
    {
        const auto parsed = parseLenientJson("{\"a\": NaN, \"b\": [Infinity, -Infinity], \"c\": \"NaN\"}", "x.json");
        QCOMPARE(parsed.nonFiniteNumbers, 3);
        QVERIFY(parsed.value["a"].is_null());
        QVERIFY(parsed.value["b"][1].is_null());
        QCOMPARE(parsed.value["c"].get<std::string>(), std::string("NaN")); // inside a string: kept
        try {
            parseLenientJson("{\"a\": NaN,\n \"b\": ]}", "y.json");
            QFAIL("bad JSON was accepted");
        } catch (const InputError& error) {
            QVERIFY2(QString(error.what()).contains("y.json: malformed JSON at line 2, column 7"), error.what());
        }
    }

    void adasFitness_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("median");
        QTest::addColumn<bool>("consistent");
        QTest::newRow("standard") << "95% Bootstrap Confidence Interval: (23.4%, 39.1%), Median: 31.2%" << 31.2 << true;
        QTest::newRow("inconsistent") << "95% Bootstrap Confidence Interval: (47.0%, 44.5%), Median: 45.3%" << 45.3 << false;
        QTest::newRow("bare number") << "12.5" << 12.5 << true;
        QTest::newRow("none") << "not evaluated" << -1.0 << true;
    }
    void adasFitness()
    {
        QFETCH(QString, text);
        QFETCH(double, median);
        QFETCH(bool, consistent);
        const auto fitness = parseAdasFitness(text.toStdString());
        QCOMPARE(fitness.has_value(), median >= 0);
        if (fitness) {
            QCOMPARE(fitness->median, median);
            QCOMPARE(fitness->consistent(), consistent);
        }
    }

    // Random truncations and byte mutations of both fixtures: every read either succeeds
    // or throws InputError; nothing else escapes and nothing crashes. Successful reads are
    // written as runs too, every tenth one.
    void fuzzedFilesNeverCrash()
    {
        QTemporaryDir dir;
        std::mt19937 rng(20261126);
        int accepted = 0, refused = 0;
        for (const auto& [format, source] : {std::pair{std::string("adas"), kFixtures / "adas" / "mgsm_gpt3.5_run_archive.json"},
                                             std::pair{std::string("aide"), kFixtures / "aide" / "journal.json"}}) {
            const std::string original = readTextFile(source);
            for (int round = 0; round < 250; ++round) {
                std::string text = original;
                if (round % 2 == 0) {
                    text.resize(rng() % text.size());
                } else {
                    const int edits = 1 + static_cast<int>(rng() % 6);
                    for (int e = 0; e < edits; ++e) {
                        const std::size_t at = rng() % text.size();
                        static const char kBytes[] = "{}[]\",:0-.eNI\\ \nax\x01\xff";
                        text[at] = kBytes[rng() % (sizeof kBytes - 1)];
                    }
                }
                const fs::path file = dir.filePath(QString("case-%1.json").arg(round)).toStdString();
                writeFileAtomically(file, text);
                try {
                    const ImportedRun run = readImportedRun(file, format);
                    ++accepted;
                    if (round % 10 == 1)
                        writeImportedRun(run, dir.filePath(QString("run-%1-%2").arg(QString::fromStdString(format)).arg(round)).toStdString());
                } catch (const InputError&) {
                    ++refused;
                }
            }
        }
        for (const auto& source : {kFixtures / "dgm" / "dgm_metadata.jsonl", kFixtures / "hgm" / "hgm_metadata.jsonl"}) {
            const std::string original = readTextFile(source);
            for (int round = 0; round < 200; ++round) {
                std::string text = original;
                if (round % 2 == 0)
                    text.resize(rng() % text.size());
                else
                    text[rng() % text.size()] = "{}[]\",:0-.NI\\ \n"[rng() % 16];
                try {
                    parseJsonStream(text, source);
                    ++accepted;
                } catch (const InputError&) {
                    ++refused;
                }
            }
        }
        qInfo() << "fuzz:" << accepted << "accepted," << refused << "refused";
        QVERIFY(refused > 100); // truncations at least
        QVERIFY(accepted > 10); // mutations inside strings still read
    }
};

QTEST_GUILESS_MAIN(TestImporters)
#include "tst_importers.moc"
