#pragma once

#include "models/RunData.h"
#include "models/TreeScene.h"

#include <memory>

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QStackedWidget;

namespace clade::models {
class RunSession;
class TreeSceneWorker;
}

namespace clade::ui {

class DiffView;
class EliteGridView;
class LogView;
class MetricChart;
class NodeInspector;
class ScoreChart;
class TreeFilterBar;
class TreeView;
class NodeListPanel;
class ReviewPanel;
class RunActions;
class RunStatusBar;
class SandboxBanner;
class WelcomePage;

/// The explorer window: welcome page until a run is open, then the evolution tree in the
/// centre with the inspector, node list, diff, charts, logs and the approval queue around it. It wires views
/// to the RunSession and to each other through the shared NodeSelection; it holds no
/// run data of its own.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    models::RunSession* session() const { return m_session; }

    void openRun(const QString& folder);
    /// A new run of the bundled example with default settings, driven in this window.
    void startDemo(std::uint64_t seed = 1, int iterations = 40);
    void selectNode(int id);
    /// Shows the dock whose title starts with `name` (case-insensitive) and brings it to the
    /// front; false when there is none.
    bool raiseDock(const QString& name);
    /// The docks' titles in lower case ("diff", "charts", ...).
    QStringList dockNames() const;

Q_SIGNALS:
    /// A run is open and its first node selection has been shown.
    void runShown();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildDocks();
    void connectSession();
    void showNewRunDialog();
    void showOpenDialog();
    void showOpenFileDialog();
    void onOpened(const models::RunDataPtr& data);
    void onNodesChanged(const models::NodeBatchPtr& batch);
    void onCurrentChanged(int id);
    void showDiffFor(int id, int other);
    void onSceneReady(std::shared_ptr<const models::TreeScene> scene);
    void showCladeSummary(int id);
    void showProblem(const QString& message);
    void showImportNotice(const models::RunData& data);
    void showSandboxWarning();
    void connectReview();
    void updateOwner();
    /// The welcome page stands alone; the docks appear with the first run.
    void showExplorer(bool explorer);
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* content,
                         Qt::DockWidgetArea area);

    models::RunSession* m_session = nullptr;
    RunActions* m_actions = nullptr;
    QStackedWidget* m_stack = nullptr;
    WelcomePage* m_welcome = nullptr;
    QWidget* m_explorer = nullptr;
    QLabel* m_banner = nullptr;
    SandboxBanner* m_sandboxBanner = nullptr; ///< while the open run's sandbox is weakened
    NodeInspector* m_inspector = nullptr;
    NodeListPanel* m_nodeList = nullptr;
    ReviewPanel* m_review = nullptr;
    QDockWidget* m_reviewDock = nullptr;
    EliteGridView* m_elites = nullptr;
    QDockWidget* m_elitesDock = nullptr;
    QLabel* m_importNotice = nullptr; ///< where an imported run came from, and its warnings
    bool m_elitesDockDecided = false; ///< whether this run's Elites tab was shown or hidden yet
    DiffView* m_diff = nullptr;
    LogView* m_logs = nullptr;
    ScoreChart* m_chart = nullptr;
    MetricChart* m_metricChart = nullptr; ///< the Pareto tab
    int m_logsNode = -1;
    TreeView* m_tree = nullptr;
    TreeFilterBar* m_filterBar = nullptr;
    models::TreeSceneWorker* m_sceneWorker = nullptr;
    std::shared_ptr<const models::TreeScene> m_scene;
    QList<QDockWidget*> m_docks;
    RunStatusBar* m_status = nullptr;
};

} // namespace clade::ui
