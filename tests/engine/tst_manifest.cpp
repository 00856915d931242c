#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "engine/manifest/Manifest.h"
#include "engine/util/InputError.h"

using namespace clade::engine;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The smallest manifest that loads; invalid cases are JSON merge patches (RFC 7386) of it,
// so each row shows only what is wrong.
const char* const kMinimal = R"({
  "name": "binpack",
  "evolvable": ["heuristic.py"],
  "harness": "harness",
  "solve": {"command": ["/usr/bin/python3", "/harness/solve.py", "--tasks", "{tasks}"]},
  "score": {"command": ["/usr/bin/python3", "/harness/score.py"]},
  "tasks": ["weibull-a", "weibull-b"]
})";

// The documented example, every field set.
const char* const kFull = R"({
  "name": "binpack",
  "description": "one sentence",
  "evolvable": ["heuristic.py"],
  "protected": ["clade.json", "propose.py", "harness/"],
  "ignore": ["__pycache__/", "*.pyc"],
  "harness": "harness",
  "propose": {"command": ["/usr/bin/python3", "/agent/propose.py"],
              "limits": {"wall_seconds": 30, "cpu_seconds": 30, "memory_mb": 512}},
  "solve": {"command": ["/usr/bin/python3", "/harness/solve.py", "--agent", "/agent",
                        "--tasks", "{tasks}", "--out", "/output"],
            "limits": {"wall_seconds": 60}},
  "score": {"command": ["/usr/bin/python3", "/harness/score.py", "--tasks", "{tasks}",
                        "--solutions", "/output"]},
  "tasks": ["weibull-a", "weibull-b"],
  "batch_size": 0,
  "metrics": {"primary": "score", "direction": "maximize",
              "guards": [{"name": "bins_used", "direction": "minimize", "limit": 1000}]},
  "limits": {"wall_seconds": 120, "cpu_seconds": 120, "memory_mb": 1024, "pids": 64,
             "output_kb": 1024, "tmp_mb": 64, "scratch_mb": 512, "scratch_inodes": 50000}
})";

void writeFile(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
    QVERIFY2(out.good(), path.c_str());
}

/// A fresh agent folder <tmp>/agent with a harness/ inside and a shared-harness/ beside it.
struct Fixture {
    QTemporaryDir tmp;
    fs::path root;
    fs::path agent;

    Fixture()
    {
        root = fs::path(tmp.path().toStdString());
        agent = root / "agent";
        fs::create_directories(agent / "harness");
        fs::create_directories(root / "shared-harness");
    }

    fs::path manifestFile() const { return agent / "clade.json"; }

    Manifest load(const std::string& text) const
    {
        writeFile(manifestFile(), text);
        return loadManifest(agent);
    }

    std::string withPatch(const std::string& patch) const
    {
        json manifest = json::parse(kMinimal);
        manifest.merge_patch(json::parse(patch));
        return manifest.dump(2);
    }

    // Expected messages name real paths, which only exist once the fixture does.
    QString expand(QString expected) const
    {
        return expected.replace("{file}", QString::fromStdString(manifestFile().string()))
            .replace("{agent}", QString::fromStdString(agent.string()));
    }
};

using Strings = std::vector<std::string>;

} // namespace

class TestManifest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesFullManifest();
    void appliesDefaults();
    void readsTasksFromFile();
    void protectsManifestAndHarness_data();
    void protectsManifestAndHarness();
    void roundTripsThroughJson_data();
    void roundTripsThroughJson();
    void rejectsInvalid_data();
    void rejectsInvalid();
    void reportsMissingManifest_data();
    void reportsMissingManifest();
    void matchesProtectedAndEvolvable_data();
    void matchesProtectedAndEvolvable();
    void loadsBundledExample();
    void readsReviewSection();
    void readsRunJsonWithoutGuardWorsening();
};

