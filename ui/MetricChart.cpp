#include "ui/MetricChart.h"

#include "ui/ChartStyle.h"

#include "models/NodeListModel.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QScopeGuard>
#include <QTimer>
#include <QToolTip>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace clade::ui {
namespace {

using engine::Direction;
using engine::Objective;

// The charts' colours (ChartStyle.h): the front is drawn as the score chart draws the best.
using chart::CurrentColour;
using chart::kMaxDrawnPoints;
using chart::PointColour;
const QColor FrontColour = chart::BestColour;
const QColor FailingColour(0xd8, 0x43, 0x15);

// A tight range around the points with ticks at round multiples (1, 2 or 5 x 10^k): nice
// numbers on the range itself would stretch a cost axis to -0.05 for a margin of 0.006.
void setPaddedRange(QValueAxis* axis, double low, double high)
{
    if (!(high > low)) {
        const double half = std::abs(low) > 0 ? std::abs(low) * 0.1 : 0.5;
        low -= half;
        high += half;
    }
    const double pad = (high - low) * 0.06;
    const double rough = (high - low) / 5;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    const double step = rough / power < 1.5   ? power
                        : rough / power < 3.5 ? 2 * power
                        : rough / power < 7.5 ? 5 * power
                                              : 10 * power;
    // The interval before the range, as ScoreChart's setCountRange explains.
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(step);
    axis->setRange(low - pad, high + pad);
}

// QScatterSeries has no cross marker: a cross drawn into the marker's brush, as Qt's
// scatter chart example draws its stars.
QImage crossMarker(int size, const QColor& colour)
{
    QImage image(size, size, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(colour, 2.2, Qt::SolidLine, Qt::RoundCap));
    const double m = 2.0;
    painter.drawLine(QPointF(m, m), QPointF(size - m, size - m));
    painter.drawLine(QPointF(m, size - m), QPointF(size - m, m));
    return image;
}

QScatterSeries* makeScatter(const QString& name, double size, const QColor& fill,
                            const QColor& border)
{
    auto* series = new QScatterSeries;
    series->setName(name);
    series->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    series->setMarkerSize(size);
    series->setColor(fill);
    series->setBorderColor(border);
    return series;
}

// "1 node", "3 nodes": the explorer ships no translations to pick plurals from.
QString count(int n, const QString& one, const QString& many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

QString number(double value)
{
    return QString::number(value, 'g', 4);
}

QString directionText(Direction direction)
{
    return direction == Direction::Maximize ? MetricChart::tr("higher is better")
                                            : MetricChart::tr("lower is better");
}

void fillDirections(QComboBox* combo)
{
    combo->addItem(directionText(Direction::Maximize), int(Direction::Maximize));
    combo->addItem(directionText(Direction::Minimize), int(Direction::Minimize));
}

void showDirection(QComboBox* combo, Direction direction)
{
    const QSignalBlocker blocker(combo);
    combo->setCurrentIndex(combo->findData(int(direction)));
}

QString choiceText(const Objective& axis)
{
    const QString name = QString::fromStdString(axis.name);
    return axis.primary ? MetricChart::tr("%1 (primary)").arg(name) : name;
}

// Every k-th of `points`, so that about kMaxDrawnPoints remain.
QList<QPointF> thinned(const QList<QPointF>& points)
{
    const qsizetype stride =
        std::max<qsizetype>(1, (points.size() + kMaxDrawnPoints - 1) / kMaxDrawnPoints);
    if (stride == 1)
        return points;
    QList<QPointF> out;
    for (qsizetype i = 0; i < points.size(); i += stride)
        out.append(points[i]);
    return out;
}

} // namespace

MetricChart::MetricChart(QWidget* parent)
    : QWidget(parent), m_xMetric(new QComboBox), m_xDirection(new QComboBox),
      m_yMetric(new QComboBox), m_yDirection(new QComboBox), m_view(new QChartView),
      m_caption(new QLabel), m_frontList(new QTreeWidget), m_refreshTimer(new QTimer(this))
{
    m_xMetric->setObjectName(QStringLiteral("xMetricCombo"));
    m_yMetric->setObjectName(QStringLiteral("yMetricCombo"));
    m_xDirection->setObjectName(QStringLiteral("xDirectionCombo"));
    m_yDirection->setObjectName(QStringLiteral("yDirectionCombo"));
    m_xMetric->setToolTip(tr("Metric on the horizontal axis"));
    m_yMetric->setToolTip(tr("Metric on the vertical axis"));
    for (QComboBox* combo : {m_xMetric, m_yMetric}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(combo, &QComboBox::currentIndexChanged, this, [this, combo] {
            onMetricChosen(combo, combo == m_xMetric ? m_xDirection : m_yDirection);
        });
    }
    for (QComboBox* combo : {m_xDirection, m_yDirection}) {
        combo->setToolTip(tr("Which way is better on this axis: the front follows it"));
        fillDirections(combo);
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            m_defaultsChosen = true; // the person chose: keep it
            refresh();
        });
    }

    m_view->setObjectName(QStringLiteral("metricChartView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    buildChart();

    m_caption->setObjectName(QStringLiteral("frontCaption"));
    m_caption->setWordWrap(true);
    m_caption->setContentsMargins(8, 2, 8, 4);
    m_frontList->setObjectName(QStringLiteral("frontList"));
    m_frontList->setToolTip(
        tr("The nodes on the front, along the horizontal axis: click one to select it"));
    m_frontList->setMaximumWidth(260);
    m_frontList->setRootIsDecorated(false);
    m_frontList->setUniformRowHeights(true);
    m_frontList->setColumnCount(3);
    // The values share what the node ids leave; a long metric name is cut in the header
    // (its tooltip has it whole), never the numbers.
    m_frontList->header()->setStretchLastSection(false);
    m_frontList->header()->setMinimumSectionSize(40);
    m_frontList->header()->setSectionResizeMode(QHeaderView::Stretch);
    m_frontList->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_frontList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const auto select = [this](QTreeWidgetItem* item) {
        Q_EMIT nodeClicked(item->data(0, Qt::UserRole).toInt());
    };
    connect(m_frontList, &QTreeWidget::itemClicked, this, select);
    connect(m_frontList, &QTreeWidget::itemActivated, this, select);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    bar->addWidget(new QLabel(tr("Vertical:")));
    bar->addWidget(m_yMetric);
    bar->addWidget(m_yDirection);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Horizontal:")));
    bar->addWidget(m_xMetric);
    bar->addWidget(m_xDirection);
    bar->addStretch(1);

    auto* side = new QVBoxLayout;
    side->setContentsMargins(0, 4, 6, 0);
    auto* frontTitle = new QLabel(tr("<b>On the front</b>"));
    side->addWidget(frontTitle);
    side->addWidget(m_frontList, 1);
    auto* middle = new QHBoxLayout;
    middle->setContentsMargins(0, 0, 0, 0);
    middle->addWidget(m_view, 1);
    middle->addLayout(side);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addLayout(middle, 1);
    layout->addWidget(m_caption);

    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(0);
    connect(m_refreshTimer, &QTimer::timeout, this, &MetricChart::refresh);
    refresh();
}

MetricChart::~MetricChart() = default;

void MetricChart::buildChart()
{
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);

    m_frontLine = new QLineSeries;
    m_frontLine->setPen(QPen(FrontColour, 2));
    QColor otherFill = PointColour;
    otherFill.setAlpha(150);
    m_others = makeScatter(tr("Passes its guards"), 9, otherFill, PointColour.darker(130));
    m_front = makeScatter(tr("On the front"), 12, FrontColour, FrontColour.darker(140));
    m_failing = new QScatterSeries;
    m_failing->setName(tr("Fails a guard (left off the front)"));
    m_failing->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_failing->setMarkerSize(11);
    m_failing->setBrush(crossMarker(11, FailingColour));
    m_failing->setPen(QColor(Qt::transparent));
    m_current = makeScatter(tr("Selected"), 19, QColor(255, 255, 255, 0), CurrentColour);
    m_current->setPen(QPen(CurrentColour, 2.5));

    // Drawn in this order: the line under the points, the selection ring on top.
    for (QAbstractSeries* series :
         QList<QAbstractSeries*>{m_frontLine, m_others, m_failing, m_front, m_current})
        chart->addSeries(series);
    m_xAxis = makeChartAxis();
    m_yAxis = makeChartAxis();
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    chart->addAxis(m_yAxis, Qt::AlignLeft);
    for (QAbstractSeries* series : chart->series()) {
        series->attachAxis(m_xAxis);
        series->attachAxis(m_yAxis);
    }
    // The line names the front; its points and the selection ring explain themselves.
    // Scatter entries drawn with their series' marker, the line's as a line.
    chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    chart->legend()->markers(m_front).front()->setVisible(false);
    chart->legend()->markers(m_current).front()->setVisible(false);
    for (QScatterSeries* series : {m_others, m_front, m_failing, m_current}) {
        connect(series, &QScatterSeries::clicked, this, &MetricChart::onPointClicked);
        connect(series, &QScatterSeries::hovered, this, &MetricChart::onPointHovered);
    }
    m_view->setChart(chart);
}

