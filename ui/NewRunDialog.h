#pragma once

#include "engine/run/RunConfig.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace clade::ui {

class ModelSettingsBox;
class SlurmSettingsBox;

/// Everything `clade run` asks for: the agent (a bundled example or a folder), strategy,
/// proposer, sandbox, executor (this machine or a Slurm cluster), budgets, seed, review
/// policy and where the run folder goes. Choices
/// the engine does not support yet are listed but disabled, with a tooltip saying so.
class NewRunDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewRunDialog(QWidget* parent = nullptr);

    QString agentFolder() const;
    QString runFolder() const;
    engine::RunSettings settings() const;

private:
    void browseAgent();
    void browseOut();
    void validate();

    QComboBox* m_agent = nullptr;
    QComboBox* m_strategy = nullptr;
    QLineEdit* m_params = nullptr;
    QComboBox* m_proposer = nullptr;
    QComboBox* m_sandbox = nullptr;
    QComboBox* m_review = nullptr;
    QComboBox* m_executor = nullptr;
    SlurmSettingsBox* m_slurm = nullptr; ///< shown only when the executor is Slurm
    QSpinBox* m_iterations = nullptr;
    QDoubleSpinBox* m_minutes = nullptr;
    QSpinBox* m_workers = nullptr;
    QSpinBox* m_seed = nullptr;
    QLineEdit* m_out = nullptr;
    QLabel* m_problem = nullptr;
    ModelSettingsBox* m_model = nullptr;
};

/// A fresh folder under ~/.local/share/clade/runs (or $XDG_DATA_HOME) named after the agent.
QString defaultRunFolder(const QString& agentName);

} // namespace clade::ui
