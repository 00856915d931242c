// How soon the explorer sees what another writer commits (the target: a committed node
// visible within 200 ms). Three paths, each timed from the commit to the moment the change
// is where a person would see it, stamped inside the slot that receives it:
//   - a node inserted on another connection -> a row in the node list model (RunFollower's
//     file watch and reader thread);
//   - the same -> the node in the main window's tree scene (also the scene's rebuild);
//   - a headless `clade run` in another process -> the model, from the engine's own
//     timestamp of each change (updatedAt, taken just before its commit).
#include "bench/BenchStats.h"
#include "engine/run/RunCreator.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "models/NodeListModel.h"
#include "models/RunFollower.h"
#include "models/TreeScene.h"
#include "models/TreeSceneWorker.h"
#include "ui/MainWindow.h"
#include "ui/TreeView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTimer>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace clade;
namespace fs = std::filesystem;

namespace {

const fs::path kBinpack = fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack";

// Runs the event loop until `done()` holds or `seconds` pass. The times themselves are
// stamped in the slots that receive the changes, not here.
template <typename F> bool runUntil(F&& done, double seconds)
{
    QTimer tick; // so that the wait below always wakes up to look at the clock
    tick.start(20);
    QElapsedTimer waited;
    waited.start();
    while (!done() && waited.elapsed() < seconds * 1000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

engine::Node externalNode(int id, int parent)
{
    engine::Node node;
    node.id = id;
    node.parents = {parent};
    node.description = "written elsewhere " + std::to_string(id);
    node.createdAt = node.updatedAt = engine::unixNow();
    return node;
}

struct Figures {
    std::vector<double> ms;
    int missed = 0; ///< changes that did not arrive within 10 s
};

void print(const char* what, const Figures& f)
{
    std::printf("  %-52s n=%3zu  median %7.1f ms  p90 %7.1f ms  max %7.1f ms%s\n", what,
                f.ms.size(), bench::median(f.ms), bench::percentile(f.ms, 90),
                f.ms.empty() ? 0.0 : *std::max_element(f.ms.begin(), f.ms.end()),
                f.missed ? ("  (" + std::to_string(f.missed) + " never arrived)").c_str() : "");
}

// Another connection inserts `count` nodes one at a time; each is timed until its row is in
// a NodeListModel fed by a RunFollower, as the main window feeds its own.
Figures insertToModel(const fs::path& run, int count)
{
    Figures f;
    models::RunFollower follower;
    models::NodeListModel model;
    QObject::connect(&follower, &models::RunFollower::opened, &model,
                     [&](const models::RunDataPtr& data) { model.setNodes(data->nodes); });
    QObject::connect(&follower, &models::RunFollower::nodesChanged, &model,
                     [&](const models::NodeBatchPtr& batch) { model.applyChanges(batch->nodes); });
    bool opened = false;
    QObject::connect(&follower, &models::RunFollower::opened, [&] { opened = true; });
    follower.open(QString::fromStdString(run.string()));
    if (!runUntil([&] { return opened; }, 10))
        return f;
    engine::RunStore writer(engine::RunFolder{run}.database());
    QElapsedTimer clock;
    std::optional<double> arrived;
    int waitingFor = -1;
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, [&] {
        if (!arrived && model.node(waitingFor))
            arrived = double(clock.nsecsElapsed()) / 1e6;
    });
    const int first = model.rowCount();
    for (int id = first; id < first + count; ++id) {
        waitingFor = id;
        arrived.reset();
        clock.start();
        writer.insertNode(externalNode(id, std::max(0, id - 3)));
        if (runUntil([&] { return arrived.has_value(); }, 10))
            f.ms.push_back(*arrived);
        else
            ++f.missed;
    }
    return f;
}

// The same, timed until the node is in the main window's tree scene (what its next paint
// draws).
Figures insertToWindow(const fs::path& run, int count)
{
    Figures f;
    ui::MainWindow window;
    window.resize(1500, 950);
    window.show();
    bool shown = false;
    QObject::connect(&window, &ui::MainWindow::runShown, [&] { shown = true; });
    window.openRun(QString::fromStdString(run.string()));
    auto* tree = window.findChild<ui::TreeView*>("tree");
    auto* worker = window.findChild<models::TreeSceneWorker*>();
    if (!tree || !worker || !runUntil([&] { return shown && tree->scene(); }, 20))
        return f;
    engine::RunStore writer(engine::RunFolder{run}.database());
    QElapsedTimer clock;
    std::optional<double> arrived;
    int waitingFor = -1;
    // Connected after the window's own slot: the tree holds the new scene when this runs.
    QObject::connect(worker, &models::TreeSceneWorker::sceneReady, &window, [&] {
        if (!arrived && tree->scene() && tree->scene()->indexOf(waitingFor) >= 0)
            arrived = double(clock.nsecsElapsed()) / 1e6;
    });
    int first = 0;
    for (const auto& node : tree->scene()->nodes())
        first = std::max(first, node.id + 1);
    for (int id = first; id < first + count; ++id) {
        waitingFor = id;
        arrived.reset();
        clock.start();
        writer.insertNode(externalNode(id, id - 1));
        if (runUntil([&] { return arrived.has_value(); }, 10))
            f.ms.push_back(*arrived);
        else
            ++f.missed;
    }
    return f;
}

// A headless `clade run` of `iterations` children in another process; every change the
// follower reads is timed from its updatedAt.
Figures engineToModel(const fs::path& dir, int iterations, bool* ok)
{
    Figures f;
    const QString run = QString::fromStdString((dir / "engine-run").string());
    QProcess engine;
    engine.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    engine.start(CLADE_BINARY,
                 {"run", QString::fromStdString(kBinpack.string()), "--headless", "--iterations",
                  QString::number(iterations), "--workers", "2", "--seed", "4", "--out", run});
    // The run folder appears complete: it is created beside and renamed into place.
    *ok = engine.waitForStarted() &&
          runUntil([&] { return QFileInfo::exists(run + "/clade.db"); }, 60);
    if (!*ok)
        return f;
    models::RunFollower follower;
    QObject::connect(&follower, &models::RunFollower::nodesChanged,
                     [&](const models::NodeBatchPtr& batch) {
                         const double now = engine::unixNow();
                         for (const auto& node : batch->nodes)
                             f.ms.push_back((now - node.updatedAt) * 1000);
                     });
    bool finished = false;
    QObject::connect(&engine, &QProcess::finished, [&] { finished = true; });
    follower.open(run);
    *ok = runUntil([&] { return finished; }, 600) && engine.exitCode() == 0;
    return f;
}

} // namespace

int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (bench::hasFlag(argc, argv, "--help")) {
        std::puts("bench_follow_latency [--inserts N] [--iterations N] [--no-engine]\n"
                  "  Times commit -> visible in the explorer: N nodes (default 30) inserted on\n"
                  "  another connection, to the node list model and to the window's tree; and\n"
                  "  a headless `clade run` of N children (default 16) in another process, to\n"
                  "  the model (skipped with --no-engine).");
        return 0;
    }
    bench::rejectUnknown(argc, argv, {"--no-engine"}, {"--inserts", "--iterations"});
    const int inserts = bench::intOption(argc, argv, "--inserts", 30);
    const int iterations = bench::intOption(argc, argv, "--iterations", 16);
    const bool withEngine = !bench::hasFlag(argc, argv, "--no-engine");
    // XDG folders of our own: opening a run records it among the recent runs.
    const fs::path dir =
        fs::temp_directory_path() / ("clade-bench-follow-" + std::to_string(::getpid()));
    fs::create_directories(dir / "config");
    qputenv("XDG_CONFIG_HOME", QByteArray::fromStdString((dir / "config").string()));
    qputenv("XDG_CACHE_HOME", QByteArray::fromStdString((dir / "config").string()));
    QApplication app(argc, argv);