void MetricChart::setModel(models::NodeListModel* model)
{
    for (const QMetaObject::Connection& connection : m_modelConnections)
        disconnect(connection);
    m_modelConnections.clear();
    m_model = model;
    if (model) {
        m_modelConnections = refreshOnModelChanges(model, this, &MetricChart::scheduleRefresh);
    }
    refresh();
}

void MetricChart::setManifest(const engine::Manifest& manifest)
{
    m_manifest = manifest;
    m_defaultsChosen = false;
    // A run opens with this tab behind another: read its nodes when the tab is shown.
    if (isVisible())
        refresh();
    else
        m_stale = true;
}

void MetricChart::setCurrentNode(int id)
{
    m_currentNode = id;
    updateCurrentPoint();
}

void MetricChart::scheduleRefresh()
{
    if (!isVisible()) { // drawn when shown, as ScoreChart does
        m_stale = true;
        return;
    }
    m_refreshTimer->start();
}

void MetricChart::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale) {
        m_stale = false;
        m_refreshTimer->start();
    }
}

bool MetricChart::refreshPending() const
{
    return m_refreshTimer->isActive();
}

void MetricChart::refresh()
{
    m_refreshTimer->stop();
    m_stale = false;
    QElapsedTimer took;
    took.start();
    // Paced like ScoreChart: a slow redraw is not repeated at every change of a live run.
    const auto pace = qScopeGuard([this, &took] {
        const qint64 ms = took.elapsed();
        m_refreshTimer->setInterval(ms < 10 ? 0 : int(std::min<qint64>(2000, ms * 10)));
    });
    static const std::vector<engine::Node> none;
    const std::vector<engine::Node>& nodes = m_model ? m_model->nodes() : none;
    updateChoices(nodes);
    m_points = models::MetricPoints::compute(nodes, m_manifest, chosenAxis(m_xMetric, m_xDirection),
                                             chosenAxis(m_yMetric, m_yDirection));
    fillSeries();
    fillFrontList();
    updateCaption();
    updateCurrentPoint();
    Q_EMIT refreshed();
}

