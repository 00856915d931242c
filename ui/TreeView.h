#pragma once

#include "models/TreeScene.h"
#include "ui/TreeLabelCache.h"
#include "ui/TreePainter.h"

#include <QAbstractScrollArea>
#include <QImage>

#include <memory>

namespace clade::ui {

class ColorLegend;
class TreeMinimap;

/// The evolution tree: draws a TreeScene (custom painting with level of detail, no item
/// per node), with zoom, pan, fit, selection, compare, keyboard navigation, collapse
/// requests and clade roll-ups in the tooltip. It never changes the scene: collapse and
/// search ask the owner, which builds a new scene off the GUI thread and calls setScene().
///
/// Mouse: click selects, Ctrl+click picks the second node of a comparison, drag pans,
/// wheel zooms (Shift: columns only, Alt: rows only), double-click folds a clade.
/// Keys: Up parent, Down first child, Left/Right siblings (arrows pan when nothing is
/// selected), +/- zoom, F or Home fit, Space folds, F3/Shift+F3 next/previous match,
/// Escape clears the comparison. Right click: the node's review menu (contextMenuRequested).
class TreeView : public QAbstractScrollArea {
    Q_OBJECT

public:
    explicit TreeView(QWidget* parent = nullptr);
    ~TreeView() override;

    /// Keeps the current node, the comparison and the view; fits on the first scene.
    void setScene(std::shared_ptr<const models::TreeScene> scene);
    std::shared_ptr<const models::TreeScene> scene() const { return m_scene; }
    int currentNode() const { return m_currentId; }

    // View control, also for the minimap and the benchmark.
    void fitAll();
    /// Multiplies the zoom, keeping the layout point under `anchor` (viewport pixels) fixed.
    void zoomBy(double factorX, double factorY, QPointF anchor);
    void zoomBy(double factor) { zoomBy(factor, factor, viewportCenter()); }
    void panBy(QPointF pixels);
    void centerOn(QPointF layoutPoint);
    void centerOnNode(int id);
    const TreeTransform& transform() const { return m_t; }
    /// The part of the layout in view, in layout units.
    QRectF visibleLayoutRect() const;
    TreeMinimap* minimap() const { return m_minimap; }
    ColorLegend* legend() const { return m_legend; }
    /// Draws one frame into `image` as paintEvent would (the benchmark's frame timer).
    void renderFrame(QImage& image);

public Q_SLOTS:
    void setCurrentNode(int id);
    void clearCompare();
    void findNext();
    void findPrevious();
    void setOverlaysVisible(bool visible);

Q_SIGNALS:
    void currentNodeChanged(int id);
    /// a = the current node, b = the node Ctrl+clicked after it.
    void comparePairChanged(int a, int b);
    /// The owner rebuilds the scene with `id` added to (collapse) or removed from the
    /// collapsed ids.
    void collapseToggled(int id, bool collapse);
    void visibleRectChanged(QRectF layoutRect);
    /// A right click (or the menu key) on node `id`, which is now the current node.
    void contextMenuRequested(int id, QPoint globalPos);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    /// The scene through a TreePainter with the view's highlight and label cache.
    void paintScene(QPainter& painter, const QRect& target);
    QPointF viewportCenter() const;
    int nodeAt(QPointF pixels) const;
    void moveTo(int sceneIndex);
    void ensureVisible(int sceneIndex);
    void toggleCollapse(int sceneIndex);
    void transformChanged();
    void placeOverlays();
    QString toolTipFor(int sceneIndex) const;

    std::shared_ptr<const models::TreeScene> m_scene;
    TreeTransform m_t;
    TreeLabelCache m_labels; ///< node labels shaped in earlier frames
    QImage m_buffer;
    int m_currentId = -1;
    int m_compareId = -1;
    bool m_fitted = false;
    bool m_overlaysVisible = true;
    bool m_dragging = false;
    QPoint m_pressPos;
    QPoint m_lastDragPos;
    TreeMinimap* m_minimap = nullptr;
    ColorLegend* m_legend = nullptr;
};

} // namespace clade::ui
