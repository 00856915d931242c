#pragma once

#include <QDialog>

class QRadioButton;
class QSpinBox;

namespace clade::ui {

/// Asks how long a pinned node stays the parent of the next expansions: once, N times,
/// or until unpinned (times() is then 0, as DecisionAction::Branch expects).
class BranchDialog : public QDialog {
    Q_OBJECT
public:
    BranchDialog(int nodeId, QWidget* parent = nullptr);

    int times() const;

private:
    QRadioButton* m_once = nullptr;
    QRadioButton* m_count = nullptr;
    QRadioButton* m_untilUnpinned = nullptr;
    QSpinBox* m_times = nullptr;
};

} // namespace clade::ui
