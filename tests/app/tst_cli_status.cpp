// `clade status RUN [--json]` on a run with guards: the manifest's guards, every evaluated
// node that fails them (which guard, its value, limit or reference, verdict, explanation),
// and the Pareto front over the primary score and the guard metrics, taken among the nodes
// that pass their guards — so a node scoring highest by breaking a guard is not on it. The
// run is synthetic: the bundled example with guards added, nodes recorded as an evaluation
// would record them. A run without guards prints no guard line.
#include "engine/run/RunCreator.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "support/SyntheticNodes.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "support/CladeProcess.h"
#include "support/GuardedAgent.h"

#include <fstream>

using namespace clade;
using testsupport::scoredNode;
namespace fs = std::filesystem;

namespace {

using testsupport::runClade;


engine::Node measured(engine::Node node, double latency, double memory)
{
    node.metrics = {{"latency", latency}, {"memory", memory}};
    return node;
}

// Guards: latency (lower is better) at most 2; memory no more than 50% above the best of a
// node's ancestors. Scores and (latency, memory):
//   #0 root    0.5   (1.0, 100)
//   #1 of #0   0.9   (3.0, 100)   past the latency limit: fails, though no one scores higher
//   #2 of #0   0.6   (1.5, 100)   on the front: better score than #0, worse latency
//   #3 of #0   0.55  (1.6, 100)   dominated by #2
//   #4 of #2   0.7   (1.0, 200)   memory 100% above #2's: regressed, fails
//   #5 of #0   proposed, not scored: no verdict yet
fs::path makeGuardedRun(const fs::path& root)
{
    const fs::path agent = testsupport::binpackWithGuards(
        root / "agent",
        nlohmann::json::array(
            {{{"name", "latency"}, {"direction", "minimize"}, {"limit", 2.0}},
             {{"name", "memory"}, {"direction", "minimize"}, {"max_regression", 0.5}}}));
    engine::RunSettings settings;
    settings.iterations = 10;
    const fs::path run = engine::createRun(agent, root / "run", settings);
    engine::RunStore store(engine::RunFolder{run}.database());
    engine::Node rootNode = *store.loadNode(0);
    rootNode.status = engine::NodeStatus::Evaluated;
    rootNode.results = {{"t0", 0.5}};
    rootNode.score = 0.5;
    store.recordEvaluation(measured(rootNode, 1.0, 100));
    std::vector<engine::Node> children{
        measured(scoredNode(1, 0, {{"t0", 0.9}}), 3.0, 100),
        measured(scoredNode(2, 0, {{"t0", 0.6}}), 1.5, 100),
        measured(scoredNode(3, 0, {{"t0", 0.55}}), 1.6, 100),
        measured(scoredNode(4, 2, {{"t0", 0.7}}), 1.0, 200),
        testsupport::makeNode(5, 0, {}),
    };
    for (auto& child : children)
        child.commit = rootNode.commit;
    store.insertNodes(children);
    return run;
}

nlohmann::json parse(const testsupport::CladeOutput& o)
{
    try {
        return nlohmann::json::parse(o.out.toStdString());
    } catch (const nlohmann::json::exception&) {
        return nullptr;
    }
}

} // namespace

