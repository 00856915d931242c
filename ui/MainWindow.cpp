#include "ui/MainWindow.h"

#include "engine/eval/GuardCheck.h"
#include "engine/run/ExampleCatalog.h"
#include "engine/util/Utf8Text.h"
#include "models/NodeListModel.h"
#include "models/DecisionSender.h"
#include "models/NodeSelection.h"
#include "models/ReviewQueueModel.h"
#include "models/RunFollower.h"
#include "models/RunPaths.h"
#include "models/RunSession.h"
#include "models/TreeSceneWorker.h"
#include "ui/DiffView.h"
#include "ui/LogView.h"
#include "ui/MetricChart.h"
#include "ui/NewRunDialog.h"
#include "ui/ScoreChart.h"
#include "ui/TreeFilterBar.h"
#include "ui/TreeView.h"
#include "ui/EliteGridView.h"
#include "ui/InsightText.h"
#include "ui/NodeInspector.h"
#include "ui/NodeListPanel.h"
#include "ui/ReviewPanel.h"
#include "ui/RunActions.h"
#include "ui/RunStatusBar.h"
#include "ui/SandboxBanner.h"
#include "ui/WelcomePage.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStackedWidget>
#include <QThread>
#include <QToolBar>
#include <QVBoxLayout>

namespace clade::ui {
namespace {

// How the end of a run driven in this window reads. An end that needs the person (bad
// input, a failure) stays in the problem banner; a normal one passes in the status bar.
struct EndNotice {
    QString text;
    bool needsAttention = false;
};

EndNotice endNotice(engine::RunOutcome::Status status, const QString& message)
{
    using Status = engine::RunOutcome::Status;
    switch (status) {
    case Status::Finished:
        return {MainWindow::tr("Run finished: %1").arg(message), false};
    case Status::Stopped:
        return {MainWindow::tr("Run stopped: %1").arg(message), false};
    case Status::InputError:
        return {MainWindow::tr("The run stopped on bad input: %1").arg(message), true};
    case Status::Failed:
        break;
    }
    return {MainWindow::tr("The run failed: %1").arg(message), true};
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_session(new models::RunSession(this))
{
    setWindowTitle(tr("Clade"));
    resize(1400, 900);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    // The inspector is read top to bottom: give it the full height on the right.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);

    m_actions = new RunActions(m_session, this);
    auto* toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName("runToolBar");
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_actions->fillToolBar(toolbar);
    m_actions->fillMenus(menuBar());

    m_stack = new QStackedWidget(this);
    m_welcome = new WelcomePage(m_stack);
    m_stack->addWidget(m_welcome);
    m_explorer = new QWidget(m_stack);
    auto* explorerLayout = new QVBoxLayout(m_explorer);
    explorerLayout->setContentsMargins(0, 0, 0, 0);
    m_banner = new QLabel(m_explorer);
    m_banner->setObjectName("problemBanner");
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet("background:#fdecea; color:#8c1d18; padding:6px; border-bottom:1px solid #f2b8b5");
    m_banner->hide();
    explorerLayout->addWidget(m_banner);
    m_sandboxBanner = new SandboxBanner(m_explorer);
    explorerLayout->addWidget(m_sandboxBanner);
    m_importNotice = new QLabel(m_explorer);
    m_importNotice->setObjectName("importNotice");
    m_importNotice->setWordWrap(true);
    m_importNotice->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_importNotice->setStyleSheet("background:#fff8e1; color:#5d4300; padding:6px; border-bottom:1px solid #f0d98c");
    m_importNotice->hide();
    explorerLayout->addWidget(m_importNotice);
    m_stack->addWidget(m_explorer);
    setCentralWidget(m_stack);

    m_status = new RunStatusBar(this);
    setStatusBar(m_status);
    buildDocks();
    connectSession();
    showExplorer(false);

    connect(m_actions->newRun, &QAction::triggered, this, &MainWindow::showNewRunDialog);
    connect(m_actions->openRun, &QAction::triggered, this, &MainWindow::showOpenDialog);
    connect(m_actions->openRunFile, &QAction::triggered, this, &MainWindow::showOpenFileDialog);
    connect(m_actions->demo, &QAction::triggered, this, [this] { startDemo(); });
    connect(m_actions->resume, &QAction::triggered, m_session, [this] { m_session->resumeHere(); });
    connect(m_actions->pause, &QAction::triggered, m_session, &models::RunSession::pause);
    connect(m_actions->unpause, &QAction::triggered, m_session, &models::RunSession::resumePaused);
    connect(m_actions->stop, &QAction::triggered, m_session, &models::RunSession::stop);
    connect(m_actions->quit, &QAction::triggered, this, &QWidget::close);
    connect(m_welcome, &WelcomePage::demoRequested, this, [this] { startDemo(); });
    connect(m_welcome, &WelcomePage::newRunRequested, this, &MainWindow::showNewRunDialog);
    connect(m_welcome, &WelcomePage::openRequested, this, &MainWindow::showOpenDialog);
    connect(m_welcome, &WelcomePage::recentRunChosen, this, &MainWindow::openRun);
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* content,
                                 Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(content);
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

void MainWindow::buildDocks()
{
    m_inspector = new NodeInspector(this);
    m_inspector->setObjectName("inspector");
    QDockWidget* inspectorDock =
        addDock(tr("Inspector"), "inspectorDock", m_inspector, Qt::RightDockWidgetArea);
    resizeDocks({inspectorDock}, {460}, Qt::Horizontal);
    m_nodeList = new NodeListPanel(m_session->nodes(), this);
    m_nodeList->setObjectName("nodeList");

    m_filterBar = new TreeFilterBar(m_explorer);
    m_filterBar->setObjectName("treeFilter");
    m_explorer->layout()->addWidget(m_filterBar);
    m_tree = new TreeView(m_explorer);
    m_tree->setObjectName("tree");
    m_explorer->layout()->addWidget(m_tree);
    m_sceneWorker = new models::TreeSceneWorker(this);
    connect(m_sceneWorker, &models::TreeSceneWorker::sceneReady, this, &MainWindow::onSceneReady);
    connect(m_tree, &TreeView::currentNodeChanged, this, &MainWindow::selectNode);
    connect(m_tree, &TreeView::comparePairChanged, m_session->selection(),
            &models::NodeSelection::setComparePair);
    connect(m_tree, &TreeView::collapseToggled, this, [this](int id, bool collapse) {
        auto options = m_sceneWorker->options();
        auto& ids = options.collapsedIds;
        ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
        if (collapse)
            ids.push_back(id);
        m_sceneWorker->setOptions(options);
    });
    connect(m_filterBar, &TreeFilterBar::filterChanged, this, [this](const models::TreeFilter& f) {
        auto options = m_sceneWorker->options();
        options.filter = f;
        m_sceneWorker->setOptions(options);
    });
    connect(m_filterBar, &TreeFilterBar::colorByChanged, this, [this](models::ColorBy colorBy) {
        auto options = m_sceneWorker->options();
        options.colorBy = colorBy;
        m_sceneWorker->setOptions(options);
    });
    connect(m_filterBar, &TreeFilterBar::nextMatch, m_tree, &TreeView::findNext);
    connect(m_filterBar, &TreeFilterBar::previousMatch, m_tree, &TreeView::findPrevious);

    m_diff = new DiffView(this);
    m_diff->setObjectName("diff");
    m_chart = new ScoreChart(this);
    m_chart->setObjectName("chart");
    m_chart->setModel(m_session->nodes());
    m_metricChart = new MetricChart(this);
    m_metricChart->setObjectName("metricChart");
    m_metricChart->setModel(m_session->nodes());
    m_logs = new LogView(this);
    m_logs->setObjectName("logs");
    QDockWidget* diffDock = addDock(tr("Diff"), "diffDock", m_diff, Qt::BottomDockWidgetArea);
    QDockWidget* chartDock = addDock(tr("Charts"), "chartDock", m_chart, Qt::BottomDockWidgetArea);
    QDockWidget* logDock = addDock(tr("Logs"), "logDock", m_logs, Qt::BottomDockWidgetArea);
    // Any metric against any other, beside the score over time.
    QDockWidget* paretoDock = addDock(tr("Pareto"), "paretoDock", m_metricChart, Qt::BottomDockWidgetArea);
    tabifyDockWidget(diffDock, chartDock);
    tabifyDockWidget(chartDock, paretoDock);
    tabifyDockWidget(paretoDock, logDock);
    QDockWidget* nodesDock = addDock(tr("Nodes"), "nodesDock", m_nodeList, Qt::BottomDockWidgetArea);
    tabifyDockWidget(logDock, nodesDock);
    m_review = new ReviewPanel(m_session, this);
    m_review->setObjectName("review");
    m_reviewDock = addDock(tr("Review"), "reviewDock", m_review, Qt::BottomDockWidgetArea);
    tabifyDockWidget(nodesDock, m_reviewDock);
    m_elites = new EliteGridView(this);
    m_elites->setObjectName("elites");
    m_elitesDock = addDock(tr("Elites"), "elitesDock", m_elites, Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_reviewDock, m_elitesDock);
    connect(m_elites, &EliteGridView::nodeActivated, this, &MainWindow::selectNode);
    diffDock->raise();
    resizeDocks({diffDock}, {380}, Qt::Vertical);
    connect(m_chart, &ScoreChart::nodeClicked, this, &MainWindow::selectNode);
    connect(m_metricChart, &MetricChart::nodeClicked, this, &MainWindow::selectNode);

    connect(m_nodeList, &NodeListPanel::currentNodeChanged, this, &MainWindow::selectNode);
    connect(m_inspector, &NodeInspector::nodeLinkActivated, this, &MainWindow::selectNode);
    connectReview();
}

void MainWindow::connectReview()
{
    connect(m_review, &ReviewPanel::nodeActivated, this, &MainWindow::selectNode);
    connect(m_review, &ReviewPanel::decisionRequested, m_actions, &RunActions::decide);
    connect(m_review, &ReviewPanel::editRequested, m_actions, &RunActions::editNode);
    connect(m_review, &ReviewPanel::countChanged, this, [this, waiting = 0](int count) mutable {
        m_reviewDock->setWindowTitle(count > 0 ? tr("Review (%1)").arg(count) : tr("Review"));
        // The run now waits for a person: bring the queue to the front once, not on
        // every later arrival (the person may be reading another tab on purpose).
        if (waiting == 0 && count > 0)
            m_reviewDock->raise();
        waiting = count;
    });
    m_actions->setNoteSource([this](int id) { return m_review->noteFor(id); });
    // One menu of node commands wherever a node is right-clicked; the click selected it.
    auto popup = [this](int, const QPoint& at) { m_actions->nodeMenu()->popup(at); };
    connect(m_tree, &TreeView::contextMenuRequested, this, popup);
    connect(m_nodeList, &NodeListPanel::contextMenuRequested, this, popup);
    connect(m_review, &ReviewPanel::contextMenuRequested, this, popup);
    auto* decisions = m_session->decisions();
    connect(decisions, &models::DecisionSender::submitted, this,
            [this](int id, const QString& action, const QString& outcome, bool appliedNow) {
                m_status->showMessage(appliedNow ? tr("#%1 %2: %3").arg(id).arg(action, outcome)
                                                 : tr("#%1 %2 sent to the running search").arg(id).arg(action),
                                      10000);
            });
    connect(decisions, &models::DecisionSender::failed, this,
            [this](int id, const QString& action, const QString& message) {
                m_status->showMessage(tr("#%1 %2 failed: %3").arg(id).arg(action, message), 15000);
            });
}

void MainWindow::connectSession()
{
    m_status->followCluster(m_session->follower()); // the Slurm strip: placements, live queue
    // The scene worker gets the same values as the node list, before the window reacts.
    connect(m_session, &models::RunSession::opened, m_sceneWorker, &models::TreeSceneWorker::reset);
    connect(m_session, &models::RunSession::nodesChanged, m_sceneWorker,
            &models::TreeSceneWorker::apply);
    connect(m_session, &models::RunSession::opened, this, &MainWindow::onOpened);
    connect(m_session, &models::RunSession::nodesChanged, this, &MainWindow::onNodesChanged);
    connect(m_session, &models::RunSession::problem, this, &MainWindow::showProblem);
    connect(m_session, &models::RunSession::ownerChanged, this, &MainWindow::updateOwner);
    connect(m_session, &models::RunSession::sandboxChanged, this, &MainWindow::showSandboxWarning);
    connect(m_session, &models::RunSession::progressChanged, this,
            [this](const engine::RunProgress& progress) {
                m_status->setProgress(progress);
                m_actions->update();
            });
    connect(m_session, &models::RunSession::engineEnded, this,
            [this](engine::RunOutcome::Status status, const QString& message) {
                const EndNotice notice = endNotice(status, message);
                if (notice.needsAttention)
                    showProblem(notice.text);
                else
                    m_status->showMessage(notice.text, 15000);
            });
    connect(m_session->selection(), &models::NodeSelection::currentChanged, this,
            &MainWindow::onCurrentChanged);
    connect(m_session->selection(), &models::NodeSelection::compareChanged, this,
            &MainWindow::showDiffFor);
    connect(m_session->follower(), &models::RunFollower::detailsRead, m_inspector,
            &NodeInspector::setDetails);
}

void MainWindow::openRun(const QString& folder)
{
    m_banner->hide();
    m_session->open(folder);
}

void MainWindow::startDemo(std::uint64_t seed, int iterations)
{
    const engine::ExampleCatalog catalog(QCoreApplication::applicationDirPath().toStdString());
    const auto example = catalog.find("binpack");
    if (!example) {
        showProblem(tr("The bundled example 'binpack' is not installed (looked in "
                       "$CLADE_EXAMPLES_DIR, <prefix>/share/clade/examples and the source tree)."));
        return;
    }
    engine::RunSettings settings;
    settings.seed = seed;
    settings.iterations = iterations;
    settings.workers = std::clamp(QThread::idealThreadCount(), 1, 2);
    m_banner->hide();
    m_status->showMessage(tr("Creating the demo run…"));
    m_session->startNew(QString::fromStdString(example->folder.string()), defaultRunFolder("demo"),
                        settings);
}

void MainWindow::showNewRunDialog()
{
    NewRunDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_banner->hide();
    m_status->showMessage(tr("Creating the run…"));
    m_session->startNew(dialog.agentFolder(), dialog.runFolder(), dialog.settings());
}

void MainWindow::showOpenDialog()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a run folder"));
    if (!folder.isEmpty())
        openRun(folder);
}

void MainWindow::showOpenFileDialog()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open another system's run file"), {},
        tr("Run files (*.json *.jsonl *.db *.sqlite *.sqlite3);;All files (*)"));
    if (!file.isEmpty())
        openRun(file); // imported on the fly, as `clade open FILE` does
}

void MainWindow::showExplorer(bool explorer)
{
    m_stack->setCurrentWidget(explorer ? m_explorer : static_cast<QWidget*>(m_welcome));
    for (QDockWidget* dock : std::as_const(m_docks))
        dock->setVisible(explorer);
}

bool MainWindow::raiseDock(const QString& name)
{
    for (QDockWidget* dock : std::as_const(m_docks))
        if (dock->windowTitle().startsWith(name, Qt::CaseInsensitive)) {
            dock->show();
            dock->raise();
            return true;
        }
    return false;
}

QStringList MainWindow::dockNames() const
{
    QStringList names;
    for (const QDockWidget* dock : m_docks)
        names << dock->windowTitle().section(' ', 0, 0).toLower();
    return names;
}

void MainWindow::selectNode(int id)
{
    m_session->selection()->setCurrent(id);
}

void MainWindow::onOpened(const models::RunDataPtr& data)
{
    m_logsNode = -1; // another run: its node ids name other folders
    m_elitesDockDecided = false;
    showImportNotice(*data);
    m_chart->setHigherIsBetter(data->config.manifest.direction == engine::Direction::Maximize);
    m_metricChart->setManifest(data->config.manifest);
    showExplorer(true);
    m_banner->hide();
    const QString name = QString::fromStdString(data->config.name);
    setWindowTitle(tr("%1 — Clade").arg(name.isEmpty() ? data->folder : name));
    m_status->showMessage(tr("Opened %1 (%2 nodes in %3 s)")
                              .arg(data->folder)
                              .arg(data->nodes.size())
                              .arg(data->readSeconds, 0, 'f', 2),
                          8000);
    // Start on the oldest node waiting for a decision, else the best one: what a person
    // opening the run has to do, else what anyone asks of a run first.
    const auto* queue = m_session->reviewQueue();
    const auto progress = m_session->progress();
    if (queue->rowCount() > 0) {
        m_reviewDock->raise();
        selectNode(queue->entries().front().node.id);
    } else {
        selectNode(progress.bestId.value_or(data->nodes.empty() ? -1 : data->nodes.front().id));
    }
    updateOwner();
    Q_EMIT runShown();
}

void MainWindow::onNodesChanged(const models::NodeBatchPtr& batch)
{
    const int current = m_session->selection()->current();
    if (current < 0 && m_session->nodes()->rowCount() > 0) {
        selectNode(m_session->nodes()->nodes().front().id);
        return;
    }
    for (const auto& node : batch->nodes)
        if (node.id == current) {
            onCurrentChanged(current); // show its new state
            break;
        }
}

void MainWindow::onCurrentChanged(int id)
{
    const engine::Node* node = m_session->nodes()->node(id);
    m_chart->setCurrentNode(id);
    m_metricChart->setCurrentNode(id);
    m_tree->setCurrentNode(id);
    m_elites->setCurrent(id);
    if (!node) {
        m_inspector->clear();
        m_logs->clear();
        m_logsNode = -1;
        m_diff->showMessage(tr("Select a node to see its change."));
        return;
    }
    if (m_logsNode != id) { // a node's new state keeps its log view (it follows the files)
        m_logsNode = id;
        m_logs->showNode(m_session->folder(), id);
    }
    m_inspector->showNode(*node, m_session->nodes()->node(node->primaryParent()));
    // One node's verdict: a walk up its ancestors, cheap enough for the GUI thread.
    if (const engine::RunConfig* config = m_session->config())
        m_inspector->setGuardReport(
            engine::checkGuards(config->manifest.guards, *node, m_session->nodes()->nodes()));
    showCladeSummary(id);
    m_session->follower()->requestDetails(id);
    m_nodeList->setCurrentNode(id);
    m_review->showNode(id);
}

void MainWindow::showDiffFor(int id, int other)
{
    const auto* nodes = m_session->nodes();
    const engine::Node* node = nodes->node(id);
    if (!node)
        return;
    const std::filesystem::path repo = m_session->runFolder().repo();
    const engine::Node* base = nodes->node(other >= 0 ? other : node->primaryParent());
    if (node->commit.empty()) {
        m_diff->showMessage(tr("Node #%1 produced no code (%2).")
                                .arg(id)
                                .arg(node->error.empty() ? tr("its proposal failed")
                                                         : QString::fromStdString(node->error)));
        return;
    }
    if (!base) {
        m_diff->showDiff(repo, std::string(), node->commit, tr("Node #%1 (root)").arg(id));
        return;
    }
    m_diff->showDiff(repo, base->commit, node->commit,
                     other >= 0 ? tr("Node #%1 vs #%2").arg(id).arg(base->id)
                                : tr("Node #%1 vs its parent #%2").arg(id).arg(base->id));
}

void MainWindow::onSceneReady(std::shared_ptr<const models::TreeScene> scene)
{
    m_scene = std::move(scene);
    m_tree->setScene(m_scene);
    m_filterBar->setMatchCount(static_cast<int>(m_scene->matches().size()), m_scene->filterActive());
    m_filterBar->setCladeEstimatesAvailable(m_scene->insight() && m_scene->insight()->hasCladeEstimates());
    m_elites->setScene(m_scene);
    // The grids tab is there for islands runs only; decided once per run, so a person who
    // closed it does not see it come back with every change.
    if (!m_elitesDockDecided) {
        m_elitesDockDecided = true;
        m_elitesDock->setVisible(m_elites->hasGrids());
    }
    showCladeSummary(m_session->selection()->current());
}

void MainWindow::showCladeSummary(int id)
{
    const int index = m_scene ? m_scene->indexOf(id) : -1;
    const engine::NodeInsight* insight = m_scene ? m_scene->insightFor(id) : nullptr;
    m_inspector->setStrategyInsight(
        m_scene && m_scene->insight() ? QString::fromStdString(m_scene->insight()->strategy) : QString(),
        insight ? insightText(*m_scene->insight(), *insight) : QString());
    if (index < 0) {
        m_inspector->setCladeSummary(tr("–"));
        return;
    }
    const models::CladeRollup& r = m_scene->rollup(index);
    QString text = tr("%n node(s)", nullptr, r.size);
    if (r.bestId >= 0)
        text += tr(" · best <a href=\"node:%1\">#%1</a> %2").arg(r.bestId).arg(r.bestScore, 0, 'f', 4);
    if (r.okShare() >= 0)
        text += tr(" · %1% evaluated ok (%2 failed)").arg(qRound(r.okShare() * 100)).arg(r.failed);
    if (r.cost > 0)
        text += tr(" · cost $%1").arg(r.cost, 0, 'f', 2);
    m_inspector->setCladeSummary(text);
}

void MainWindow::showImportNotice(const models::RunData& data)
{
    if (data.importFormat.empty()) {
        m_importNotice->hide();
        return;
    }
    QString text = tr("Imported from <b>%1</b> (%2): searched by another system, so it can be explored "
                      "and exported but not resumed.")
                       .arg(QString::fromStdString(data.importFormat).toHtmlEscaped(),
                            QString::fromStdString(data.importSource).toHtmlEscaped());
    const auto& warnings = data.importWarnings;
    if (warnings.empty()) {
        text += tr(" The import found no integrity problem.");
    } else {
        text += tr(" <b>%n integrity warning(s)</b>:", nullptr, static_cast<int>(warnings.size()));
        constexpr std::size_t kShown = 4;
        for (std::size_t i = 0; i < warnings.size() && i < kShown; ++i)
            text += "<br>• " + QString::fromStdString(warnings[i]).toHtmlEscaped();
        if (warnings.size() > kShown)
            text += tr("<br>… and %1 more, all in %2")
                        .arg(warnings.size() - kShown)
                        .arg(models::qtPath(models::runFolderOf(data.folder).artifacts() /
                                            "import-warnings.txt")
                                 .toHtmlEscaped());
    }
    m_importNotice->setText(text);
    m_importNotice->show();
}

void MainWindow::showSandboxWarning()
{
    const engine::SandboxWarning warning = m_session->sandboxWarning();
    m_sandboxBanner->setWarning(warning);
    m_inspector->setSandboxWarning(warning);
}

void MainWindow::showProblem(const QString& message)
{
    if (!m_session->isOpen())
        m_stack->setCurrentWidget(m_explorer); // the banner lives there; the docks stay hidden
    m_banner->setText(message);
    m_banner->show();
    m_status->showMessage(engine::elideQString(message, 200), 15000);
    m_actions->update();
}

void MainWindow::updateOwner()
{
    using Owner = models::RunSession::Owner;
    QString text;
    switch (m_session->owner()) {
    case Owner::ThisWindow:
        text = m_session->isPaused() ? tr("Paused in this window") : tr("Running in this window");
        break;
    case Owner::OtherProcess:
        text = tr("Following live: another process is running this run");
        break;
    case Owner::None:
        text = m_session->isOpen() ? tr("Not running — Start resumes it here") : tr("No run open");
        break;
    }
    if (m_session->isOpen())
        text += " · " + m_session->folder();
    m_status->setOwner(text);
    m_actions->update();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Stopping re-queues running evaluations; the session's destructor waits for them.
    m_session->stop();
    event->accept();
}

} // namespace clade::ui
