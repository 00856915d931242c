#include "ui/ScoreChart.h"

#include "ui/ChartStyle.h"

#include <QAbstractItemModel>
#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QElapsedTimer>
#include <QLabel>
#include <QScopeGuard>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace clade::ui {
namespace {

using chart::BestColour;
using chart::CurrentColour;
using chart::kMaxDrawnPoints;
using chart::PointColour;
const QColor CostColour(0x8a, 0x3f, 0xc4);
const QColor TokensColour(0x1a, 0x8c, 0x7a);

// Pads a range so points on its edges are not cut in half by the plot frame.
void setPaddedRange(QValueAxis* axis, double low, double high, bool fromZero = false)
{
    if (fromZero)
        low = std::min(low, 0.0);
    if (!(high > low)) {
        const double half = std::abs(low) > 0 ? std::abs(low) * 0.1 : 0.5;
        low -= half;
        high += half;
    }
    const double pad = (high - low) * 0.06;
    axis->setRange(fromZero && low >= 0 ? 0 : low - pad, high + pad);
    axis->applyNiceNumbers();
}


// Counts (evaluations, nodes) get whole-number ticks at 1, 2, 5, 10, 20, ... steps.
void setCountRange(QValueAxis* axis, double count)
{
    const double high = std::max(1.0, count);
    const double rough = high / 6;
    double step = 1;
    while (step < rough)
        step *= (QString::number(step).startsWith(u'2') ? 2.5 : 2);
    // The interval before the range: a wide range with the old, small interval would make
    // the axis create one tick item per step (100,000 of them for a large run).
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(step);
    axis->setRange(0, high + std::max(0.5, high * 0.04));
}

QChart* makeChart()
{
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation); // live runs redraw often
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    return chart;
}

} // namespace

ScoreChart::ScoreChart(QWidget* parent)
    : QWidget(parent), m_metricCombo(new QComboBox), m_xAxisCombo(new QComboBox),
      m_scoreButton(new QToolButton), m_costButton(new QToolButton), m_stack(new QStackedWidget),
      m_scoreView(new QChartView), m_costView(new QChartView), m_tokensView(new QChartView),
      m_refreshTimer(new QTimer(this))
{
    m_metricCombo->setObjectName(QStringLiteral("metricCombo"));
    m_metricCombo->addItem(tr("Score"), QString());
    m_metricCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_metricCombo->setToolTip(tr("Metric on the vertical axis"));
    m_xAxisCombo->setObjectName(QStringLiteral("xAxisCombo"));
    m_xAxisCombo->addItem(tr("by evaluation order"));
    m_xAxisCombo->addItem(tr("by time"));
    connect(m_metricCombo, &QComboBox::currentIndexChanged, this, &ScoreChart::refresh);
    connect(m_xAxisCombo, &QComboBox::currentIndexChanged, this, &ScoreChart::refresh);

    m_scoreButton->setText(tr("Score"));
    m_scoreButton->setObjectName(QStringLiteral("scoreChartButton"));
    m_costButton->setText(tr("Cost && tokens"));
    m_costButton->setObjectName(QStringLiteral("costChartButton"));
    auto* group = new QButtonGroup(this);
    for (QToolButton* button : {m_scoreButton, m_costButton}) {
        button->setCheckable(true);
        button->setAutoRaise(true);
        group->addButton(button);
    }
    m_scoreButton->setChecked(true);
    connect(m_costButton, &QToolButton::toggled, this, &ScoreChart::setShowCost);

    m_scoreView->setObjectName(QStringLiteral("scoreChartView"));
    m_scoreView->setChart(createScoreChart());
    m_scoreView->setRenderHint(QPainter::Antialiasing);
    m_costView->setObjectName(QStringLiteral("costChartView"));
    m_costView->setChart(createCostChart());
    m_costView->setRenderHint(QPainter::Antialiasing);
    m_tokensView->setObjectName(QStringLiteral("tokensChartView"));
    m_tokensView->setChart(createTokensChart());
    m_tokensView->setRenderHint(QPainter::Antialiasing);
    // Two charts, not two axes on one: cost is usually proportional to tokens, and the
    // two lines would lie on top of each other.
    auto* costPage = new QWidget;
    auto* costLayout = new QVBoxLayout(costPage);
    costLayout->setContentsMargins(0, 0, 0, 0);
    costLayout->setSpacing(0);
    costLayout->addWidget(m_costView);
    costLayout->addWidget(m_tokensView);
    m_stack->addWidget(m_scoreView);
    m_stack->addWidget(costPage);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    bar->addWidget(m_scoreButton);
    bar->addWidget(m_costButton);
    bar->addSpacing(12);
    bar->addWidget(m_metricCombo);
    bar->addWidget(m_xAxisCombo);
    bar->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);

    // A live run inserts and changes rows in bursts; one redraw per event-loop turn.
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(0);
    connect(m_refreshTimer, &QTimer::timeout, this, &ScoreChart::refresh);
    refresh();
}

ScoreChart::~ScoreChart() = default;

