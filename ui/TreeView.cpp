#include "ui/TreeView.h"

#include "ui/ColorLegend.h"
#include "ui/InsightText.h"
#include "ui/ScoreColorMap.h"
#include "ui/TreeMinimap.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace clade::ui {
namespace {

constexpr double kMinScale = 0.0005; // px per layout unit: a million columns on one screen
constexpr double kMaxScaleX = 140;
constexpr double kMaxScaleY = 90;
constexpr double kFitMaxX = 90; // fitting a small tree stops at a comfortable size
constexpr double kFitMaxY = 64;
constexpr int kMargin = 40;

} // namespace

TreeView::TreeView(QWidget* parent) : QAbstractScrollArea(parent)
{
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the minimap is the overview
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setMouseTracking(false);
    m_minimap = new TreeMinimap(viewport());
    m_legend = new ColorLegend(viewport());
    connect(m_minimap, &TreeMinimap::jumpRequested, this, &TreeView::centerOn);
    setMinimumSize(200, 150);
}

TreeView::~TreeView() = default;

void TreeView::setScene(std::shared_ptr<const models::TreeScene> scene)
{
    m_scene = std::move(scene);
    m_minimap->setScene(m_scene);
    m_legend->setScene(m_scene);
    placeOverlays(); // the legend grows a row for a strategy's marks
    if (!m_fitted && m_scene && m_scene->size() > 0 && viewport()->width() > 0) {
        fitAll();
        m_fitted = true;
    }
    transformChanged();
}

QPointF TreeView::viewportCenter() const
{
    return QPointF(viewport()->width() / 2.0, viewport()->height() / 2.0);
}

void TreeView::fitAll()
{
    if (!m_scene || m_scene->size() == 0)
        return;
    const double w = std::max(1, viewport()->width() - 2 * kMargin);
    const double h = std::max(1, viewport()->height() - 2 * kMargin);
    const int cols = std::max(1, m_scene->columns() - 1);
    const int rows = std::max(1, m_scene->rows() - 1);
    m_t.sx = std::clamp(w / cols, kMinScale, kFitMaxX);
    m_t.sy = std::clamp(h / rows, kMinScale, kFitMaxY);
    m_t.ox = kMargin + (w - (m_scene->columns() - 1) * m_t.sx) / 2;
    m_t.oy = kMargin + std::max(0.0, (h - (m_scene->rows() - 1) * m_t.sy) / 4);
    transformChanged();
}

void TreeView::zoomBy(double factorX, double factorY, QPointF anchor)
{
    const QPointF fixed = m_t.toLayout(anchor);
    m_t.sx = std::clamp(m_t.sx * factorX, kMinScale, kMaxScaleX);
    m_t.sy = std::clamp(m_t.sy * factorY, kMinScale, kMaxScaleY);
    m_t.ox = anchor.x() - fixed.x() * m_t.sx;
    m_t.oy = anchor.y() - fixed.y() * m_t.sy;
    transformChanged();
}

void TreeView::panBy(QPointF pixels)
{
    m_t.ox += pixels.x();
    m_t.oy += pixels.y();
    transformChanged();
}

void TreeView::centerOn(QPointF layoutPoint)
{
    const QPointF now = m_t.toPixels(layoutPoint.x(), layoutPoint.y());
    panBy(viewportCenter() - now);
}

void TreeView::centerOnNode(int id)
{
    if (!m_scene)
        return;
    if (const int k = m_scene->indexOf(id); k >= 0)
        centerOn(QPointF(m_scene->node(k).x, m_scene->node(k).y));
}

QRectF TreeView::visibleLayoutRect() const
{
    return QRectF(m_t.toLayout(QPointF(0, 0)),
                  m_t.toLayout(QPointF(viewport()->width(), viewport()->height())));
}

