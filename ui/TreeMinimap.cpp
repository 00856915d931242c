#include "ui/TreeMinimap.h"

#include "ui/ScoreColorMap.h"

#include <QMouseEvent>
#include <QPainter>

namespace clade::ui {

TreeMinimap::TreeMinimap(QWidget* parent) : QWidget(parent)
{
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Overview: click or drag to move the view"));
}

void TreeMinimap::setScene(std::shared_ptr<const models::TreeScene> scene)
{
    m_scene = std::move(scene);
    render();
    update();
}

void TreeMinimap::setViewRect(const QRectF& layoutRect)
{
    m_viewRect = layoutRect;
    update();
}

void TreeMinimap::resizeEvent(QResizeEvent*)
{
    render();
}

void TreeMinimap::render()
{
    if (!m_scene || width() <= 2 || height() <= 2) {
        m_image = QImage();
        return;
    }
    m_image = QImage(size() - QSize(2, 2), QImage::Format_RGB32);
    m_t = TreePainter::paintOverview(m_image, *m_scene);
    m_t.ox += 1; // the image sits inside a one-pixel frame
    m_t.oy += 1;
}

void TreeMinimap::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), ScoreColorMap::canvas());
    if (!m_image.isNull())
        painter.drawImage(1, 1, m_image);
    painter.setPen(QColor(0x70, 0x76, 0x80));
    painter.drawRect(rect().adjusted(0, 0, -1, -1));
    if (!m_scene || m_viewRect.isEmpty())
        return;
    // The view rectangle, kept at least a few pixels big so it stays findable at close-up.
    QRectF r(m_t.toPixels(m_viewRect.left(), m_viewRect.top()),
             m_t.toPixels(m_viewRect.right(), m_viewRect.bottom()));
    if (r.width() < 6)
        r.adjust(-(6 - r.width()) / 2, 0, (6 - r.width()) / 2, 0);
    if (r.height() < 6)
        r.adjust(0, -(6 - r.height()) / 2, 0, (6 - r.height()) / 2);
    painter.setPen(QPen(QColor(255, 255, 255, 220), 1.5));
    painter.setBrush(QColor(255, 255, 255, 30));
    painter.drawRect(r.intersected(QRectF(rect()).adjusted(1, 1, -1, -1)));
}

void TreeMinimap::mousePressEvent(QMouseEvent* event)
{
    if (m_scene && event->button() == Qt::LeftButton)
        Q_EMIT jumpRequested(m_t.toLayout(event->position()));
}

void TreeMinimap::mouseMoveEvent(QMouseEvent* event)
{
    if (m_scene && (event->buttons() & Qt::LeftButton))
        Q_EMIT jumpRequested(m_t.toLayout(event->position()));
}

} // namespace clade::ui
