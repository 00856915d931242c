#pragma once

#include "engine/run/RunConfig.h"
#include "models/RunData.h"
#include "models/TreeScene.h"
#include "engine/strategy/Strategy.h"

#include <QObject>
#include <QThread>

#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

namespace clade::models {

/// Builds the tree's scene off the GUI thread. It keeps its own copy of the run's nodes
/// (fed the same opened/changed values as the node list), so a rebuild never copies
/// 100,000 nodes on the GUI thread; bursts of changes coalesce into one build.
class TreeSceneBuilder : public QObject {
    Q_OBJECT
public:
    TreeSceneBuilder();

public Q_SLOTS:
    void reset(clade::models::RunDataPtr data);
    void apply(clade::models::NodeBatchPtr batch);
    void setOptions(const clade::models::TreeSceneOptions& options);

Q_SIGNALS:
    void sceneReady(std::shared_ptr<const clade::models::TreeScene> scene);

private:
    void scheduleBuild();
    void build();

    std::shared_ptr<const engine::StrategyInsight> computeInsight() const;

    std::vector<engine::Node> m_nodes; ///< ascending id
    // The run's strategy, rebuilt from run.json, asked what it knows after every change;
    // null when run.json names none this build knows (or its parameters are bad).
    std::unique_ptr<engine::Strategy> m_strategy;
    engine::RunConfig m_config; ///< its tasks, direction and guards, for the insight, best and marks
    std::set<int> m_personReverted; ///< left out of the insight and the best, as the engine does
    /// The strategy's insight for the current nodes (null: it has none), recomputed only
    /// when the nodes change.
    std::shared_ptr<const engine::StrategyInsight> m_insight;
    bool m_insightCurrent = false;
    std::unordered_map<int, size_t> m_indexOfId;
    TreeSceneOptions m_options;
    bool m_buildPending = false;
};

/// The GUI-side owner of a TreeSceneBuilder and its thread.
class TreeSceneWorker : public QObject {
    Q_OBJECT
public:
    explicit TreeSceneWorker(QObject* parent = nullptr);
    ~TreeSceneWorker() override;

    void reset(const RunDataPtr& data);
    void apply(const NodeBatchPtr& batch);
    void setOptions(const TreeSceneOptions& options);
    const TreeSceneOptions& options() const { return m_options; }

Q_SIGNALS:
    void sceneReady(std::shared_ptr<const clade::models::TreeScene> scene);

private:
    QThread m_thread;
    TreeSceneBuilder* m_builder = nullptr;
    TreeSceneOptions m_options;
};

} // namespace clade::models

Q_DECLARE_METATYPE(clade::models::TreeSceneOptions)
Q_DECLARE_METATYPE(std::shared_ptr<const clade::models::TreeScene>)