void TreeView::transformChanged()
{
    m_minimap->setViewRect(visibleLayoutRect());
    // The overview only helps when part of the tree is out of view.
    if (m_overlaysVisible && m_scene) {
        const QRectF all(-0.5, -0.5, m_scene->columns(), m_scene->rows());
        m_minimap->setVisible(!visibleLayoutRect().contains(all));
    }
    viewport()->update();
    Q_EMIT visibleRectChanged(visibleLayoutRect());
}

void TreeView::renderFrame(QImage& image)
{
    QPainter painter(&image);
    if (!m_scene) {
        painter.fillRect(image.rect(), ScoreColorMap::canvas());
        return;
    }
    paintScene(painter, image.rect());
}

void TreeView::paintScene(QPainter& painter, const QRect& target)
{
    TreePainter treePainter(*m_scene, m_t);
    treePainter.setHighlight(m_scene->indexOf(m_currentId), m_scene->indexOf(m_compareId));
    treePainter.setLabelCache(&m_labels);
    treePainter.paint(painter, target, m_buffer);
}

void TreeView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    if (!m_scene || m_scene->size() == 0) {
        painter.fillRect(viewport()->rect(), ScoreColorMap::canvas());
        painter.setPen(ScoreColorMap::text());
        painter.drawText(viewport()->rect(), Qt::AlignCenter, tr("No nodes yet"));
        return;
    }
    paintScene(painter, viewport()->rect());
}

void TreeView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    placeOverlays();
    if (!m_fitted && m_scene && m_scene->size() > 0) {
        fitAll();
        m_fitted = true;
    }
    transformChanged();
}

void TreeView::placeOverlays()
{
    // Bottom corners: a tree grows down from its root at the top, so they are emptiest.
    const QSize legend = m_legend->sizeHint();
    m_legend->setGeometry(8, viewport()->height() - legend.height() - 8, legend.width(),
                          legend.height());
    const QSize map(std::min(240, viewport()->width() / 4), std::min(150, viewport()->height() / 4));
    m_minimap->setGeometry(viewport()->width() - map.width() - 8,
                           viewport()->height() - map.height() - 8, map.width(), map.height());
}

void TreeView::setOverlaysVisible(bool visible)
{
    m_overlaysVisible = visible;
    m_minimap->setVisible(visible);
    m_legend->setVisible(visible);
}

int TreeView::nodeAt(QPointF pixels) const
{
    if (!m_scene)
        return -1;
    const QPointF p = m_t.toLayout(pixels);
    // Within 12 px, or half the distance to a neighbour when they are closer.
    const double rx = std::min(12.0, m_t.sx * 0.5) / m_t.sx;
    const double ry = std::min(12.0, m_t.sy * 0.5) / m_t.sy;
    return m_scene->hitTest(float(p.x()), float(p.y()), float(std::max(rx, 1e-6)),
                            float(std::max(ry, 1e-6)));
}

void TreeView::setCurrentNode(int id)
{
    if (id == m_currentId)
        return;
    m_currentId = id;
    viewport()->update();
    Q_EMIT currentNodeChanged(id);
}

void TreeView::clearCompare()
{
    if (m_compareId < 0)
        return;
    m_compareId = -1;
    viewport()->update();
}

void TreeView::moveTo(int sceneIndex)
{
    if (sceneIndex < 0)
        return;
    setCurrentNode(m_scene->node(sceneIndex).id);
    ensureVisible(sceneIndex);
}

void TreeView::ensureVisible(int sceneIndex)
{
    const auto& n = m_scene->node(sceneIndex);
    const QPointF p = m_t.toPixels(n.x, n.y);
    const QRectF inner = QRectF(viewport()->rect()).adjusted(60, 60, -60, -60);
    if (!inner.contains(p))
        centerOn(QPointF(n.x, n.y));
}

void TreeView::toggleCollapse(int sceneIndex)
{
    if (sceneIndex < 0)
        return;
    const auto& n = m_scene->node(sceneIndex);
    if (n.has(models::MarkCollapsed))
        Q_EMIT collapseToggled(n.id, false);
    else if (n.firstChild >= 0)
        Q_EMIT collapseToggled(n.id, true);
}

