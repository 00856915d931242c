#pragma once

#include <QWidget>

class QListWidget;

namespace clade::ui {

/// What `clade` with no arguments shows: start the demo, a new run, open a run folder, or
/// one of the recent runs.
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);
    void reloadRecentRuns();

Q_SIGNALS:
    void demoRequested();
    void newRunRequested();
    void openRequested();
    void recentRunChosen(const QString& folder);

private:
    QListWidget* m_recent = nullptr;
};

} // namespace clade::ui