QChart* ScoreChart::createScoreChart()
{
    QChart* chart = makeChart();
    m_best = new QLineSeries;
    m_best->setName(tr("Best so far"));
    QPen bestPen(BestColour, 2);
    m_best->setPen(bestPen);
    m_points = new QScatterSeries;
    m_points->setName(tr("Evaluated node"));
    m_points->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_points->setMarkerSize(9);
    QColor fill = PointColour;
    fill.setAlpha(170);
    m_points->setColor(fill);
    m_points->setBorderColor(PointColour.darker(130));
    m_current = new QScatterSeries;
    m_current->setName(tr("Selected"));
    m_current->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_current->setMarkerSize(17);
    m_current->setColor(QColor(255, 255, 255, 0));
    m_current->setPen(QPen(CurrentColour, 2.5));

    chart->addSeries(m_best);
    chart->addSeries(m_points);
    chart->addSeries(m_current);
    m_scoreX = makeChartAxis(tr("Evaluation #"));
    m_scoreY = makeChartAxis(tr("Score"));
    chart->addAxis(m_scoreX, Qt::AlignBottom);
    chart->addAxis(m_scoreY, Qt::AlignLeft);
    for (QAbstractSeries* series : chart->series()) {
        series->attachAxis(m_scoreX);
        series->attachAxis(m_scoreY);
    }
    // The selection ring explains itself; its legend entry would be clutter.
    chart->legend()->markers(m_current).front()->setVisible(false);
    connect(m_points, &QScatterSeries::clicked, this, &ScoreChart::onPointClicked);
    connect(m_current, &QScatterSeries::clicked, this, &ScoreChart::onPointClicked);
    return chart;
}

QChart* ScoreChart::createCostChart()
{
    QChart* chart = makeChart();
    chart->legend()->hide(); // one series: the title names it
    chart->setTitle(tr("Cumulative cost"));
    m_cost = new QLineSeries;
    m_cost->setName(tr("Cumulative cost (USD)"));
    m_cost->setPen(QPen(CostColour, 2));
    chart->addSeries(m_cost);
    m_costX = makeChartAxis(tr("Nodes proposed"));
    m_costX->setLabelFormat(QStringLiteral("%d"));
    m_costY = makeChartAxis(tr("USD"));
    m_costY->setLabelFormat(QStringLiteral("%.2f"));
    chart->addAxis(m_costX, Qt::AlignBottom);
    chart->addAxis(m_costY, Qt::AlignLeft);
    m_cost->attachAxis(m_costX);
    m_cost->attachAxis(m_costY);
    return chart;
}

QChart* ScoreChart::createTokensChart()
{
    QChart* chart = makeChart();
    chart->legend()->hide();
    chart->setTitle(tr("Cumulative tokens (in + out)"));
    m_tokens = new QLineSeries;
    m_tokens->setName(tr("Cumulative tokens"));
    m_tokens->setPen(QPen(TokensColour, 2));
    chart->addSeries(m_tokens);
    m_tokensX = makeChartAxis(tr("Nodes proposed"));
    m_tokensX->setLabelFormat(QStringLiteral("%d"));
    m_tokensY = makeChartAxis(tr("Tokens"));
    m_tokensY->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(m_tokensX, Qt::AlignBottom);
    chart->addAxis(m_tokensY, Qt::AlignLeft);
    m_tokens->attachAxis(m_tokensX);
    m_tokens->attachAxis(m_tokensY);
    return chart;
}

void ScoreChart::setModel(QAbstractItemModel* model)
{
    for (const QMetaObject::Connection& connection : m_modelConnections)
        disconnect(connection);
    m_modelConnections.clear();
    m_model = model;
    if (model) {
        m_modelConnections = refreshOnModelChanges(model, this, &ScoreChart::scheduleRefresh);
    }
    refresh();
}

void ScoreChart::setHigherIsBetter(bool higherIsBetter)
{
    if (higherIsBetter == m_higherIsBetter)
        return;
    m_higherIsBetter = higherIsBetter;
    refresh();
}

void ScoreChart::setMetric(const QString& metric)
{
    const int index = m_metricCombo->findData(metric);
    if (index >= 0)
        m_metricCombo->setCurrentIndex(index);
}

QString ScoreChart::metric() const
{
    return m_metricCombo->currentData().toString();
}

void ScoreChart::setShowCost(bool showCost)
{
    (showCost ? m_costButton : m_scoreButton)->setChecked(true);
    m_stack->setCurrentIndex(showCost ? 1 : 0);
    m_metricCombo->setVisible(!showCost);
    m_xAxisCombo->setVisible(!showCost);
}

void ScoreChart::setCurrentNode(int id)
{
    m_currentNode = id;
    updateCurrentPoint();
}

void ScoreChart::scheduleRefresh()
{
    // A chart in a tab behind another draws when it is shown: reading a 100,000-node
    // model for it would stall the window while a run opens, for nothing seen.
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    m_refreshTimer->start();
}

void ScoreChart::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale) {
        m_stale = false;
        m_refreshTimer->start();
    }
}

