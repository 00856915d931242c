#include "ui/EliteGridView.h"

#include "ui/InsightText.h"
#include "ui/ScoreColorMap.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

namespace clade::ui {
namespace {

constexpr int kHeader = 34; // px: the column dimension's name over its bin labels
constexpr int kPad = 6;

const engine::EliteGrids* gridsOf(const models::TreeScene* scene)
{
    return scene && scene->insight() && scene->insight()->elites ? &*scene->insight()->elites : nullptr;
}

// Bins of each dimension of a grid cell (cellOf's row-major order, the first slowest).
std::vector<int> binsOf(const std::vector<engine::FeatureDimension>& features, int cell)
{
    std::vector<int> bins(features.size());
    for (std::size_t k = features.size(); k-- > 0;) {
        const int count = std::max(1, features[k].bins);
        bins[k] = cell % count;
        cell /= count;
    }
    return bins;
}

} // namespace

// ---------------------------------------------------------------------------------------
EliteGridView::EliteGridView(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    top->addWidget(m_summary, 1);
    m_island = new QComboBox(this);
    m_island->setObjectName("eliteIsland");
    top->addWidget(m_island);
    layout->addLayout(top);
    m_canvas = new EliteGridCanvas(this);
    m_canvas->setObjectName("eliteGrid");
    layout->addWidget(m_canvas, 1);
    connect(m_canvas, &EliteGridCanvas::eliteClicked, this, &EliteGridView::nodeActivated);
    connect(m_island, &QComboBox::currentIndexChanged, this,
            [this] { m_canvas->setGrids(m_scene, m_island->isVisible() ? m_island->currentIndex() : -1); });
    setScene(nullptr);
}

bool EliteGridView::hasGrids() const
{
    return gridsOf(m_scene.get()) != nullptr;
}

void EliteGridView::setScene(std::shared_ptr<const models::TreeScene> scene)
{
    m_scene = std::move(scene);
    const engine::EliteGrids* grids = gridsOf(m_scene.get());
    if (!grids) {
        m_summary->setText(tr("The MAP-Elites grids of an islands run show here."));
        m_island->hide();
        m_canvas->setGrids(nullptr, -1);
        return;
    }
    QStringList features;
    for (const auto& f : grids->features)
        features << tr("%1 (%2 bins, %3 to %4)")
                        .arg(QString::fromStdString(f.metric))
                        .arg(f.bins)
                        .arg(f.min, 0, 'g', 4)
                        .arg(f.max, 0, 'g', 4);
    int elites = 0;
    for (const auto& grid : grids->grids)
        elites += static_cast<int>(grid.size());
    m_summary->setText(tr("%1 islands, %2 elite cells · features: %3 · click a cell to select its elite")
                           .arg(grids->grids.size())
                           .arg(elites)
                           .arg(features.join(QStringLiteral("; "))));
    updateIslandChoice();
    m_canvas->setGrids(m_scene, m_island->isVisible() ? m_island->currentIndex() : -1);
}

void EliteGridView::updateIslandChoice()
{
    const engine::EliteGrids* grids = gridsOf(m_scene.get());
    // One dimension: every island fits as a row, no choice needed.
    const bool choose = grids && grids->features.size() >= 2;
    m_island->setVisible(choose);
    if (!choose || m_island->count() == static_cast<int>(grids->grids.size()))
        return;
    const QSignalBlocker block(m_island);
    m_island->clear();
    for (std::size_t i = 0; i < grids->grids.size(); ++i)
        m_island->addItem(tr("Island %1").arg(i + 1));
}

void EliteGridView::setCurrent(int id)
{
    m_canvas->setCurrent(id);
}

// ---------------------------------------------------------------------------------------
EliteGridCanvas::EliteGridCanvas(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void EliteGridCanvas::setGrids(std::shared_ptr<const models::TreeScene> scene, int island)
{
    m_scene = std::move(scene);
    m_island = island;
    rebuild();
    updateGeometry();
    update();
}

void EliteGridCanvas::setCurrent(int id)
{
    m_current = id;
    update();
}

void EliteGridCanvas::rebuild()
{
    m_cells.clear();
    m_rows = m_columns = 0;
    const engine::EliteGrids* grids = gridsOf(m_scene.get());
    if (!grids || grids->features.empty() || grids->grids.empty())
        return;
    const auto& features = grids->features;
    const bool higher = m_scene->higherIsBetter();
    auto better = [&](int a, int b) {
        const double sa = grids->scores.at(a), sb = grids->scores.at(b);
        return higher ? sa > sb : sa < sb;
    };
    if (m_island < 0 || features.size() == 1) {
        // Islands as rows, the one dimension's bins as columns.
        m_rows = static_cast<int>(grids->grids.size());
        m_columns = std::max(1, features[0].bins);
        m_cells.resize(static_cast<std::size_t>(m_rows * m_columns));
        for (int island = 0; island < m_rows; ++island)
            for (const auto& [cell, id] : grids->grids[static_cast<std::size_t>(island)]) {
                const int column = std::clamp(cell, 0, m_columns - 1);
                m_cells[static_cast<std::size_t>(island * m_columns + column)] = {id, island, cell};
            }
        return;
    }
    // One island: the first dimension down, the second across, the rest folded to the best.
    const int island = std::clamp(m_island, 0, static_cast<int>(grids->grids.size()) - 1);
    m_rows = std::max(1, features[0].bins);
    m_columns = std::max(1, features[1].bins);
    m_cells.resize(static_cast<std::size_t>(m_rows * m_columns));
    for (const auto& [cell, id] : grids->grids[static_cast<std::size_t>(island)]) {
        const auto bins = binsOf(features, cell);
        Cell& slot = m_cells[static_cast<std::size_t>(bins[0] * m_columns + bins[1])];
        if (slot.elite < 0 || better(id, slot.elite))
            slot = {id, island, cell};
    }
}

QString EliteGridCanvas::rowLabel(int row) const
{
    const engine::EliteGrids* grids = gridsOf(m_scene.get());
    if (m_island < 0 || grids->features.size() == 1)
        return tr("island %1").arg(row + 1);
    return binText(grids->features[0], row);
}

QString EliteGridCanvas::columnLabel(int column) const
{
    const engine::EliteGrids* grids = gridsOf(m_scene.get());
    const auto& dimension = grids->features.size() == 1 || m_island < 0 ? grids->features[0]
                                                                         : grids->features[1];
    return binText(dimension, column);
}

QSize EliteGridCanvas::minimumSizeHint() const
{
    return {m_labelWidth + std::max(1, m_columns) * 28 + kPad, kHeader + std::max(1, m_rows) * 22 + kPad};
}

QRect EliteGridCanvas::cellRect(int row, int column) const
{
    const int width = std::max(28, (this->width() - m_labelWidth - kPad) / std::max(1, m_columns));
    const int height = std::clamp((this->height() - kHeader - kPad) / std::max(1, m_rows), 22, 46);
    return {m_labelWidth + column * width, kHeader + row * height, width, height};
}

const EliteGridCanvas::Cell* EliteGridCanvas::cellAt(QPoint pos) const
{
    for (int row = 0; row < m_rows; ++row)
        for (int column = 0; column < m_columns; ++column)
            if (cellRect(row, column).contains(pos))
                return &m_cells[static_cast<std::size_t>(row * m_columns + column)];
    return nullptr;
}

int EliteGridCanvas::eliteAt(QPoint pos) const
{
    const Cell* cell = cellAt(pos);
    return cell ? cell->elite : -1;
}

void EliteGridCanvas::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), ScoreColorMap::canvas());
    const engine::EliteGrids* grids = gridsOf(m_scene.get());
    if (!grids || m_rows == 0) {
        p.setPen(ScoreColorMap::text());
        p.drawText(rect(), Qt::AlignCenter, tr("No grids: this run's strategy is not islands."));
        return;
    }
    QFont font = p.font();
    font.setPointSizeF(7.5);
    p.setFont(font);
    const bool oneDimension = m_island < 0 || grids->features.size() == 1;
    // Scores on the tree's score scale (worst dark, best bright), whatever the tree colours by.
    const bool higher = m_scene->higherIsBetter();
    const double low = higher ? m_scene->minScore() : m_scene->maxScore();
    const double high = higher ? m_scene->maxScore() : m_scene->minScore();
    // Axis names: the columns' dimension over the bin labels, the rows' in the corner.
    const auto& columnDimension = oneDimension ? grids->features[0] : grids->features[1];
    const QRect firstColumn = cellRect(0, 0);
    const QRect lastColumn = cellRect(0, m_columns - 1);
    p.setPen(ScoreColorMap::text());
    p.drawText(QRect(firstColumn.left(), 1, lastColumn.right() - firstColumn.left(), 15), Qt::AlignCenter,
               QStringLiteral("%1 →").arg(QString::fromStdString(columnDimension.metric)));
    const QString rowsName = oneDimension ? tr("island ↓")
                                          : QStringLiteral("%1 ↓").arg(QString::fromStdString(grids->features[0].metric));
    p.drawText(QRect(2, 17, m_labelWidth - 6, 15), Qt::AlignRight | Qt::AlignVCenter,
               p.fontMetrics().elidedText(rowsName, Qt::ElideLeft, m_labelWidth - 6));
    QColor muted = ScoreColorMap::text();
    muted.setAlpha(170);
    for (int column = 0; column < m_columns; ++column) {
        const QRect cell = cellRect(0, column);
        p.setPen(muted);
        p.drawText(QRect(cell.left(), 17, cell.width(), 15), Qt::AlignCenter,
                   p.fontMetrics().elidedText(columnLabel(column), Qt::ElideRight, cell.width() - 2));
    }
    for (int row = 0; row < m_rows; ++row) {
        const QRect first = cellRect(row, 0);
        if (oneDimension)
            p.setPen(islandColor(row, m_rows));
        else
            p.setPen(ScoreColorMap::text());
        p.drawText(QRect(2, first.top(), m_labelWidth - 6, first.height()), Qt::AlignRight | Qt::AlignVCenter,
                   rowLabel(row));
        for (int column = 0; column < m_columns; ++column) {
            const QRect r = cellRect(row, column).adjusted(1, 1, -1, -1);
            const Cell& cell = m_cells[static_cast<std::size_t>(row * m_columns + column)];
            if (cell.elite < 0) {
                p.setPen(QColor(0x3a, 0x3e, 0x45));
                p.setBrush(QColor(0x26, 0x29, 0x2e));
                p.drawRect(r);
                continue;
            }
            const double score = grids->scores.at(cell.elite);
            const float t = high != low ? static_cast<float>((score - low) / (high - low)) : 1.f;
            const QColor fill = QColor(ScoreColorMap::scoreRgb(t));
            p.setPen(Qt::NoPen);
            p.setBrush(fill);
            p.drawRect(r);
            // Dark text on the bright end of the map, light on the dark end.
            p.setPen(fill.lightnessF() > 0.55 ? QColor(0x10, 0x12, 0x14) : QColor(0xf0, 0xf2, 0xf4));
            QString label = QStringLiteral("#%1").arg(cell.elite);
            if (r.height() >= 30)
                label += QStringLiteral("\n%1").arg(score, 0, 'g', 4);
            p.drawText(r, Qt::AlignCenter, p.fontMetrics().elidedText(label, Qt::ElideRight, r.width() * 2));
            if (cell.elite == m_current) {
                p.setPen(QPen(ScoreColorMap::current(), 2));
                p.setBrush(Qt::NoBrush);
                p.drawRect(r.adjusted(1, 1, -1, -1));
            }
        }
    }
}

void EliteGridCanvas::mousePressEvent(QMouseEvent* event)
{
    const int id = eliteAt(event->position().toPoint());
    if (id >= 0)
        Q_EMIT eliteClicked(id);
}

bool EliteGridCanvas::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const engine::EliteGrids* grids = gridsOf(m_scene.get());
    const Cell* cell = grids ? cellAt(help->pos()) : nullptr;
    if (!cell)
        QToolTip::hideText();
    else if (cell->elite < 0)
        QToolTip::showText(help->globalPos(), tr("empty cell"), this);
    else
        QToolTip::showText(help->globalPos(),
                           tr("#%1 · score %2 · island %3 · %4")
                               .arg(cell->elite)
                               .arg(grids->scores.at(cell->elite), 0, 'g', 5)
                               .arg(cell->island + 1)
                               .arg(cellText(grids->features, cell->gridCell)),
                           this);
    return true;
}

} // namespace clade::ui
