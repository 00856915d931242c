#pragma once

#include <QStringList>

namespace clade::models {

/// Run folders opened lately, newest first, kept in the user's settings (QSettings).
class RecentRuns {
public:
    static constexpr int kLimit = 12;

    /// Folders that still exist.
    static QStringList list();
    static void add(const QString& folder);
};

} // namespace clade::models