class TestCliStatus : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jsonListsGuardFailuresAndTheFront()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path run = makeGuardedRun(dir.path().toStdString());

        const testsupport::CladeOutput o = runClade({"status", QString::fromStdString(run.string()), "--json"});
        QVERIFY2(o.exitCode == 0, o.describe().constData());
        const nlohmann::json status = parse(o);
        QVERIFY2(status.is_object(), o.describe().constData());

        const nlohmann::json guards = nlohmann::json::parse(R"([
            {"name": "latency", "direction": "minimize", "limit": 2.0, "max_regression": null},
            {"name": "memory", "direction": "minimize", "limit": null, "max_regression": 0.5}])");
        QCOMPARE(status["guards"], guards);

        const auto& failures = status["guard_failures"];
        QVERIFY2(failures.is_array() && failures.size() == 2, failures.dump(2).c_str());
        QCOMPARE(failures[0]["node"].get<int>(), 1);
        QCOMPARE(failures[0]["failures"].size(), size_t(1));
        const auto& pastLimit = failures[0]["failures"][0];
        QCOMPARE(pastLimit["metric"], "latency");
        QCOMPARE(pastLimit["verdict"], "past_limit");
        QCOMPARE(pastLimit["value"].get<double>(), 3.0);
        QCOMPARE(pastLimit["limit"].get<double>(), 2.0);
        QVERIFY(pastLimit["reference_node"].is_null());
        QVERIFY(pastLimit["reference"].is_null());
        QCOMPARE(pastLimit["explanation"], "latency 3 is past its limit 2 (minimize)");

        QCOMPARE(failures[1]["node"].get<int>(), 4);
        QCOMPARE(failures[1]["failures"].size(), size_t(1));
        const auto& regressed = failures[1]["failures"][0];
        QCOMPARE(regressed["metric"], "memory");
        QCOMPARE(regressed["verdict"], "regressed");
        QCOMPARE(regressed["value"].get<double>(), 200.0);
        QVERIFY(regressed["limit"].is_null());
        QCOMPARE(regressed["reference_node"].get<int>(), 2);
        QCOMPARE(regressed["reference"].get<double>(), 100.0);
        QVERIFY2(regressed["explanation"].get<std::string>().find("100% worse than node 2's 100") !=
                     std::string::npos,
                 regressed["explanation"].dump().c_str());

        const auto& front = status["pareto_front"];
        const nlohmann::json objectives = nlohmann::json::parse(R"([
            {"name": "score", "direction": "maximize", "primary": true},
            {"name": "latency", "direction": "minimize", "primary": false},
            {"name": "memory", "direction": "minimize", "primary": false}])");
        QCOMPARE(front["objectives"], objectives);
        QVERIFY(front["among"].get<std::string>().find("pass their guards") != std::string::npos);
        // #1 and #4 would be on a front of every node; #3 is dominated by #2.
        QCOMPARE(front["nodes"].get<std::vector<int>>(), (std::vector<int>{0, 2}));
    }

    void textSaysHowManyFailAndTheFront()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path run = makeGuardedRun(dir.path().toStdString());
        const testsupport::CladeOutput o = runClade({"status", QString::fromStdString(run.string())});
        QVERIFY2(o.exitCode == 0, o.describe().constData());
        QVERIFY2(o.out.contains("guards   2 node(s) fail them (#1, #4); Pareto front #0, #2 over "
                                "score, latency, memory\n"),
                 o.describe().constData());
    }

    // A long list is cut so the line stays one line; --json has it whole.
    void textCutsLongLists()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path root = dir.path().toStdString();
        const fs::path agent = testsupport::binpackWithGuards(
            root / "agent",
            nlohmann::json::array(
                {{{"name", "latency"}, {"direction", "minimize"}, {"limit", 2.0}}}));
        engine::RunSettings settings;
        settings.iterations = 20;
        const fs::path run = engine::createRun(agent, root / "run", settings);
        {
            engine::RunStore store(engine::RunFolder{run}.database());
            engine::Node rootNode = *store.loadNode(0);
            rootNode.status = engine::NodeStatus::Evaluated;
            rootNode.results = {{"t0", 0.5}};
            rootNode.score = 0.5;
            store.recordEvaluation(measured(rootNode, 1.0, 100));
            std::vector<engine::Node> children;
            for (int id = 1; id <= 10; ++id) {
                children.push_back(measured(scoredNode(id, 0, {{"t0", 0.6}}), 3.0, 100));
                children.back().commit = rootNode.commit;
            }
            store.insertNodes(children);
        }
        const testsupport::CladeOutput o = runClade({"status", QString::fromStdString(run.string())});
        QVERIFY2(o.exitCode == 0, o.describe().constData());
        QVERIFY2(
            o.out.contains("guards   10 node(s) fail them (#1, #2, #3, #4, #5, #6, #7, #8 and 2 "
                           "more); Pareto front #0 over score, latency\n"),
            o.describe().constData());
        const testsupport::CladeOutput json = runClade({"status", QString::fromStdString(run.string()), "--json"});
        QCOMPARE(parse(json)["guard_failures"].size(), size_t(10));
    }

    // Without guards: empty lists, the front over the score alone, and no guard line.
    void aRunWithoutGuards()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path root = dir.path().toStdString();
        engine::RunSettings settings;
        settings.iterations = 1;
        const fs::path run = engine::createRun(
            testsupport::binpackWithGuards(root / "agent", nlohmann::json::array()), root / "run", settings);
        const QString runArg = QString::fromStdString(run.string());

        const testsupport::CladeOutput json = runClade({"status", runArg, "--json"});
        QVERIFY2(json.exitCode == 0, json.describe().constData());
        const nlohmann::json status = parse(json);
        QVERIFY2(status.is_object(), json.describe().constData());
        QCOMPARE(status["guards"], nlohmann::json::array());
        QCOMPARE(status["guard_failures"], nlohmann::json::array());
        QCOMPARE(status["pareto_front"]["objectives"].size(), size_t(1));
        QCOMPARE(status["pareto_front"]["nodes"], nlohmann::json::array()); // nothing scored

        const testsupport::CladeOutput text = runClade({"status", runArg});
        QVERIFY2(text.exitCode == 0, text.describe().constData());
        QVERIFY2(!text.out.contains("guards"), text.describe().constData());
    }
};

QTEST_GUILESS_MAIN(TestCliStatus)
#include "tst_cli_status.moc"