void TreeView::findNext()
{
    if (!m_scene || m_scene->matches().empty())
        return;
    const auto& matches = m_scene->matches();
    auto it = std::upper_bound(matches.begin(), matches.end(), m_currentId,
                               [&](int id, int k) { return id < m_scene->node(k).id; });
    moveTo(it == matches.end() ? matches.front() : *it);
}

void TreeView::findPrevious()
{
    if (!m_scene || m_scene->matches().empty())
        return;
    const auto& matches = m_scene->matches();
    auto it = std::lower_bound(matches.begin(), matches.end(), m_currentId,
                               [&](int k, int id) { return m_scene->node(k).id < id; });
    moveTo(it == matches.begin() ? matches.back() : *(it - 1));
}

void TreeView::mousePressEvent(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    if (event->button() != Qt::LeftButton)
        return;
    m_pressPos = m_lastDragPos = event->position().toPoint();
    m_dragging = false;
}

void TreeView::mouseMoveEvent(QMouseEvent* event)
{
    if (!(event->buttons() & Qt::LeftButton))
        return;
    const QPoint pos = event->position().toPoint();
    if (!m_dragging && (pos - m_pressPos).manhattanLength() < 4)
        return;
    m_dragging = true;
    viewport()->setCursor(Qt::ClosedHandCursor);
    panBy(pos - m_lastDragPos);
    m_lastDragPos = pos;
}

void TreeView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    if (m_dragging) {
        m_dragging = false;
        viewport()->unsetCursor();
        return;
    }
    const int k = nodeAt(event->position());
    if (k < 0)
        return;
    const int id = m_scene->node(k).id;
    if (event->modifiers() & Qt::ControlModifier && m_currentId >= 0 && id != m_currentId) {
        m_compareId = id;
        viewport()->update();
        Q_EMIT comparePairChanged(m_currentId, id);
        return;
    }
    setCurrentNode(id);
}

void TreeView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int k = nodeAt(event->position());
    if (k < 0) {
        fitAll();
        return;
    }
    setCurrentNode(m_scene->node(k).id);
    toggleCollapse(k);
}

void TreeView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    const double factor = std::pow(1.2, steps);
    const auto mods = event->modifiers();
    zoomBy(mods & Qt::AltModifier ? 1.0 : factor, mods & Qt::ShiftModifier ? 1.0 : factor,
           event->position());
    event->accept();
}