void MetricChart::updateChoices(const std::vector<engine::Node>& nodes)
{
    const std::vector<Objective> choices = models::axisChoices(nodes, m_manifest);
    QStringList texts;
    for (const Objective& choice : choices)
        texts << choiceText(choice);
    QStringList present;
    for (int i = 0; i < m_xMetric->count(); ++i)
        present << m_xMetric->itemText(i);
    if (present != texts) {
        for (QComboBox* combo : {m_xMetric, m_yMetric}) {
            const QString keep = combo->currentText();
            const QSignalBlocker blocker(combo);
            combo->clear();
            for (qsizetype i = 0; i < texts.size(); ++i)
                combo->addItem(texts[i], int(choices[size_t(i)].direction));
            combo->setCurrentIndex(std::max(0, combo->findText(keep)));
        }
    }
    // Until the person picks an axis, follow the run's defaults: a live run's first nodes
    // may not show yet what it spends (the root costs nothing).
    if (!m_defaultsChosen) {
        const models::MetricAxes axes = models::defaultAxes(nodes, m_manifest);
        const QSignalBlocker xBlocker(m_xMetric);
        const QSignalBlocker yBlocker(m_yMetric);
        m_xMetric->setCurrentIndex(std::max(0, m_xMetric->findText(choiceText(axes.x))));
        m_yMetric->setCurrentIndex(std::max(0, m_yMetric->findText(choiceText(axes.y))));
        showDirection(m_xDirection, axes.x.direction);
        showDirection(m_yDirection, axes.y.direction);
    }
}

