#include "models/RecentRuns.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace clade::models {
namespace {
constexpr const char* kKey = "recentRuns";
}

QStringList RecentRuns::list()
{
    QStringList out;
    for (const QString& folder : QSettings().value(kKey).toStringList())
        if (QFileInfo(folder).isDir())
            out << folder;
    return out;
}

void RecentRuns::add(const QString& folder)
{
    const QString path = QDir(folder).absolutePath();
    QStringList runs = QSettings().value(kKey).toStringList();
    runs.removeAll(path);
    runs.prepend(path);
    while (runs.size() > kLimit)
        runs.removeLast();
    QSettings().setValue(kKey, runs);
}

} // namespace clade::models
