#include "app/GuiLauncher.h"

#include "ui/MainWindow.h"

#include <QApplication>

namespace clade::app {

bool displayAvailable()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
           qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

bool wantsGui(const QStringList& args)
{
    if (args.isEmpty())
        return displayAvailable();
    // Help is printed, never shown, so it works without a display (packaging runs it).
    if (args.contains("--help") || args.contains("-h"))
        return false;
    const QString& verb = args.front();
    if (verb == "open") {
        if (args.contains("--screenshot") && !displayAvailable())
            qputenv("QT_QPA_PLATFORM", "offscreen");
        return displayAvailable();
    }
    if (verb == "demo" || verb == "run" || verb == "resume")
        return !args.contains("--headless") && displayAvailable();
    return false;
}

bool guiApplication()
{
    return qobject_cast<QApplication*>(QCoreApplication::instance()) != nullptr;
}

int runExplorer(const std::function<void(ui::MainWindow&)>& setup)
{
    ui::MainWindow window;
    window.show();
    if (setup)
        setup(window);
    return QApplication::exec();
}

} // namespace clade::app
