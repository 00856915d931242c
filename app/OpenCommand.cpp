// clade open: the explorer on a run folder, or an offscreen screenshot of it.
#include "app/ExitCode.h"
#include "app/GuiLauncher.h"
#include "app/OptionChoices.h"
#include "app/VerbParser.h"
#include "app/Verbs.h"
#include "engine/importers/ImportCache.h"
#include "engine/util/InputError.h"
#include "models/NodeListModel.h"
#include "models/RunSession.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

namespace clade::app {
namespace {

QSize parseSize(const QString& text)
{
    const QStringList parts = text.split('x');
    bool okW = false, okH = false;
    const int w = parts.value(0).toInt(&okW);
    const int h = parts.value(1).toInt(&okH);
    if (parts.size() != 2 || !okW || !okH || w < 200 || h < 150 || w > 8000 || h > 8000)
        throw engine::InputError("--size: expected WIDTHxHEIGHT in pixels (e.g. 1600x1000), got '" +
                                 text.toStdString() + "'");
    return {w, h};
}

int saveScreenshot(const QString& folder, const ScreenshotRequest& request)
{
    ui::MainWindow window;
    window.resize(request.size);
    window.show();
    int status = ExitDone;
    QObject::connect(window.session(), &models::RunSession::problem, &window,
                     [&](const QString& message) {
                         if (window.session()->isOpen())
                             return; // shown in the window; the screenshot still comes
                         std::fprintf(stderr, "clade open: %s\n", qPrintable(message));
                         status = ExitBadInput;
                         QApplication::exit(status);
                     });
    QObject::connect(&window, &ui::MainWindow::runShown, &window, [&] {
        if (request.selectNode >= 0) {
            if (!window.session()->nodes()->node(request.selectNode))
                std::fprintf(stderr, "clade open: --select: the run has no node %d; showing the best\n",
                             request.selectNode);
            else
                window.selectNode(request.selectNode);
        }
        if (!request.tab.isEmpty() && !window.raiseDock(request.tab))
            std::fprintf(stderr, "clade open: --tab: no tab named '%s' (expected one of: %s)\n",
                         qPrintable(request.tab), qPrintable(window.dockNames().join(", ")));
        // Let the views settle (layouts, queued reads) before rendering.
        QTimer::singleShot(400, &window, [&] {
            const QPixmap shot = window.grab();
            if (!shot.save(request.file)) {
                std::fprintf(stderr, "clade open: cannot write the screenshot %s\n",
                             qPrintable(request.file));
                status = ExitRunFailed;
            } else {
                std::printf("%s\n", qPrintable(QFileInfo(request.file).absoluteFilePath()));
            }
            QApplication::exit(status);
        });
    });
    window.openRun(folder);
    const int rc = QApplication::exec();
    return status != ExitDone ? status : rc;
}

} // namespace

void declareOpen(VerbSpec& s)
{
    s.description = "The explorer on a run folder.";
    s.addPositional(ValueSpec::file("PATH"), "Run folder, or another system's run (ADAS archive, "
                                             "AIDE journal), imported on first open.");
    s.addOption("screenshot", "Render the window offscreen, save it as PNG and exit.",
                ValueSpec::file("FILE.png"));
    s.addOption("select", "Node to select before the screenshot.", "NODE");
    s.addOption("size", "Window size for the screenshot (default 1600x1000).", "WxH");
    s.addOption("tab", "Tab to bring to the front for the screenshot (" +
                           explorerTabChoices().join(", ") + ").",
                ValueSpec::oneOf("NAME", explorerTabChoices()));
}

int openInExplorer(const VerbParser& p)
{
    const QString path = p.requirePositional(0, "PATH (a run folder)");
    if (!QFileInfo::exists(path))
        throw engine::InputError(path.toStdString() + ": no such file or folder (expected a run folder)");
    const QString folder = QString::fromStdString(
        engine::openableRunFolder(path.toStdString(), [](const std::string& line) {
            std::fprintf(stderr, "clade open: %s\n", line.c_str());
        }).string());
    if (!guiApplication())
        throw engine::InputError("no display (DISPLAY and WAYLAND_DISPLAY are unset): use "
                                 "`clade status`/`clade show`, or `clade open PATH --screenshot FILE.png`");
    if (p.isSet("screenshot")) {
        ScreenshotRequest request;
        request.file = p.value("screenshot");
        request.selectNode = p.intValue("select", 0, 1 << 30).value_or(-1);
        if (p.isSet("size"))
            request.size = parseSize(p.value("size"));
        request.tab = p.value("tab");
        return saveScreenshot(folder, request);
    }
    return runExplorer([folder](ui::MainWindow& window) { window.openRun(folder); });
}

} // namespace clade::app
