#pragma once

#include "models/TreeScene.h"

#include <QWidget>

#include <memory>

namespace clade::ui {

/// What the tree's colours and marks mean: the score gradient with the run's lowest and
/// highest score, swatches for the statuses without a score, and the marks.
class ColorLegend : public QWidget {
    Q_OBJECT

public:
    explicit ColorLegend(QWidget* parent = nullptr);

    void setScene(std::shared_ptr<const models::TreeScene> scene);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    double m_min = 0;
    double m_max = 0;
    bool m_lowerIsBetter = false;
    bool m_hasScores = false;
    bool m_cladeEstimate = false;
    /// A strategy's marks on the nodes get a row each: the stage ring, the islands' tag.
    bool m_stageMark = false;  ///< the run's strategy evaluates in stages (dgm, an islands cascade)
    bool m_islandMark = false; ///< the run's strategy keeps islands
    bool m_guardMark = false;  ///< the run declares guards (metrics.guards)
};

} // namespace clade::ui
