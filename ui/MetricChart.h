#pragma once

#include "engine/manifest/Manifest.h"
#include "models/MetricPoints.h"

#include <QPointer>
#include <QWidget>

class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QTimer;
class QTreeWidget;
class QValueAxis;

namespace clade::models {
class NodeListModel;
}

namespace clade::ui {

/// Any metric against any other, one point per evaluated node (models::MetricPoints), with
/// the non-dominated front as a step line and a list of its nodes. Nodes that fail a guard
/// are crosses, left off the front. Follows the node list model like ScoreChart: one redraw
/// per event-loop turn, none while hidden.
class MetricChart : public QWidget {
    Q_OBJECT

public:
    explicit MetricChart(QWidget* parent = nullptr);
    ~MetricChart() override;

    void setModel(models::NodeListModel* model);
    /// The run's primary metric and guards: axis directions, guard checks, default axes.
    /// Puts the axes back to their defaults for the run.
    void setManifest(const engine::Manifest& manifest);
    void setCurrentNode(int id);
    int currentNode() const { return m_currentNode; }

    const models::MetricPoints& points() const { return m_points; }
    QChartView* chartView() const { return m_view; }
    QScatterSeries* frontSeries() const { return m_front; }
    QScatterSeries* otherSeries() const { return m_others; }
    QScatterSeries* failingSeries() const { return m_failing; }
    QLineSeries* frontLine() const { return m_frontLine; }
    QLabel* caption() const { return m_caption; }
    QTreeWidget* frontList() const { return m_frontList; }

    void refresh();
    bool refreshPending() const;

Q_SIGNALS:
    void nodeClicked(int id);
    /// A redraw has been applied: points() and the drawn series follow the model again.
    void refreshed();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void buildChart();
    void scheduleRefresh();
    void updateChoices(const std::vector<engine::Node>& nodes);
    engine::Objective chosenAxis(const QComboBox* metric, const QComboBox* direction) const;
    void onMetricChosen(QComboBox* metric, QComboBox* direction);
    void fillSeries();
    void fillFrontList();
    void updateCaption();
    void updateCurrentPoint();
    void onPointClicked(const QPointF& point);
    void onPointHovered(const QPointF& point, bool state);
    const models::MetricPoint* pointAt(const QPointF& value) const;

    QPointer<models::NodeListModel> m_model;
    QList<QMetaObject::Connection> m_modelConnections;
    engine::Manifest m_manifest;
    bool m_defaultsChosen = false; ///< the axes were set to the run's defaults once it had nodes
    models::MetricPoints m_points;
    int m_currentNode = -1;

    QComboBox* m_xMetric;
    QComboBox* m_xDirection;
    QComboBox* m_yMetric;
    QComboBox* m_yDirection;
    QChartView* m_view;
    QLabel* m_caption;
    QTreeWidget* m_frontList; ///< the front's nodes with their two values, along x
    QScatterSeries* m_others = nullptr;
    QScatterSeries* m_front = nullptr;
    QScatterSeries* m_failing = nullptr;
    QScatterSeries* m_current = nullptr;
    QLineSeries* m_frontLine = nullptr;
    QValueAxis* m_xAxis = nullptr;
    QValueAxis* m_yAxis = nullptr;
    QTimer* m_refreshTimer;
    bool m_stale = false;
};

} // namespace clade::ui
