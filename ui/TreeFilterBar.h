#pragma once

#include "models/TreeFilter.h"
#include "models/TreeScene.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace clade::ui {

/// Search and filter over the tree: text in the change description, a score range and
/// the statuses shown. Nodes that do not match are dimmed in the tree; Enter and the
/// arrows step through the matches.
class TreeFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit TreeFilterBar(QWidget* parent = nullptr);

    models::TreeFilter filter() const;
    /// "12 matches" (or nothing while no filter is active).
    void setMatchCount(int matches, bool active);
    /// Offers colouring by hgm's clade estimate while the open run has them.
    void setCladeEstimatesAvailable(bool available);

Q_SIGNALS:
    void filterChanged(const clade::models::TreeFilter& filter);
    void nextMatch();
    void previousMatch();
    void colorByChanged(clade::models::ColorBy colorBy);

private:
    void changed();

    QLineEdit* m_text = nullptr;
    QDoubleSpinBox* m_min = nullptr;
    QDoubleSpinBox* m_max = nullptr;
    QToolButton* m_statuses = nullptr;
    QLabel* m_count = nullptr;
    QLabel* m_colorByLabel = nullptr;
    QComboBox* m_colorBy = nullptr;
    QTimer* m_typing = nullptr;
    unsigned m_statusMask = models::TreeFilter::kAllStatuses;
};

} // namespace clade::ui