Objective MetricChart::chosenAxis(const QComboBox* metric, const QComboBox* direction) const
{
    Objective axis = metric->currentIndex() <= 0 ? models::primaryAxis(m_manifest)
                                                 : Objective{metric->currentText().toStdString(),
                                                             Direction::Maximize, false};
    axis.direction = static_cast<Direction>(direction->currentData().toInt());
    return axis;
}

void MetricChart::onMetricChosen(QComboBox* metric, QComboBox* direction)
{
    // The manifest's direction for the metric (or the default), which the person may turn.
    showDirection(direction, static_cast<Direction>(metric->currentData().toInt()));
    m_defaultsChosen = true;
    refresh();
}

void MetricChart::fillSeries()
{
    QList<QPointF> others, front, failing;
    for (const models::MetricPoint& point : m_points.points) {
        const QPointF at(point.x, point.y);
        (point.onFront ? front : !point.passesGuards ? failing : others).append(at);
    }
    m_others->replace(thinned(others));
    m_failing->replace(thinned(failing));
    m_front->replace(front);
    m_frontLine->replace(m_points.frontSteps());
    m_frontLine->setName(
        tr("Pareto front (%1)").arg(count(int(m_points.front.size()), tr("node"), tr("nodes"))));
    const bool guarded = !m_manifest.guards.empty();
    m_others->setName(guarded ? tr("Passes its guards") : tr("Evaluated node"));
    m_view->chart()->legend()->markers(m_failing).front()->setVisible(guarded);

    m_xAxis->setTitleText(models::axisTitle(m_points.x));
    m_yAxis->setTitleText(models::axisTitle(m_points.y));
    if (m_points.points.empty()) {
        setPaddedRange(m_xAxis, 0, 1);
        setPaddedRange(m_yAxis, 0, 1);
        return;
    }
    const auto [xMin, xMax] = std::minmax_element(
        m_points.points.begin(), m_points.points.end(),
        [](const models::MetricPoint& a, const models::MetricPoint& b) { return a.x < b.x; });
    const auto [yMin, yMax] = std::minmax_element(
        m_points.points.begin(), m_points.points.end(),
        [](const models::MetricPoint& a, const models::MetricPoint& b) { return a.y < b.y; });
    setPaddedRange(m_xAxis, xMin->x, xMax->x);
    setPaddedRange(m_yAxis, yMin->y, yMax->y);
}