void TestManifest::parsesFullManifest()
{
    Fixture fx;
    const Manifest m = fx.load(kFull);

    QCOMPARE(m.file, fx.manifestFile());
    QCOMPARE(m.agentDir, fx.agent);
    QCOMPARE(m.name, "binpack");
    QCOMPARE(m.description, "one sentence");
    QCOMPARE(m.evolvable, Strings{"heuristic.py"});
    QCOMPARE(m.protectedPaths, (Strings{"clade.json", "propose.py", "harness/"}));
    QCOMPARE(m.ignore, (Strings{"__pycache__/", "*.pyc"}));
    QCOMPARE(m.harnessDir, fx.agent / "harness");
    QCOMPARE(m.tasks, (Strings{"weibull-a", "weibull-b"}));
    QCOMPARE(m.batchSize, 0);
    QCOMPARE(m.primaryMetric, "score");
    QCOMPARE(m.direction, Direction::Maximize);
    QCOMPARE(m.guards.size(), 1u);
    QCOMPARE(m.guards[0].name, "bins_used");
    QCOMPARE(m.guards[0].direction, Direction::Minimize);
    QCOMPARE(m.guards[0].limit, std::optional<double>(1000));

    // Top-level limits are the defaults; a command's own limits override field by field.
    const SandboxLimits top{120, 120, 1024, 64, 1024 * 1024, 64, 512, 50000};
    QVERIFY(m.propose.has_value());
    QCOMPARE(m.propose->argv, (Strings{"/usr/bin/python3", "/agent/propose.py"}));
    QVERIFY(m.propose->limits == (SandboxLimits{30, 30, 512, 64, 1024 * 1024, 64, 512, 50000}));
    QCOMPARE(m.solve.argv.size(), 8u);
    QCOMPARE(m.solve.argv[5], "{tasks}");
    QVERIFY(m.solve.limits == (SandboxLimits{60, 120, 1024, 64, 1024 * 1024, 64, 512, 50000}));
    QCOMPARE(m.score.argv.back(), "/output");
    QVERIFY(m.score.limits == top);
}

void TestManifest::readsReviewSection()
{
    Fixture fx;
    const Manifest defaults = fx.load(kMinimal);
    QVERIFY(defaults.review == ReviewRules{});
    QCOMPARE(defaults.review.maxChangedLines, 400);
    QCOMPARE(defaults.review.scoreJumpFactor, 3.0);
    QCOMPARE(defaults.review.scoreJumpMin, 0.05);
    QCOMPARE(defaults.review.guardWorsening, 0.5);
    QCOMPARE(defaults.toJson()["review"]["max_changed_lines"].get<int>(), 400);
    QCOMPARE(defaults.toJson()["review"]["guard_worsening"].get<double>(), 0.5);

    const Manifest m = fx.load(fx.withPatch(
        R"({"review": {"improver": ["lib/helper.py"], "max_changed_lines": 50,
            "patterns": [{"pattern": "FileUtils\\.rm_rf", "message": "removes a tree", "files": ["*.rb"]},
                         {"pattern": "curl", "message": "network"}],
            "score_jump": {"factor": 2, "min": 0}, "guard_worsening": 0.25}})"));
    QCOMPARE(m.review.improver, Strings{"lib/helper.py"});
    QCOMPARE(m.review.maxChangedLines, 50);
    QCOMPARE(m.review.scoreJumpFactor, 2.0);
    QCOMPARE(m.review.scoreJumpMin, 0.0);
    QCOMPARE(m.review.guardWorsening, 0.25);
    QCOMPARE(m.review.patterns.size(), 2u);
    QCOMPARE(m.review.patterns[0].pattern, "FileUtils\\.rm_rf");
    QCOMPARE(m.review.patterns[0].message, "removes a tree");
    QCOMPARE(m.review.patterns[0].files, Strings{"*.rb"});
    QVERIFY(m.review.patterns[1].files.empty());
    QCOMPARE(m.harnessRelativePath(), std::optional<std::string>("harness"));
}

// A run.json written before review.guard_worsening existed reads the default.
void TestManifest::readsRunJsonWithoutGuardWorsening()
{
    Fixture fx;
    json snapshot = fx.load(fx.withPatch(R"({"review": {"guard_worsening": 2}})")).toJson();
    QCOMPARE(snapshot["review"]["guard_worsening"].get<double>(), 2.0);
    snapshot["review"].erase("guard_worsening");
    const Manifest old = parseManifest(snapshot.dump(), fx.manifestFile());
    QCOMPARE(old.review.guardWorsening, 0.5);
}

