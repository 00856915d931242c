// Guards in the explorer: a node failing the run's guards carries a shield in the tree (the
// legend explains it, the tooltip says why), and the inspector lists each guard with its
// value, limit and verdict. Screenshots of both for a person to look at.
#include "engine/eval/GuardCheck.h"
#include "engine/run/RunFacts.h"
#include "ui/ColorLegend.h"
#include "ui/NodeInspector.h"
#include "ui/TreeView.h"

#include "support/GuardedRun.h"
#include "support/Screenshot.h"

#include <QGroupBox>
#include <QHelpEvent>
#include <QLabel>
#include <QTableWidget>
#include <QToolTip>
#include <QtTest>

using namespace clade;

namespace {

const QRgb kShieldFill = qRgb(0xff, 0x63, 0x2e); // TreePainter::paintGuardShield's fill

std::shared_ptr<const models::TreeScene> sceneOf(const testsupport::GuardedRun& run)
{
    // As TreeSceneBuilder builds it: the run's best and its guards.
    models::TreeSceneOptions options;
    options.guards = run.config.manifest.guards;
    options.bestId = engine::runBest(run.nodes, run.config, {});
    return models::TreeScene::build(run.nodes, options);
}

const engine::Node& nodeOf(const testsupport::GuardedRun& run, int id)
{
    return run.nodes[static_cast<size_t>(id)];
}

} // namespace