void MetricChart::fillFrontList()
{
    const QString yName = QString::fromStdString(m_points.y.name);
    const QString xName = QString::fromStdString(m_points.x.name);
    m_frontList->setHeaderLabels({tr("Node"), yName, xName});
    for (int column : {1, 2}) {
        m_frontList->headerItem()->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
        m_frontList->headerItem()->setToolTip(column, column == 1 ? yName : xName);
    }
    m_frontList->clear();
    std::vector<const models::MetricPoint*> front;
    for (const models::MetricPoint& point : m_points.points)
        if (point.onFront)
            front.push_back(&point);
    std::stable_sort(front.begin(), front.end(),
                     [](const auto* a, const auto* b) { return a->x < b->x; });
    for (const models::MetricPoint* point : front) {
        auto* item = new QTreeWidgetItem(m_frontList, {QStringLiteral("#%1").arg(point->id),
                                                       number(point->y), number(point->x)});
        item->setData(0, Qt::UserRole, point->id);
        for (int column : {1, 2})
            item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(0, tr("#%1: %2 %3, %4 %5")
                                .arg(point->id)
                                .arg(yName, number(point->y), xName, number(point->x)));
    }
}

void MetricChart::updateCaption()
{
    QString text;
    if (m_points.points.empty())
        text = tr("No evaluated node has a value for both metrics yet.");
    else if (m_manifest.guards.empty())
        text = tr("Front over %1; the run has no guards.")
                   .arg(count(m_points.passing, tr("evaluated node"), tr("evaluated nodes")));
    else
        text = tr("Front over %1 that pass their guards; %2 (crosses, left off the front).")
                   .arg(count(m_points.passing, tr("node"), tr("nodes")),
                        count(m_points.failing, tr("fails a guard"), tr("fail a guard")));
    if (m_points.withoutValues > 0)
        text += QLatin1Char(' ') + tr("Not drawn: %1 without a value for these metrics.")
                                       .arg(count(m_points.withoutValues, tr("evaluated node"),
                                                  tr("evaluated nodes")));
    m_caption->setText(text);
}

void MetricChart::updateCurrentPoint()
{
    if (const models::MetricPoint* point = m_points.point(m_currentNode))
        m_current->replace(QList<QPointF>{QPointF(point->x, point->y)});
    else
        m_current->clear();
    const QSignalBlocker blocker(m_frontList);
    m_frontList->clearSelection();
    for (int row = 0; row < m_frontList->topLevelItemCount(); ++row)
        if (QTreeWidgetItem* item = m_frontList->topLevelItem(row);
            item->data(0, Qt::UserRole).toInt() == m_currentNode)
            m_frontList->setCurrentItem(item);
}

const models::MetricPoint* MetricChart::pointAt(const QPointF& value) const
{
    // The series hands back its own point; the nearest one on the plot's scale, in case of
    // rounding (the two axes may differ by orders of magnitude).
    const double xSpan = std::max(1e-300, m_xAxis->max() - m_xAxis->min());
    const double ySpan = std::max(1e-300, m_yAxis->max() - m_yAxis->min());
    const models::MetricPoint* nearest = nullptr;
    double bestDistance = 0;
    for (const models::MetricPoint& point : m_points.points) {
        const double dx = (point.x - value.x()) / xSpan;
        const double dy = (point.y - value.y()) / ySpan;
        const double distance = dx * dx + dy * dy;
        if (!nearest || distance < bestDistance) {
            nearest = &point;
            bestDistance = distance;
        }
    }
    return nearest;
}

void MetricChart::onPointClicked(const QPointF& point)
{
    if (const models::MetricPoint* clicked = pointAt(point))
        Q_EMIT nodeClicked(clicked->id);
}

void MetricChart::onPointHovered(const QPointF& point, bool state)
{
    const models::MetricPoint* hovered = state ? pointAt(point) : nullptr;
    if (!hovered) {
        QToolTip::hideText();
        return;
    }
    QString text = tr("#%1\n%2: %3\n%4: %5")
                       .arg(hovered->id)
                       .arg(QString::fromStdString(m_points.y.name), number(hovered->y),
                            QString::fromStdString(m_points.x.name), number(hovered->x));
    if (hovered->onFront)
        text += tr("\non the front");
    if (!hovered->passesGuards)
        text += tr("\nfails: %1").arg(QString::fromStdString(hovered->guardFailures));
    QToolTip::showText(QCursor::pos(), text, m_view);
}

} // namespace clade::ui