void TestManifest::appliesDefaults()
{
    Fixture fx;
    const Manifest m = fx.load(kMinimal);

    QCOMPARE(m.description, "");
    QCOMPARE(m.protectedPaths, (Strings{"clade.json", "harness/"}));
    QCOMPARE(m.ignore, (Strings{"__pycache__/", "*.pyc", ".git/"}));
    QVERIFY(!m.propose.has_value());
    QVERIFY(m.solve.limits == SandboxLimits{});
    QVERIFY(m.score.limits == SandboxLimits{});
    QCOMPARE(m.batchSize, 0);
    QCOMPARE(m.primaryMetric, "score");
    QCOMPARE(m.direction, Direction::Maximize);
    QVERIFY(m.guards.empty());

    // The snapshot spells out what the defaults were at the time of the run.
    const json j = m.toJson();
    QCOMPARE(j["harness"].get<std::string>(), (fx.agent / "harness").string());
    QVERIFY(fs::path(j["harness"].get<std::string>()).is_absolute());
    for (const char* command : {"solve", "score"}) {
        const json& limits = j[command]["limits"];
        QCOMPARE(limits.size(), 8u);
        QCOMPARE(limits["wall_seconds"].get<double>(), 120.0);
        QCOMPARE(limits["cpu_seconds"].get<double>(), 120.0);
        QCOMPARE(limits["memory_mb"].get<int>(), 1024);
        QCOMPARE(limits["pids"].get<int>(), 128);
        QCOMPARE(limits["output_kb"].get<int>(), 4096);
        QCOMPARE(limits["tmp_mb"].get<int>(), 256);
        QCOMPARE(limits["scratch_mb"].get<int>(), 1024);
        QCOMPARE(limits["scratch_inodes"].get<int>(), 200000);
    }
    QCOMPARE(j["metrics"]["direction"].get<std::string>(), "maximize");
    QVERIFY(!j.contains("propose"));
}

void TestManifest::readsTasksFromFile()
{
    Fixture fx;
    fs::create_directories(fx.root / "shared-harness" / "data");
    writeFile(fx.root / "shared-harness" / "data" / "tasks.json", R"(["t-1", "t_2", "T.3"])");
    const Manifest m = fx.load(fx.withPatch(
        R"({"harness": "../shared-harness", "tasks": {"file": "../shared-harness/data/tasks.json"}})"));
    QCOMPARE(m.tasks, (Strings{"t-1", "t_2", "T.3"}));
    QCOMPARE(m.harnessDir, fx.root / "shared-harness");
    QCOMPARE(m.toJson()["tasks"], json({"t-1", "t_2", "T.3"}));
}

void TestManifest::protectsManifestAndHarness_data()
{
    QTest::addColumn<QString>("patch");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("default, harness inside") << R"({})" << QStringList{"clade.json", "harness/"};
    QTest::newRow("harness with trailing slash")
        << R"({"harness": "./harness/"})" << QStringList{"clade.json", "harness/"};
    QTest::newRow("harness outside is not an agent path")
        << R"({"harness": "../shared-harness"})" << QStringList{"clade.json"};
    QTest::newRow("explicit list gets the missing entries")
        << R"({"protected": ["propose.py"]})"
        << QStringList{"propose.py", "clade.json", "harness/"};
    QTest::newRow("entries already covered are not repeated")
        << R"({"protected": ["harness", "*.json"]})" << QStringList{"harness", "*.json"};
    QTest::newRow("empty list") << R"({"protected": []})" << QStringList{"clade.json", "harness/"};
}

void TestManifest::protectsManifestAndHarness()
{
    QFETCH(QString, patch);
    QFETCH(QStringList, expected);
    Fixture fx;
    const Manifest m = fx.load(fx.withPatch(patch.toStdString()));
    QStringList actual;
    for (const std::string& path : m.protectedPaths)
        actual << QString::fromStdString(path);
    QCOMPARE(actual, expected);
    QVERIFY(m.isProtected("clade.json"));
}