class TestGuardMarks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void treeMarksFailingNodes()
    {
        const auto run = testsupport::guardedRun();
        ui::TreeView view;
        view.resize(640, 480);
        view.setScene(sceneOf(run));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.fitAll();
        view.setCurrentNode(run.regressed);

        // The shield is drawn beside the failing nodes and nowhere near the others.
        const QImage frame = view.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
        for (const auto& node : run.nodes) {
            const bool fails = node.id == run.pastLimit || node.id == run.regressed;
            QCOMPARE(shieldPixelsNear(view, frame, node.id) > 10, fails);
        }

        // The tooltip says which guard failed and why, in the engine's words.
        const QString why = QString::fromStdString(
            engine::checkGuards(run.config.manifest.guards, nodeOf(run, run.regressed), run.nodes).failures());
        QVERIFY(toolTipAt(view, run.regressed).contains(why.toHtmlEscaped()));
        QVERIFY(toolTipAt(view, run.regressed).contains("Fails its guards"));
        QVERIFY(!toolTipAt(view, run.best).contains("Fails its guards"));

        // The legend has a row for the mark in a run with guards only.
        const int withGuards = view.legend()->sizeHint().height();
        QVERIFY(!testsupport::saveScreenshot(view, "guards-tree.png").isEmpty());
                auto unguarded = run;
        unguarded.config.manifest.guards.clear();
        view.setScene(sceneOf(unguarded));
        QVERIFY(view.legend()->sizeHint().height() < withGuards);
    }

    void inspectorListsGuards_data()
    {
        QTest::addColumn<int>("id");
        QTest::addColumn<QString>("summary");
        QTest::addColumn<QStringList>("time");    // metric, value, limit, passed
        QTest::addColumn<QStringList>("latency"); // metric, value, limit, passed
        const auto run = testsupport::guardedRun();
        QTest::newRow("passes") << run.best << "Passes its 2 guards"
                                << QStringList{"clade.solve_seconds_per_task", "1.4", "≤ 2", "✓ yes"}
                                << QStringList{"p95_latency_ms", "265", "≤ 500\n≤ 20% worse than #3 (270)", "✓ yes"};
        QTest::newRow("past a limit") << run.pastLimit << "Fails 1 of 2 guards"
                                      << QStringList{"clade.solve_seconds_per_task", "2.6", "≤ 2", "✗ past limit"}
                                      << QStringList{"p95_latency_ms", "260", "≤ 500\n≤ 20% worse than #1 (280)", "✓ yes"};
        QTest::newRow("regressed") << run.regressed << "Fails 1 of 2 guards"
                                   << QStringList{"clade.solve_seconds_per_task", "1.6", "≤ 2", "✓ yes"}
                                   << QStringList{"p95_latency_ms", "350", "≤ 500\n≤ 20% worse than #3 (270)", "✗ 29.63% worse"};
        QTest::newRow("not scored") << run.pending << "Not scored yet"
                                    << QStringList{"clade.solve_seconds_per_task", "–", "≤ 2", "not scored yet"}
                                    << QStringList{"p95_latency_ms", "–", "≤ 500\n≤ 20% worse than its best ancestor", "not scored yet"};
    }
    void inspectorListsGuards()
    {
        QFETCH(int, id);
        QFETCH(QString, summary);
        QFETCH(QStringList, time);
        QFETCH(QStringList, latency);
        const auto run = testsupport::guardedRun();
        const engine::Node& node = nodeOf(run, id);
        const auto report = engine::checkGuards(run.config.manifest.guards, node, run.nodes);

        ui::NodeInspector inspector;
        inspector.resize(460, 1000);
        inspector.show();
        inspector.showNode(node, &nodeOf(run, node.primaryParent()));
        inspector.setGuardReport(report);
        auto* box = inspector.findChild<QGroupBox*>("guardsBox");
        auto* table = inspector.findChild<QTableWidget*>("guards");
        auto* label = inspector.findChild<QLabel*>("guardSummary");
        QVERIFY(box && table && label);
        QVERIFY(box->isVisible());
        QVERIFY2(label->text().contains(summary), qPrintable(label->text()));
        QCOMPARE(table->rowCount(), 2);
        const QStringList rows[] = {time, latency};
        for (int row = 0; row < 2; ++row) {
            for (int column = 0; column < 4; ++column)
                QCOMPARE(table->item(row, column)->text().remove(QChar(0x200b)), rows[row][column]);
            // Failing rows stand out; the tooltip has the engine's explanation.
            const bool failed = report.guards[size_t(row)].failed();
            QCOMPARE(table->item(row, 3)->font().bold(), failed);
            QCOMPARE(table->item(row, 0)->background().style() != Qt::NoBrush, failed);
            QCOMPARE(table->item(row, 0)->toolTip(),
                     QString::fromStdString(report.guards[size_t(row)].explanation()));
        }
        // Every row is in view: the inspector scrolls, the table does not.
        QVERIFY(table->height() >= table->rowViewportPosition(1) + table->rowHeight(1));

        if (id == run.regressed)
            QVERIFY(!testsupport::saveScreenshot(inspector, "guards-inspector.png").isEmpty());

        // Another node hides the verdict until its own comes; a run without guards has none.
        inspector.showNode(nodeOf(run, 0), nullptr);
        QVERIFY(!box->isVisible());
        inspector.setGuardReport(engine::checkGuards({}, nodeOf(run, 0), run.nodes));
        QVERIFY(!box->isVisible());
    }

    void inspectorListsEngineMetrics()
    {
        const auto run = testsupport::guardedRun();
        ui::NodeInspector inspector;
        inspector.showNode(nodeOf(run, run.regressed), nullptr);
        QStringList texts;
        for (const auto* label : inspector.findChildren<QLabel*>())
            texts << label->text();
        const QString all = texts.join('\n');
        QVERIFY2(all.contains("p95_latency_ms = 350"), qPrintable(all));
        QVERIFY2(all.contains("clade.solve_seconds_per_task = 1.6"), qPrintable(all));
    }

private:
    static QPoint pixelOf(const ui::TreeView& view, int id)
    {
        const auto& scene = *view.scene();
        const auto& n = scene.node(scene.indexOf(id));
        return view.transform().toPixels(n.x, n.y).toPoint();
    }

    static int shieldPixelsNear(const ui::TreeView& view, const QImage& frame, int id)
    {
        const QPoint c = pixelOf(view, id);
        int count = 0;
        for (int y = c.y() - 20; y <= c.y() + 20; ++y)
            for (int x = c.x() - 24; x <= c.x() + 24; ++x)
                if (frame.rect().contains(x, y) && frame.pixel(x, y) == kShieldFill)
                    ++count;
        return count;
    }

    static QString toolTipAt(ui::TreeView& view, int id)
    {
        const QPoint at = pixelOf(view, id);
        QHelpEvent event(QEvent::ToolTip, at, view.viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(view.viewport(), &event);
        return QToolTip::text();
    }
};

QTEST_MAIN(TestGuardMarks)
#include "tst_guardmarks.moc"