void ScoreChart::refresh()
{
    m_refreshTimer->stop();
    m_stale = false;
    QElapsedTimer took;
    took.start();
    // A big run makes each redraw cost tens of milliseconds; while it grows live, redraw at
    // most every ten redraw-times (never later than 2 s), so the window stays responsive.
    const auto pace = qScopeGuard([this, &took] {
        const qint64 ms = took.elapsed();
        m_refreshTimer->setInterval(ms < 10 ? 0 : int(std::min<qint64>(2000, ms * 10)));
    });
    const auto xAxis = m_xAxisCombo->currentIndex() == 1
                           ? models::ScoreSeries::XAxis::Minutes
                           : models::ScoreSeries::XAxis::EvaluationOrder;
    m_series = m_model ? models::ScoreSeries::fromModel(*m_model, metric(), m_higherIsBetter, xAxis)
                       : models::ScoreSeries{};
    updateMetricChoices();

    QList<QPointF> shown;
    const int stride = models::ScoreSeries::thin(m_series.points, kMaxDrawnPoints, m_higherIsBetter, &shown);
    m_points->replace(shown);
    m_points->setName(stride == 1 ? tr("Evaluated node")
                                  : tr("Evaluated node (every %1th of %2, and each new best)")
                                        .arg(stride)
                                        .arg(m_series.points.size()));
    m_best->replace(m_series.bestSoFar);
    m_scoreX->setTitleText(xAxis == models::ScoreSeries::XAxis::Minutes
                               ? tr("Minutes since the first evaluation")
                               : tr("Evaluation #"));
    m_scoreY->setTitleText(metric().isEmpty() ? tr("Score") : metric());
    m_best->setName(m_higherIsBetter ? tr("Best so far (higher is better)")
                                     : tr("Best so far (lower is better)"));
    if (m_series.points.isEmpty()) {
        setCountRange(m_scoreX, 10);
        m_scoreY->setRange(0, 1);
    } else {
        auto [xMin, xMax] =
            std::minmax_element(m_series.points.begin(), m_series.points.end(),
                                [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
        auto [yMin, yMax] =
            std::minmax_element(m_series.points.begin(), m_series.points.end(),
                                [](const QPointF& a, const QPointF& b) { return a.y() < b.y(); });
        if (xAxis == models::ScoreSeries::XAxis::Minutes) {
            m_scoreX->setTickType(QValueAxis::TicksFixed);
            setPaddedRange(m_scoreX, xMin->x(), xMax->x());
        } else {
            setCountRange(m_scoreX, xMax->x());
        }
        setPaddedRange(m_scoreY, yMin->y(), yMax->y());
    }
    m_scoreX->setLabelFormat(xAxis == models::ScoreSeries::XAxis::Minutes ? QStringLiteral("%.3g")
                                                                          : QStringLiteral("%d"));
    updateCurrentPoint();

    m_cost->replace(models::ScoreSeries::thinLine(m_series.cost, kMaxDrawnPoints));
    m_tokens->replace(models::ScoreSeries::thinLine(m_series.tokens, kMaxDrawnPoints));
    const double nodes = std::max<double>(1, static_cast<double>(m_series.cost.size() - 1));
    setCountRange(m_costX, nodes);
    setCountRange(m_tokensX, nodes);
    setPaddedRange(m_costY, 0,
                   m_series.cost.isEmpty() ? 1 : std::max(m_series.cost.back().y(), 0.01), true);
    setPaddedRange(m_tokensY, 0,
                   m_series.tokens.isEmpty() ? 1 : std::max(m_series.tokens.back().y(), 1.0), true);
    Q_EMIT refreshed();
}

bool ScoreChart::refreshPending() const
{
    return m_refreshTimer->isActive();
}

void ScoreChart::updateMetricChoices()
{
    QStringList present;
    for (int i = 1; i < m_metricCombo->count(); ++i)
        present << m_metricCombo->itemData(i).toString();
    if (present == m_series.metricNames)
        return;
    const QString keep = metric();
    const QSignalBlocker blocker(m_metricCombo);
    while (m_metricCombo->count() > 1)
        m_metricCombo->removeItem(1);
    for (const QString& name : m_series.metricNames)
        m_metricCombo->addItem(name, name);
    const int index = m_metricCombo->findData(keep);
    m_metricCombo->setCurrentIndex(index >= 0 ? index : 0);
}

void ScoreChart::updateCurrentPoint()
{
    const qsizetype index = m_series.nodeIds.indexOf(m_currentNode);
    if (index >= 0)
        m_current->replace(QList<QPointF>{m_series.points[index]});
    else
        m_current->clear();
}

void ScoreChart::onPointClicked(const QPointF& point)
{
    // The signal gives the series' own point; find the nearest one in case of rounding.
    qsizetype nearest = -1;
    double bestDistance = 0;
    for (qsizetype i = 0; i < m_series.points.size(); ++i) {
        const QPointF delta = m_series.points[i] - point;
        const double distance = delta.x() * delta.x() + delta.y() * delta.y();
        if (nearest < 0 || distance < bestDistance) {
            nearest = i;
            bestDistance = distance;
        }
    }
    if (nearest >= 0)
        Q_EMIT nodeClicked(m_series.nodeIds[nearest]);
}

} // namespace clade::ui
