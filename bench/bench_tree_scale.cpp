// Scale of the evolution tree: open a synthetic run of N nodes (default 100,000) from its
// clade.db, lay it out, build the scene, and time frames of the TreeView rendered offscreen
// at 1600x1000 along a scripted fit -> zoom -> pan path. See BENCHMARKS.md.

#include "bench/BenchStats.h"
#include "bench/SyntheticRun.h"

#include "engine/store/Database.h"
#include "engine/store/NodeBulkReader.h"
#include "engine/store/RunStore.h"
#include "models/TreeLayout.h"
#include "models/TreeScene.h"
#include "ui/TreeView.h"

#include <QApplication>
#include <QImage>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace fs = std::filesystem;
using namespace clade;
using namespace clade::bench;

namespace {


void usage()
{
    std::puts("bench_tree_scale [--nodes N] [--seed S] [--frames F] [--run-dir DIR] [--keep]\n"
              "  Writes a synthetic run of N nodes (default 100000) under DIR (default: a new\n"
              "  folder in $TMPDIR or /tmp), then times opening it, the layout, the scene build\n"
              "  and F frames (default 200) of the tree view at 1600x1000, offscreen.");
}

} // namespace

int main(int argc, char** argv)
{
    if (hasFlag(argc, argv, "--help")) {
        usage();
        return 0;
    }
    rejectUnknown(argc, argv, {"--keep"}, {"--nodes", "--seed", "--frames", "--run-dir"});
    const int count = intOption(argc, argv, "--nodes", 100000);
    const int frames = intOption(argc, argv, "--frames", 200);
    const auto seed = static_cast<unsigned>(intOption(argc, argv, "--seed", 42));
    const char* tmp = std::getenv("TMPDIR");
    const fs::path runDir = stringOption(
        argc, argv, "--run-dir",
        (fs::path(tmp && *tmp ? tmp : "/tmp") / ("clade-tree-bench-" + std::to_string(getpid())))
            .string());
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);

    try {
        // --- the run on disk (not part of any target) --------------------------------
        const double baseline = statusMiB("VmRSS");
        auto start = Clock::now();
        {
            SyntheticRunOptions options;
            options.nodes = count;
            options.seed = seed;
            writeSyntheticRun(runDir, makeSyntheticNodes(options));
        }
        const double writeMs = millisecondsSince(start);
        const double dbMiB = double(fs::file_size(runDir / "clade.db")) / (1024.0 * 1024.0);

        // --- open: read every node from clade.db -------------------------------------
        start = Clock::now();
        engine::Database db(runDir / "clade.db", engine::Database::Mode::ReadOnly);
        std::vector<engine::Node> nodes = engine::readAllNodes(db);
        const double readMs = millisecondsSince(start);

        // --- layout (median of 5; the first also feeds the scene) --------------------
        start = Clock::now();
        const std::vector<int> parents = models::TreeScene::primaryParents(nodes);
        const double parentsMs = millisecondsSince(start);
        std::vector<double> layoutRuns;
        models::TreeLayout layout;
        for (int i = 0; i < 5; ++i) {
            start = Clock::now();
            layout = models::TreeLayout::compute(parents);
            layoutRuns.push_back(millisecondsSince(start));
        }
        const double layoutMs = median(layoutRuns);

        start = Clock::now();
        auto scene = models::TreeScene::build(nodes, layout, {});
        const double sceneMs = millisecondsSince(start);

        // --- frames ------------------------------------------------------------------
        ui::TreeView view;
        view.resize(1600, 1000);
        view.show();
        QCoreApplication::processEvents();
        start = Clock::now();
        view.setScene(scene);
        view.fitAll();
        QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        view.renderFrame(image);
        const double firstFrameMs = millisecondsSince(start);
        const double openMs = readMs + parentsMs + layoutRuns.front() + sceneMs + firstFrameMs;

        // Scripted path: a tenth at fit with small pans, zoom in towards the best node
        // until circles and labels show, pan across at close-up, zoom half-way out.
        const auto& best = scene->node(std::max(0, scene->indexOf(scene->bestId())));
        std::vector<double> frameMs;
        std::array<std::vector<double>, 3> byDetail;
        const int fitFrames = frames / 10;
        const int zoomFrames = frames * 4 / 10;
        const int panFrames = frames * 3 / 10;
        const double zoomStep = std::pow(std::max(1.0, 50.0 / view.transform().sx), 1.0 / zoomFrames);
        const double zoomStepY = std::pow(std::max(1.0, 50.0 / view.transform().sy), 1.0 / zoomFrames);
        for (int f = 0; f < frames; ++f) {
            if (f < fitFrames) {
                view.panBy(QPointF(f % 2 ? 3 : -3, 0));
            } else if (f < fitFrames + zoomFrames) {
                view.zoomBy(zoomStep, zoomStepY,
                            view.transform().toPixels(best.x, best.y));
                if (f == fitFrames)
                    view.centerOn(QPointF(best.x, best.y));
            } else if (f < fitFrames + zoomFrames + panFrames) {
                view.panBy(QPointF(-14, -9));
            } else {
                view.zoomBy(1 / zoomStep, 1 / zoomStepY, QPointF(800, 500));
            }
            const auto detail = ui::TreePainter::detailFor(view.transform());
            const auto t0 = Clock::now();
            view.renderFrame(image);
            const double ms = millisecondsSince(t0);
            frameMs.push_back(ms);
            byDetail[size_t(detail)].push_back(ms);
        }
        // The full widget path once per level for comparison (overlays, QWidget::grab).
        std::vector<double> grabMs;
        view.fitAll();
        for (int i = 0; i < 10; ++i) {
            const auto t0 = Clock::now();
            const QPixmap shot = view.grab();
            grabMs.push_back(millisecondsSince(t0));
        }
        const double peakMiB = statusMiB("VmHWM");
        const double rssMiB = statusMiB("VmRSS");

        // --- report ------------------------------------------------------------------
        std::printf("Tree at scale: %d nodes (seed %u), %d visible, %d columns x %d rows, "
                    "clade.db %.1f MiB\n",
                    count, seed, scene->size(), scene->columns(), scene->rows(), dbMiB);
        std::printf("run folder %s (written in %.0f ms, not timed below)\n\n", runDir.c_str(),
                    writeMs);
        std::printf("%-44s %10s %10s\n", "", "measured", "target");
        auto row = [](const char* name, const std::string& value, const char* target) {
            std::printf("%-44s %10s %10s\n", name, value.c_str(), target);
        };
        row("open: read all nodes (NodeBulkReader)", fixed(readMs, 0) + " ms", "");
        row("open: parent index", fixed(parentsMs, 1) + " ms", "");
        row("open: scene build (roll-ups, grid index)", fixed(sceneMs, 1) + " ms", "");
        row("open: first frame (fit)", fixed(firstFrameMs, 1) + " ms", "");
        row("open total (read+layout+scene+frame)", fixed(openMs, 0) + " ms", "<= 2000");
        row("layout (median of 5)", fixed(layoutMs, 1) + " ms", "<= 200");
        row("frame median", fixed(median(frameMs), 2) + " ms", "<= 16");
        row("frame p95", fixed(percentile(frameMs, 95), 2) + " ms", "");
        const char* names[3] = {"  dots (far)", "  shapes (middle)", "  full (close)"};
        for (int d = 0; d < 3; ++d)
            if (!byDetail[size_t(d)].empty())
                row((std::string(names[d]) + ": median / p95, " +
                     std::to_string(byDetail[size_t(d)].size()) + " frames")
                        .c_str(),
                    fixed(median(byDetail[size_t(d)]), 2) + "/" +
                        fixed(percentile(byDetail[size_t(d)], 95), 2),
                    "");
        row("widget grab at fit, median (with overlays)", fixed(median(grabMs), 2) + " ms", "");
        row("memory: peak RSS (VmHWM)", fixed(peakMiB, 0) + " MiB", "<= 1024");
        row("memory: RSS now / before the run", fixed(rssMiB, 0) + "/" + fixed(baseline, 0), "");

        const bool met = openMs <= 2000 && layoutMs <= 200 && median(frameMs) <= 16 &&
                         peakMiB <= 1024;
        std::printf("\ntargets met: %s\n", met ? "yes" : "no");
        std::cout << "{\"bench\":\"tree_scale\",\"nodes\":" << count
                  << ",\"open_ms\":" << fixed(openMs, 1) << ",\"read_ms\":" << fixed(readMs, 1)
                  << ",\"layout_ms\":" << fixed(layoutMs, 2) << ",\"scene_ms\":" << fixed(sceneMs, 1)
                  << ",\"first_frame_ms\":" << fixed(firstFrameMs, 2)
                  << ",\"frame_median_ms\":" << fixed(median(frameMs), 2)
                  << ",\"frame_p95_ms\":" << fixed(percentile(frameMs, 95), 2)
                  << ",\"peak_rss_mib\":" << fixed(peakMiB, 0)
                  << ",\"targets_met\":" << (met ? "true" : "false") << "}" << std::endl;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_tree_scale: %s\n", e.what());
        return 1;
    }
    if (!hasFlag(argc, argv, "--keep"))
        fs::remove_all(runDir);
    return 0;
}
