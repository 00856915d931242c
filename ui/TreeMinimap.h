#pragma once

#include "models/TreeScene.h"
#include "ui/TreePainter.h"

#include <QImage>
#include <QWidget>

#include <memory>

namespace clade::ui {

/// The whole tree in miniature with the main view's rectangle on it; a click or drag
/// asks the view to centre there. The picture is rendered once per scene or size.
class TreeMinimap : public QWidget {
    Q_OBJECT

public:
    explicit TreeMinimap(QWidget* parent = nullptr);

    void setScene(std::shared_ptr<const models::TreeScene> scene);
    /// The main view's visible part, in layout units.
    void setViewRect(const QRectF& layoutRect);
    QSize sizeHint() const override { return {220, 140}; }

Q_SIGNALS:
    void jumpRequested(QPointF layoutPoint);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    void render();

    std::shared_ptr<const models::TreeScene> m_scene;
    QImage m_image;
    TreeTransform m_t;
    QRectF m_viewRect;
};

} // namespace clade::ui