void TreeView::keyPressEvent(QKeyEvent* event)
{
    const int current = m_scene ? m_scene->indexOf(m_currentId) : -1;
    const double pan = 60;
    auto step = [&](int target, QPointF panWithoutSelection) {
        if (current < 0)
            panBy(panWithoutSelection);
        else
            moveTo(target);
    };
    const auto node = [&]() -> const models::SceneNode& { return m_scene->node(current); };
    switch (event->key()) {
    case Qt::Key_Up: step(current >= 0 ? node().parent : -1, {0, pan}); break;
    case Qt::Key_Down: step(current >= 0 ? node().firstChild : -1, {0, -pan}); break;
    case Qt::Key_Left: step(current >= 0 ? node().prevSibling : -1, {pan, 0}); break;
    case Qt::Key_Right: step(current >= 0 ? node().nextSibling : -1, {-pan, 0}); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(1.25); break;
    case Qt::Key_Minus: zoomBy(1 / 1.25); break;
    case Qt::Key_F:
    case Qt::Key_Home: fitAll(); break;
    case Qt::Key_Space: toggleCollapse(current); break;
    case Qt::Key_F3:
        if (event->modifiers() & Qt::ShiftModifier)
            findPrevious();
        else
            findNext();
        break;
    case Qt::Key_Escape: clearCompare(); break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    event->accept();
}

void TreeView::contextMenuEvent(QContextMenuEvent* event)
{
    if (!m_scene)
        return;
    // The menu key acts on the current node; a right click on the node under the mouse
    // (the viewport forwards its events here in viewport coordinates).
    if (event->reason() == QContextMenuEvent::Keyboard) {
        const int k = m_scene->indexOf(m_currentId);
        if (k >= 0) {
            const auto& n = m_scene->node(k);
            Q_EMIT contextMenuRequested(m_currentId,
                                        viewport()->mapToGlobal(m_t.toPixels(n.x, n.y).toPoint()));
        }
        return;
    }
    const int k = nodeAt(event->pos());
    if (k < 0)
        return;
    setCurrentNode(m_scene->node(k).id);
    Q_EMIT contextMenuRequested(m_currentId, event->globalPos());
}

bool TreeView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int k = nodeAt(help->pos());
        if (k >= 0)
            QToolTip::showText(help->globalPos(), toolTipFor(k), viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

QString TreeView::toolTipFor(int k) const
{
    const auto& n = m_scene->node(k);
    const auto& r = m_scene->rollup(k);
    const QLocale locale;
    QString status = QString::fromStdString(engine::toString(n.status)).replace('_', ' ');
    QString text = QStringLiteral("<b>#%1</b> &nbsp;%2").arg(n.id).arg(status);
    if (n.score)
        text += QStringLiteral(" &nbsp;score <b>%1</b>").arg(*n.score, 0, 'g', 4);
    QStringList marks;
    if (n.has(models::MarkBest))
        marks << tr("best");
    else if (n.has(models::MarkBestPath))
        marks << tr("on the best path");
    if (n.has(models::MarkKept))
        marks << tr("kept");
    if (n.has(models::MarkReverted))
        marks << tr("reverted");
    if (n.has(models::MarkPinned))
        marks << tr("pinned");
    if (n.has(models::MarkHeld))
        marks << tr("keep held for review");
    if (n.has(models::MarkStarred))
        marks << tr("starred");
    if (!marks.isEmpty())
        text += QStringLiteral(" &nbsp;(%1)").arg(marks.join(QStringLiteral(", ")));
    const auto description = m_scene->description(k);
    if (!description.empty())
        text += QStringLiteral("<br>%1").arg(
            QString::fromUtf8(description.data(), qsizetype(description.size())).toHtmlEscaped());
    if (const auto failures = m_scene->guardFailures(n.id); !failures.empty())
        text += QStringLiteral("<br><span style=\"color:#e64a19\"><b>%1</b></span> %2")
                    .arg(tr("Fails its guards:"),
                         QString::fromUtf8(failures.data(), qsizetype(failures.size())).toHtmlEscaped());
    if (const engine::NodeInsight* insight = m_scene->insightFor(n.id)) {
        const QString known = insightText(*m_scene->insight(), *insight);
        if (!known.isEmpty())
            text += QStringLiteral("<br><i>%1:</i> %2")
                        .arg(QString::fromStdString(m_scene->insight()->strategy), known.toHtmlEscaped());
    }
    if (r.size > 1) {
        text += QStringLiteral("<hr>Clade: <b>%1</b> nodes").arg(locale.toString(r.size));
        if (r.bestId >= 0)
            text += QStringLiteral(" &middot; best #%1 (%2)").arg(r.bestId).arg(r.bestScore, 0, 'g', 4);
        if (r.okShare() >= 0)
            text += QStringLiteral("<br>%1% evaluated ok (of %2 finished)")
                        .arg(qRound(r.okShare() * 100))
                        .arg(locale.toString(r.evaluatedOk + r.failed));
        text += QStringLiteral(" &middot; cost $%1").arg(r.cost, 0, 'f', 2);
        if (n.has(models::MarkCollapsed))
            text += tr("<br><i>folded: double-click or Space to unfold</i>");
    } else if (n.score || n.status == engine::NodeStatus::Failed) {
        text += QStringLiteral("<br>cost $%1").arg(r.cost, 0, 'f', 3);
    }
    return text;
}

} // namespace clade::ui
