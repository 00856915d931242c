#pragma once

#include "models/TreeScene.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;

namespace clade::ui {

class EliteGridCanvas;

/// The islands strategy's MAP-Elites grids: one cell per feature bin, filled with the
/// elite that holds it (coloured by score on the tree's colour map, its id and score
/// written in), the current node outlined. With one feature dimension every island is a
/// row; with two or more, one island at a time (chosen above the grid) with the first two
/// dimensions as rows and columns and any further ones folded to their best elite.
/// Clicking a cell selects its elite.
class EliteGridView : public QWidget {
    Q_OBJECT
public:
    explicit EliteGridView(QWidget* parent = nullptr);

    void setScene(std::shared_ptr<const models::TreeScene> scene);
    void setCurrent(int id);
    /// Whether the open run has grids to show (an islands run).
    bool hasGrids() const;

    EliteGridCanvas* canvas() const { return m_canvas; }

Q_SIGNALS:
    void nodeActivated(int id);

private:
    void updateIslandChoice();

    std::shared_ptr<const models::TreeScene> m_scene;
    QComboBox* m_island = nullptr;
    QLabel* m_summary = nullptr;
    EliteGridCanvas* m_canvas = nullptr;
};

/// The painted grid of EliteGridView.
class EliteGridCanvas : public QWidget {
    Q_OBJECT
public:
    explicit EliteGridCanvas(QWidget* parent = nullptr);

    /// `island` < 0: every island as a row (one feature dimension only).
    void setGrids(std::shared_ptr<const models::TreeScene> scene, int island);
    void setCurrent(int id);
    /// The elite drawn in the cell under `pos`, or -1.
    int eliteAt(QPoint pos) const;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void eliteClicked(int id);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Cell {
        int elite = -1;
        int island = -1; ///< the island whose grid the elite came from
        int gridCell = -1;
    };
    void rebuild();
    const Cell* cellAt(QPoint pos) const;
    QRect cellRect(int row, int column) const;
    int rows() const { return m_rows; }
    int columns() const { return m_columns; }
    QString rowLabel(int row) const;
    QString columnLabel(int column) const;

    std::shared_ptr<const models::TreeScene> m_scene;
    int m_island = -1;
    int m_current = -1;
    int m_rows = 0;
    int m_columns = 0;
    std::vector<Cell> m_cells; ///< row-major
    int m_labelWidth = 96;
};

} // namespace clade::ui
