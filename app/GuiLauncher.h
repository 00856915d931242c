#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>

namespace clade::ui {
class MainWindow;
}

namespace clade::app {

/// Whether this invocation shows the explorer: `clade` alone, `clade open`, and `demo`,
/// `run`, `resume` without --headless, when a display exists; never for -h/--help. Decided before the
/// application object is made (a QApplication needs a display; the headless engine must
/// not). `open --screenshot` without a display renders offscreen.
bool wantsGui(const QStringList& args);

/// DISPLAY or WAYLAND_DISPLAY set, or a Qt platform chosen explicitly (offscreen, vnc).
bool displayAvailable();

/// True when main() made a QApplication (wantsGui said so).
bool guiApplication();

/// Shows the explorer, lets `setup` start something in it, and runs the event loop until
/// the window closes. Returns the exit status.
int runExplorer(const std::function<void(ui::MainWindow&)>& setup);

/// Renders the window offscreen once `ready` has fired for the open run, saves it as PNG
/// and quits. Used by `clade open --screenshot` and GUI tests.
struct ScreenshotRequest {
    QString file;
    int selectNode = -1;
    QSize size{1600, 1000};
    QString tab; ///< a dock to bring to the front ("elites", "charts", ...); empty: as it opens
};

} // namespace clade::app