    // Runs of the root alone (never run): the nodes come from the writer here.
    const fs::path modelRun = engine::createRun(kBinpack, dir / "model-run", {});
    const fs::path windowRun = engine::createRun(kBinpack, dir / "window-run", {});
    const Figures model = insertToModel(modelRun, inserts);
    const Figures window = insertToWindow(windowRun, inserts);
    bool engineOk = true;
    const Figures process = withEngine ? engineToModel(dir, iterations, &engineOk) : Figures{};
    fs::remove_all(dir);

    std::printf("Commit -> visible in the explorer (offscreen, %u-core machine)\n",
                std::max(1u, std::thread::hardware_concurrency()));
    print("node inserted (another connection) -> model row", model);
    print("node inserted (another connection) -> tree scene", window);
    if (withEngine)
        print("engine change (another process) -> model", process);
    std::printf("  target: median <= 200 ms\n");
    const bool met = bench::median(model.ms) <= 200 && bench::median(window.ms) <= 200 &&
                     (!withEngine || bench::median(process.ms) <= 200);
    std::printf("{\"bench\":\"follow_latency\",\"inserts\":%d,\"model_median_ms\":%.1f,"
                "\"model_p90_ms\":%.1f,\"tree_median_ms\":%.1f,\"tree_p90_ms\":%.1f,"
                "\"engine_changes\":%zu,\"engine_median_ms\":%.1f,\"engine_p90_ms\":%.1f,"
                "\"missed\":%d,\"targets_met\":%s}\n",
                inserts, bench::median(model.ms), bench::percentile(model.ms, 90),
                bench::median(window.ms), bench::percentile(window.ms, 90), process.ms.size(),
                bench::median(process.ms), bench::percentile(process.ms, 90),
                model.missed + window.missed, met ? "true" : "false");
    if (model.ms.empty() || window.ms.empty() || !engineOk) {
        std::fprintf(stderr, "bench_follow_latency: %s\n",
                     !engineOk ? "the headless engine run failed" : "a run did not open");
        return 1;
    }
    return 0;
}
