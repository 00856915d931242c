#pragma once
// Saves a widget as PNG next to the test binary for a person to look at (GUI tests).

#include <QCoreApplication>
#include <QDebug>
#include <QWidget>

namespace testsupport {

/// Returns the file's path, or an empty string when it could not be written. Pending
/// events run first: some views paint details (syntax colours, layouts) from the loop.
inline QString saveScreenshot(QWidget& widget, const QString& name)
{
    QCoreApplication::processEvents();
    const QString path = QCoreApplication::applicationDirPath() + QLatin1Char('/') + name;
    if (!widget.grab().save(path)) {
        qWarning() << "cannot save" << path;
        return {};
    }
    qInfo().noquote() << "screenshot:" << path;
    return path;
}

} // namespace testsupport
