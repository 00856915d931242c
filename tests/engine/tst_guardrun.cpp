// Guards in a whole run, in-process, on a copy of the bundled binpack example: the engine
// records its own metrics on every evaluated node, a guard on one of them keeps the nodes
// that fail it out of the search, and a root that fails its guards stops the run with a
// message naming the guard.
#include "engine/eval/EngineMetrics.h"
#include "engine/eval/GuardCheck.h"
#include "engine/run/RunConfig.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/run/RunFacts.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"

#include "support/GuardedAgent.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

// binpack with its guards replaced by `guards`, in `into`/binpack.
fs::path guardedExample(const fs::path& into, const nlohmann::json& guards)
{
    return testsupport::binpackWithGuards(into / "binpack", guards);
}

RunSettings settings(int iterations)
{
    RunSettings s;
    s.strategy = "sica";
    s.iterations = iterations;
    s.workers = 1;
    s.seed = 11;
    return s;
}

} // namespace

class TestGuardRun : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void guardKeepsFailingNodesOutOfTheSearch()
    {
        QTemporaryDir dir;
        // Small edits only: a change of more than 4 lines fails the guard. The engine
        // measures clade.diff_lines itself, and it is the same for a seed on any machine.
        const nlohmann::json guards = nlohmann::json::array(
            {{{"name", "clade.diff_lines"}, {"direction", "minimize"}, {"limit", 4}}});
        const fs::path agent = guardedExample(fs::path(dir.path().toStdString()), guards);
        const fs::path run = createRun(agent, dir.filePath("run").toStdString(), settings(10));
        const RunOutcome outcome = RunEngine(run).run();
        QVERIFY2(outcome.status == RunOutcome::Status::Finished, outcome.message.c_str());

        const RunFolder folder{run};
        RunStore store(folder.database(), Database::Mode::ReadOnly);
        const auto nodes = store.loadNodes();
        const RunConfig config = RunConfig::load(run);
        QCOMPARE(config.manifest.guards.size(), size_t(1));
        int failing = 0;
        int passing = 0;
        for (const Node& node : nodes) {
            if (node.status != NodeStatus::Evaluated)
                continue;
            // What the engine measured itself is on every evaluated node.
            for (const char* measured : {"clade.solve_seconds", "clade.score_seconds",
                                         "clade.solve_cpu_seconds", "clade.solve_peak_memory_mb",
                                         "clade.solve_seconds_per_task", "clade.risk_findings"})
                QVERIFY2(metricValue(node, measured), measured);
            QVERIFY(*metricValue(node, "clade.solve_seconds") > 0);
            const GuardReport report = checkGuards(config.manifest.guards, node, nodes);
            if (report.failed()) {
                ++failing;
                QVERIFY2(!node.hasFlag(FlagKept), qPrintable(QString::number(node.id)));
                QVERIFY(node.hasFlag(FlagReverted));
                for (const Node& other : nodes)
                    QVERIFY2(other.primaryParent() != node.id,
                             qPrintable(QString("node %1 was built on node %2, which failed: %3")
                                            .arg(other.id).arg(node.id)
                                            .arg(QString::fromStdString(report.failures()))));
            } else {
                ++passing;
            }
        }
        QVERIFY2(failing > 0, "no child changed more than 4 lines: the test shows nothing");
        QVERIFY(passing > 1);
        const auto best = runBest(nodes, config, {});
        QVERIFY(best);
        QVERIFY(checkGuards(config.manifest.guards, nodes.at(size_t(*best)), nodes).passed());
    }

    void rootFailingItsGuardsStopsTheRun()
    {
        QTemporaryDir dir;
        // No root solves a task in a microsecond.
        const nlohmann::json guards = nlohmann::json::array(
            {{{"name", "clade.solve_seconds_per_task"}, {"limit", 1e-6}}});
        const fs::path agent = guardedExample(fs::path(dir.path().toStdString()), guards);
        const fs::path run = createRun(agent, dir.filePath("run").toStdString(), settings(3));
        const RunOutcome outcome = RunEngine(run).run();
        QCOMPARE(int(outcome.status), int(RunOutcome::Status::InputError));
        QVERIFY2(QString::fromStdString(outcome.message).contains("metrics.guards"), outcome.message.c_str());
        QVERIFY2(QString::fromStdString(outcome.message).contains("clade.solve_seconds_per_task"),
                 outcome.message.c_str());
        RunStore store(RunFolder{run}.database(), Database::Mode::ReadOnly);
        QCOMPARE(store.loadNodes().size(), size_t(1)); // nothing was built on it
    }
};

QTEST_GUILESS_MAIN(TestGuardRun)
#include "tst_guardrun.moc"
