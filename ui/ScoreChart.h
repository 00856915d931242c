#pragma once

#include "models/ScoreSeries.h"

#include <QPointer>
#include <QWidget>

class QAbstractItemModel;
class QChart;
class QChartView;
class QComboBox;
class QLineSeries;
class QScatterSeries;
class QStackedWidget;
class QTimer;
class QToolButton;
class QValueAxis;

namespace clade::ui {

/// Score and cost charts of a run, read from a node list model (NodeColumns.h): a point
/// per evaluated node with a best-so-far step line, for the score or any metric; and the
/// run's cumulative cost and tokens. Follows the model's inserts, changes and resets,
/// redrawing at most once per event-loop turn.
class ScoreChart : public QWidget {
    Q_OBJECT

public:
    explicit ScoreChart(QWidget* parent = nullptr);
    ~ScoreChart() override;

    void setModel(QAbstractItemModel* model);
    QAbstractItemModel* model() const { return m_model; }
    /// Which way "best" goes, for the best-so-far line (default: higher is better).
    void setHigherIsBetter(bool higherIsBetter);
    bool higherIsBetter() const { return m_higherIsBetter; }
    /// Highlights node `id`'s point; -1 (or a node without a point) clears.
    void setCurrentNode(int id);
    int currentNode() const { return m_currentNode; }
    /// "" for the primary score, else a metric name from MetricsRole.
    void setMetric(const QString& metric);
    QString metric() const;
    void setShowCost(bool showCost);

    /// What is plotted now (after the pending redraw, if any).
    const models::ScoreSeries& series() const { return m_series; }
    QScatterSeries* scoreSeries() const { return m_points; }
    QLineSeries* bestSeries() const { return m_best; }
    QChartView* scoreView() const { return m_scoreView; }
    /// Redraws now instead of on the next event-loop turn.
    void refresh();
    /// Whether a redraw is scheduled: the model changed and the chart will redraw on its own
    /// (on a later event-loop turn, paced for a big run). A hidden chart schedules none: it
    /// redraws when shown.
    bool refreshPending() const;

Q_SIGNALS:
    void nodeClicked(int id);
    /// A redraw has been applied: series() and the drawn series follow the model again.
    void refreshed();

protected:
    void showEvent(QShowEvent* event) override;

private:
    QChart* createScoreChart();
    QChart* createCostChart();
    QChart* createTokensChart();
    void scheduleRefresh();
    void updateMetricChoices();
    void updateCurrentPoint();
    void onPointClicked(const QPointF& point);

    QPointer<QAbstractItemModel> m_model;
    QList<QMetaObject::Connection> m_modelConnections;
    models::ScoreSeries m_series;
    bool m_higherIsBetter = true;
    int m_currentNode = -1;

    QComboBox* m_metricCombo;
    QComboBox* m_xAxisCombo;
    QToolButton* m_scoreButton;
    QToolButton* m_costButton;
    QStackedWidget* m_stack;
    QChartView* m_scoreView;
    QChartView* m_costView;
    QChartView* m_tokensView;
    QScatterSeries* m_points = nullptr;
    QLineSeries* m_best = nullptr;
    QScatterSeries* m_current = nullptr;
    QValueAxis* m_scoreX = nullptr;
    QValueAxis* m_scoreY = nullptr;
    QLineSeries* m_cost = nullptr;
    QLineSeries* m_tokens = nullptr;
    QValueAxis* m_costX = nullptr;
    QValueAxis* m_costY = nullptr;
    QValueAxis* m_tokensX = nullptr;
    QValueAxis* m_tokensY = nullptr;
    QTimer* m_refreshTimer;
    bool m_stale = false; ///< the model changed while the chart was hidden
};

} // namespace clade::ui
