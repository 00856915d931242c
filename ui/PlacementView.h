#pragma once

#include "engine/sandbox/PhasePlacement.h"

#include <QGroupBox>
#include <QStringList>

#include <vector>

class QLabel;

namespace clade::ui {

/// The inspector's "Ran on" section: where each phase of a node ran on the cluster (job
/// and step, host, queue wait) and the attempts that were lost on the way. Hidden when the
/// node's phases ran on this host.
class PlacementView : public QGroupBox {
    Q_OBJECT
public:
    explicit PlacementView(QWidget* parent = nullptr);

    void setPlacements(const std::vector<engine::PlacedPhase>& placements);
    /// The shown text (for tests and screen readers): one line per phase and lost attempt.
    QString plainText() const;

private:
    QLabel* m_table = nullptr;
    QStringList m_lines;
};

/// "job 42 step 0" (no step: "job 42").
QString jobAndStep(const engine::PhasePlacement& where);
/// "0.05 s", "3 min 05 s".
QString queueWaitText(double seconds);

} // namespace clade::ui