void TestManifest::roundTripsThroughJson_data()
{
    QTest::addColumn<QString>("patch");
    QTest::newRow("minimal") << "{}";
    QTest::newRow("full") << QString(kFull);
    QTest::newRow("outside harness, guard without limit")
        << R"({"harness": "../shared-harness", "batch_size": 3, "metrics": {"primary": "time",
              "direction": "minimize", "guards": [{"name": "failures"}]}})";
    QTest::newRow("review section")
        << R"({"review": {"improver": ["lib/", "notes/*.md"], "max_changed_lines": 50,
              "patterns": [{"pattern": "\\bFileUtils\\.rm_rf\\b", "message": "removes a tree",
                            "files": ["*.rb"]}, {"pattern": "curl", "message": "network"}],
              "score_jump": {"factor": 2.5, "min": 0.01}, "guard_worsening": 0}})";
    QTest::newRow("fractional seconds")
        << R"({"limits": {"wall_seconds": 0.25, "output_kb": 3}, "solve": {"limits": {"cpu_seconds": 1e-3}}})";
}

void TestManifest::roundTripsThroughJson()
{
    QFETCH(QString, patch);
    Fixture fx;
    const Manifest m = fx.load(fx.withPatch(patch.toStdString()));
    const std::string snapshot = m.toJson().dump();
    const Manifest back = parseManifest(snapshot, m.file);
    QVERIFY2(back == m, snapshot.c_str());
    QCOMPARE(back.toJson(), m.toJson());
}

void TestManifest::rejectsInvalid_data()
{
    QTest::addColumn<QString>("patch");     // merge patch of kMinimal
    QTest::addColumn<QString>("raw");       // if set, the whole clade.json instead
    QTest::addColumn<QString>("tasksFile"); // if set, written to agent/tasks.json
    QTest::addColumn<QStringList>("expected");

    const auto row = [](const char* name, const char* patch, QStringList expected) {
        QTest::newRow(name) << patch << QString() << QString() << expected;
    };
    row("missing name", R"({"name": null})",
        {"{file}: field 'name': expected a non-empty string (the field is missing)"});
    row("empty name", R"({"name": ""})", {"field 'name': expected a non-empty string"});
    row("description not a string", R"({"description": 3})",
        {"field 'description': expected a string"});
    row("missing evolvable", R"({"evolvable": null})",
        {"field 'evolvable': expected a non-empty array of relative paths"});
    row("empty evolvable", R"({"evolvable": []})",
        {"field 'evolvable': expected a non-empty array of relative paths"});
    row("evolvable with ..", R"({"evolvable": ["src/../../x.py"]})",
        {"field 'evolvable[0]': expected a relative path inside the agent folder",
         "src/../../x.py"});
    row("evolvable not a string", R"({"evolvable": ["a.py", 7]})",
        {"field 'evolvable[1]': expected a string"});
    row("absolute protected path", R"({"protected": ["/etc/passwd"]})",
        {"field 'protected[0]': expected a relative path", "no leading '/'"});
    row("absolute ignore path", R"({"ignore": ["/tmp/"]})",
        {"field 'ignore[0]': expected a relative path"});
    row("unknown key", R"({"evolveable": ["x.py"]})",
        {"field 'evolveable': expected no such field", "allowed fields are: name, description",
         "did you mean 'evolvable'?"});
    row("unknown limits key", R"({"solve": {"limits": {"wall_second": 5}}})",
        {"field 'solve.limits.wall_second': expected no such field",
         "did you mean 'wall_seconds'?"});
    row("missing solve", R"({"solve": null})", {"field 'solve': expected an object"});
    row("solve.command a string", R"({"solve": {"command": "/usr/bin/python3 solve.py"}})",
        {"{file}: field 'solve.command': expected a non-empty array of strings"});
    row("solve.command empty", R"({"solve": {"command": []}})",
        {"field 'solve.command': expected a non-empty array of strings"});
    row("solve.command with a number", R"({"solve": {"command": ["/bin/sh", 1]}})",
        {"field 'solve.command': expected a non-empty array of strings"});
    row("relative argv[0]", R"({"score": {"command": ["python3", "score.py"]}})",
        {"field 'score.command[0]': expected an absolute path", "'python3'"});
    row("propose not an object", R"({"propose": ["/bin/true"]})",
        {"field 'propose': expected an object"});
    row("missing harness folder", R"({"harness": "harnes"})",
        {"field 'harness': expected an existing folder", "{agent}/harnes does not exist"});
    row("harness is the agent folder", R"({"harness": "."})",
        {"field 'harness': expected a folder other than the agent folder"});
    row("duplicate task ids", R"({"tasks": ["a", "b", "a"]})",
        {"field 'tasks[2]': expected a unique task id", "'a' is listed twice"});
    row("bad task id chars", R"({"tasks": ["ok", "not ok"]})",
        {"field 'tasks[1]': expected a task id made of letters", "\"not ok\""});
    row("task id ..", R"({"tasks": [".."]})", {"field 'tasks[0]': expected a task id"});
    row("empty tasks", R"({"tasks": []})", {"field 'tasks': expected a non-empty array"});
    row("tasks file missing", R"({"tasks": {"file": "tasks.json"}})",
        {"field 'tasks.file': expected a readable JSON file", "{agent}/tasks.json"});
    row("tasks object with typo", R"({"tasks": {"files": "tasks.json"}})",
        {"field 'tasks.files': expected no such field"});
    row("bad direction", R"({"metrics": {"primary": "score", "direction": "up"}})",
        {"field 'metrics.direction': expected \"maximize\" or \"minimize\""});
    row("metrics without primary", R"({"metrics": {"direction": "maximize"}})",
        {"field 'metrics.primary': expected a non-empty string"});
    row("bad guard direction",
        R"({"metrics": {"primary": "score", "direction": "maximize",
            "guards": [{"name": "time", "direction": "less"}]}})",
        {"field 'metrics.guards[0].direction': expected \"maximize\" or \"minimize\""});
    row("guard named like primary",
        R"({"metrics": {"primary": "score", "direction": "maximize",
            "guards": [{"name": "score"}]}})",
        {"field 'metrics.guards[0].name': expected a metric name not already used"});
    row("negative limit", R"({"limits": {"memory_mb": -5}})",
        {"field 'limits.memory_mb': expected a positive integer"});
    row("zero scratch inodes", R"({"solve": {"limits": {"scratch_inodes": 0}}})",
        {"field 'solve.limits.scratch_inodes': expected a positive integer"});
    row("fractional scratch size", R"({"limits": {"scratch_mb": 0.5}})",
        {"field 'limits.scratch_mb': expected a positive integer"});
    row("fractional pids", R"({"propose": {"command": ["/bin/true"], "limits": {"pids": 1.5}}})",
        {"field 'propose.limits.pids': expected a positive integer"});
    row("zero wall seconds", R"({"solve": {"limits": {"wall_seconds": 0}}})",
        {"field 'solve.limits.wall_seconds': expected a number greater than 0"});
    row("huge output_kb", R"({"limits": {"output_kb": 99999999999999999999}})",
        {"field 'limits.output_kb': expected a positive integer"});
    row("evolvable also protected", R"({"evolvable": ["propose.py"], "protected": ["propose.py"]})",
        {"field 'evolvable[0]': expected a path that is not protected",
         "covered by protected 'propose.py'"});
    row("evolvable inside the harness", R"({"evolvable": ["harness/solve.py"]})",
        {"field 'evolvable[0]': expected a path that is not protected",
         "covered by protected 'harness/'"});
    row("evolvable manifest", R"({"evolvable": ["clade.json"]})",
        {"field 'evolvable[0]': expected a path that is not protected"});
    row("batch_size negative", R"({"batch_size": -1})",
        {"field 'batch_size': expected an integer >= 0"});
    row("batch_size a string", R"({"batch_size": "4"})",
        {"field 'batch_size': expected an integer >= 0"});
    row("review not an object", R"({"review": []})",
        {"{file}: field 'review': expected an object with any of improver, patterns"});
    row("review key typo", R"({"review": {"max_changed_line": 3}})",
        {"field 'review.max_changed_line': expected no such field",
         "did you mean 'max_changed_lines'?"});
    row("review improver outside the agent", R"({"review": {"improver": ["../x.py"]}})",
        {"field 'review.improver[0]': expected a relative path inside the agent folder"});
    row("review improver not a string", R"({"review": {"improver": [3]}})",
        {"field 'review.improver[0]': expected a non-empty string"});
    row("review patterns not an array", R"({"review": {"patterns": {"pattern": "x"}}})",
        {"field 'review.patterns': expected an array of objects"});
    row("review pattern invalid regex",
        R"({"review": {"patterns": [{"pattern": "rm(-rf", "message": "m"}]}})",
        {"{file}: field 'review.patterns[0].pattern': expected a valid ECMAScript regular "
         "expression ('rm(-rf': "});
    row("review pattern without message", R"({"review": {"patterns": [{"pattern": "x"}]}})",
        {"field 'review.patterns[0].message': expected a non-empty string (the field is missing)"});
    row("review pattern files not an array",
        R"({"review": {"patterns": [{"pattern": "x", "message": "m", "files": "*.rb"}]}})",
        {"field 'review.patterns[0].files': expected an array of file name wildcards"});
    row("review pattern unknown key",
        R"({"review": {"patterns": [{"pattern": "x", "message": "m", "file": ["*.rb"]}]}})",
        {"field 'review.patterns[0].file': expected no such field", "did you mean 'files'?"});
    row("review max_changed_lines zero", R"({"review": {"max_changed_lines": 0}})",
        {"field 'review.max_changed_lines': expected a positive integer"});
    row("review score_jump factor below 1", R"({"review": {"score_jump": {"factor": 0.5}}})",
        {"field 'review.score_jump.factor': expected a number >= 1"});
    row("review score_jump min negative", R"({"review": {"score_jump": {"min": -1}}})",
        {"field 'review.score_jump.min': expected a number >= 0"});
    row("review score_jump not an object", R"({"review": {"score_jump": 3}})",
        {"field 'review.score_jump': expected an object"});
    row("review guard_worsening negative", R"({"review": {"guard_worsening": -0.1}})",
        {"{file}: field 'review.guard_worsening': expected a number >= 0",
         "0.5 allows 50%"});
    row("review guard_worsening a string", R"({"review": {"guard_worsening": "50%"}})",
        {"field 'review.guard_worsening': expected a number >= 0"});
    row("review guard_worsening key typo", R"({"review": {"guard_worsen": 0.5}})",
        {"field 'review.guard_worsen': expected no such field",
         "allowed fields are: improver, patterns, max_changed_lines, score_jump, guard_worsening"});

    // The parser reports where the offending token ends: the closing quote of "c".
    QTest::newRow("tasks file malformed")
        << R"({"tasks": {"file": "tasks.json"}})" << QString() << "[\"a\",\n \"b\"\n \"c\"]"
        << QStringList{"{agent}/tasks.json: line 3, column 4: expected valid JSON"};
    QTest::newRow("tasks file with a bad id")
        << R"({"tasks": {"file": "./tasks.json"}})" << QString() << R"(["a", "b/c"])"
        << QStringList{"{agent}/tasks.json: field 'tasks[1]': expected a task id"};
    QTest::newRow("tasks file not an array")
        << R"({"tasks": {"file": "tasks.json"}})" << QString() << R"({"tasks": ["a"]})"
        << QStringList{"{agent}/tasks.json: field 'tasks': expected a non-empty JSON array"};
    QTest::newRow("malformed JSON, missing bracket")
        << QString() << "{\n  \"name\": \"x\",\n  \"evolvable\": [\"a.py\"\n}\n"
        << QString()
        << QStringList{"{file}: line 4, column 1: expected valid JSON", "syntax error"};
    QTest::newRow("malformed JSON, trailing comma")
        << QString() << "{\"name\": \"x\",\n\n   }" << QString()
        << QStringList{"{file}: line 3, column 4: expected valid JSON"};
    QTest::newRow("empty file") << QString() << " " << QString()
                                << QStringList{"{file}: line 1, column 2: expected valid JSON"};
    QTest::newRow("not an object")
        << QString() << "[1, 2]" << QString() << QStringList{"{file}: expected a JSON object"};
}

void TestManifest::rejectsInvalid()
{
    QFETCH(QString, patch);
    QFETCH(QString, raw);
    QFETCH(QString, tasksFile);
    QFETCH(QStringList, expected);

    Fixture fx;
    if (!tasksFile.isNull())
        writeFile(fx.agent / "tasks.json", tasksFile.toStdString());
    const std::string text = raw.isNull() ? fx.withPatch(patch.toStdString()) : raw.toStdString();
    try {
        fx.load(text);
        QFAIL("no InputError thrown");
    } catch (const InputError& error) {
        const QString message = QString::fromUtf8(error.what());
        for (const QString& part : expected)
            QVERIFY2(message.contains(fx.expand(part)), qPrintable(message));
    }
}

void TestManifest::reportsMissingManifest_data()
{
    QTest::addColumn<QString>("folder"); // relative to the fixture root
    QTest::newRow("folder without clade.json") << "empty";
    QTest::newRow("missing folder") << "nowhere";
    QTest::newRow("clade.json is a folder") << "odd";
}

void TestManifest::reportsMissingManifest()
{
    QFETCH(QString, folder);
    Fixture fx;
    fs::create_directories(fx.root / "empty");
    fs::create_directories(fx.root / "odd" / "clade.json");
    const fs::path dir = fx.root / folder.toStdString();
    try {
        loadManifest(dir);
        QFAIL("no InputError thrown");
    } catch (const InputError& error) {
        QCOMPARE(QString::fromUtf8(error.what()),
                 QString::fromStdString(dir.string()) +
                     ": no clade.json found (expected an agent folder with a clade.json "
                     "manifest)");
    }
}

void TestManifest::matchesProtectedAndEvolvable_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("isProtected");
    QTest::addColumn<bool>("isEvolvable");

    QTest::newRow("evolvable file") << "heuristic.py" << false << true;
    QTest::newRow("inside evolvable folder") << "lib/util.py" << false << true;
    QTest::newRow("protected inside evolvable folder") << "lib/secret.py" << true << false;
    QTest::newRow("manifest") << "clade.json" << true << false;
    QTest::newRow("harness file") << "harness/score.py" << true << false;
    QTest::newRow("harness folder") << "harness/" << true << false;
    QTest::newRow("wildcard") << "notes.lock" << true << false;
    QTest::newRow("wildcard stays in one folder") << "lib/notes.lock" << false << true;
    QTest::newRow("neither") << "README.md" << false << false;
    QTest::newRow("name prefix is not a folder") << "heuristic.py.bak" << false << false;
}

void TestManifest::matchesProtectedAndEvolvable()
{
    QFETCH(QString, path);
    QFETCH(bool, isProtected);
    QFETCH(bool, isEvolvable);
    Fixture fx;
    const Manifest m = fx.load(fx.withPatch(
        R"({"evolvable": ["heuristic.py", "lib/"], "protected": ["lib/secret.py", "*.lock"]})"));
    QCOMPARE(m.isProtected(path.toStdString()), isProtected);
    QCOMPARE(m.isEvolvable(path.toStdString()), isEvolvable);
}

// The example users copy first must stay valid as the format grows.
void TestManifest::loadsBundledExample()
{
    const fs::path agent = fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack";
    if (!fs::exists(agent / "clade.json"))
        QSKIP("examples/binpack/clade.json not present");
    const Manifest m = loadManifest(agent);
    QCOMPARE(m.name, "binpack");
    QCOMPARE(m.harnessDir, (agent / "harness").lexically_normal());
    QVERIFY(m.isProtected("harness/score.py"));
    QVERIFY(m.isEvolvable("heuristic.py"));
    QVERIFY(parseManifest(m.toJson().dump(), m.file) == m);
}

QTEST_GUILESS_MAIN(TestManifest)
#include "tst_manifest.moc"
