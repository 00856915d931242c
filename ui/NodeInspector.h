#pragma once

#include "engine/eval/GuardCheck.h"
#include "engine/run/SandboxWarning.h"
#include "engine/store/Node.h"
#include "models/RunData.h"

#include <QWidget>

class QFormLayout;
class QGroupBox;
class QLabel;
class QTableView;
class QTableWidget;

namespace clade::models {
class TaskResultsModel;
}

namespace clade::ui {

class PlacementView;

/// Every field of one node: status and score against its parent, its guards, where its
/// code came from, its metrics, per-task results beside the parent's, risk findings, review
/// decisions and notes. Shows values it is given; reads nothing itself.
class NodeInspector : public QWidget {
    Q_OBJECT
public:
    explicit NodeInspector(QWidget* parent = nullptr);

    /// `parent` may be null. Clears the decisions until setDetails() brings them.
    void showNode(const engine::Node& node, const engine::Node* parent);
    void setDetails(const models::NodeDetailsPtr& details);
    /// A short summary of the node's clade (size, best descendant, ...), as rich text.
    void setCladeSummary(const QString& html);
    /// What the run's strategy knows of the node (InsightText); hidden when `text` is empty.
    void setStrategyInsight(const QString& strategy, const QString& text);
    /// The node's guards, as engine::checkGuards(config.manifest.guards, node, nodes) judged
    /// them: one row per guard with its value, limit and verdict. Hidden when the run has
    /// no guards; showNode() of another node hides it until its own report comes.
    void setGuardReport(const engine::GuardReport& report);
    /// What the run's sandbox did not guarantee while its nodes ran; hidden when nothing.
    void setSandboxWarning(const engine::SandboxWarning& warning);
    void clear();
    int nodeId() const { return m_nodeId; }

Q_SIGNALS:
    /// A link to another node was clicked (parent, best descendant).
    void nodeLinkActivated(int id);

private:
    void addRow(const QString& label, const QString& value, bool rich = false);
    void showFindings(const std::vector<engine::Finding>& findings);
    void addMetricRows(const engine::Node& node);
    void fitGuardTable();

    int m_nodeId = -1;
    QLabel* m_title = nullptr;
    QLabel* m_score = nullptr;
    QLabel* m_sandbox = nullptr;
    QWidget* m_fieldsBox = nullptr;
    QFormLayout* m_fields = nullptr;
    QLabel* m_clade = nullptr;
    QLabel* m_strategy = nullptr;
    QGroupBox* m_strategyBox = nullptr;
    QGroupBox* m_guardsBox = nullptr;
    QLabel* m_guardSummary = nullptr;
    QTableWidget* m_guards = nullptr;
    PlacementView* m_ranOn = nullptr; ///< "Ran on": where each phase ran on the cluster
    QLabel* m_risk = nullptr;
    QLabel* m_decisions = nullptr;
    QTableView* m_tasks = nullptr;
    models::TaskResultsModel* m_taskModel = nullptr;
    QLabel* m_empty = nullptr;
    QWidget* m_body = nullptr;
};

} // namespace clade::ui
