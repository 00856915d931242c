#include "models/TreeSceneWorker.h"

#include "engine/run/RunFacts.h"

#include <QTimer>

#include <algorithm>

namespace clade::models {

TreeSceneBuilder::TreeSceneBuilder() = default;

void TreeSceneBuilder::reset(RunDataPtr data)
{
    m_nodes = data->nodes;
    std::sort(m_nodes.begin(), m_nodes.end(),
              [](const engine::Node& a, const engine::Node& b) { return a.id < b.id; });
    m_indexOfId.clear();
    for (size_t i = 0; i < m_nodes.size(); ++i)
        m_indexOfId[m_nodes[i].id] = i;
    m_options.collapsedIds.clear(); // ids of another run mean nothing here
    m_options.higherIsBetter = data->config.manifest.direction == engine::Direction::Maximize;
    m_config = data->config;
    m_personReverted = data->personReverted;
    const auto& settings = data->config.settings;
    try {
        m_strategy = engine::makeStrategy(settings.strategy, settings.strategyParams, settings.seed);
    } catch (const std::exception&) {
        m_strategy.reset(); // the run itself reports a bad strategy; the tree shows scores only
    }
    m_insightCurrent = false;
    scheduleBuild();
}

void TreeSceneBuilder::apply(NodeBatchPtr batch)
{
    const bool revertsChanged = batch->personReverted != m_personReverted;
    m_personReverted = batch->personReverted;
    if (batch->nodes.empty() && !revertsChanged)
        return; // only run-level facts changed (active time, owner): the picture did not
    bool added = false;
    for (const auto& node : batch->nodes) {
        const auto it = m_indexOfId.find(node.id);
        if (it != m_indexOfId.end()) {
            m_nodes[it->second] = node;
        } else {
            m_nodes.push_back(node);
            added = true;
        }
    }
    if (added) {
        std::sort(m_nodes.begin(), m_nodes.end(),
                  [](const engine::Node& a, const engine::Node& b) { return a.id < b.id; });
        for (size_t i = 0; i < m_nodes.size(); ++i)
            m_indexOfId[m_nodes[i].id] = i;
    }
    m_insightCurrent = false;
    scheduleBuild();
}

void TreeSceneBuilder::setOptions(const TreeSceneOptions& options)
{
    const bool direction = m_options.higherIsBetter;
    m_options = options;
    m_options.higherIsBetter = direction; // the run's, not the GUI's
    scheduleBuild();
}

void TreeSceneBuilder::scheduleBuild()
{
    if (m_buildPending)
        return;
    m_buildPending = true;
    // After the events already queued (more batches, an options change): one build for all.
    QTimer::singleShot(0, this, &TreeSceneBuilder::build);
}

void TreeSceneBuilder::build()
{
    m_buildPending = false;
    // The insight depends on the nodes only: a filter or colour change reuses it.
    if (!m_insightCurrent) {
        m_insight = m_strategy ? computeInsight() : nullptr;
        m_insightCurrent = true;
    }
    TreeSceneOptions options = m_options;
    options.bestId = engine::runBest(m_nodes, m_config, m_personReverted);
    options.guards = m_config.manifest.guards;
    Q_EMIT sceneReady(TreeScene::build(m_nodes, options, m_insight));
}

std::shared_ptr<const engine::StrategyInsight> TreeSceneBuilder::computeInsight() const
{
    // Held nodes, nodes a person reverted and their clades are left out, as the engine
    // leaves them out of its own decisions.
    const std::set<int> blocked = engine::blockedNodes(m_nodes, m_personReverted);
    std::set<int> evaluating;
    for (const auto& node : m_nodes)
        if (node.status == engine::NodeStatus::Evaluating)
            evaluating.insert(node.id);
    const auto view = engine::ArchiveView(m_nodes, m_config.manifest.tasks, m_config.manifest.direction)
                          .inFlight(evaluating, 0)
                          .blocking(blocked)
                          .guardedBy(m_config.manifest.guards);
    auto insight = m_strategy->insight(view);
    return insight ? std::make_shared<const engine::StrategyInsight>(std::move(*insight)) : nullptr;
}

TreeSceneWorker::TreeSceneWorker(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<TreeSceneOptions>();
    qRegisterMetaType<std::shared_ptr<const TreeScene>>();
    m_builder = new TreeSceneBuilder;
    m_builder->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_builder, &QObject::deleteLater);
    connect(m_builder, &TreeSceneBuilder::sceneReady, this, &TreeSceneWorker::sceneReady);
    m_thread.setObjectName("clade-tree-scene");
    m_thread.start();
}

TreeSceneWorker::~TreeSceneWorker()
{
    m_thread.quit();
    m_thread.wait();
}

void TreeSceneWorker::reset(const RunDataPtr& data)
{
    m_options.collapsedIds.clear();
    QMetaObject::invokeMethod(m_builder, "reset", Qt::QueuedConnection,
                              Q_ARG(clade::models::RunDataPtr, data));
}

void TreeSceneWorker::apply(const NodeBatchPtr& batch)
{
    QMetaObject::invokeMethod(m_builder, "apply", Qt::QueuedConnection,
                              Q_ARG(clade::models::NodeBatchPtr, batch));
}

void TreeSceneWorker::setOptions(const TreeSceneOptions& options)
{
    m_options = options;
    QMetaObject::invokeMethod(m_builder, "setOptions", Qt::QueuedConnection,
                              Q_ARG(clade::models::TreeSceneOptions, options));
}

} // namespace clade::models
