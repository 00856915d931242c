#pragma once

#include "engine/executor/ExecutorSettings.h"

#include <QGroupBox>

class QLineEdit;
class QSpinBox;

namespace clade::ui {

/// Where a run's phases go on a Slurm cluster, as `clade run --slurm-*` takes it: partition,
/// time limit of each job, account, extra srun arguments and how often a lost phase runs.
/// Empty fields keep Slurm's defaults.
class SlurmSettingsBox : public QGroupBox {
    Q_OBJECT
public:
    explicit SlurmSettingsBox(QWidget* parent = nullptr);

    /// Throws engine::InputError for a time limit Slurm would refuse
    /// (engine::slurmTimeProblem()).
    engine::SlurmSettings settings() const;

private:
    QLineEdit* m_partition = nullptr;
    QLineEdit* m_time = nullptr;
    QLineEdit* m_account = nullptr;
    QLineEdit* m_extraArgs = nullptr;
    QSpinBox* m_attempts = nullptr;
};

} // namespace clade::ui
