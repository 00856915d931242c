#include "ui/SlurmSettingsBox.h"

#include "engine/util/InputError.h"

#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace clade::ui {

SlurmSettingsBox::SlurmSettingsBox(QWidget* parent) : QGroupBox(tr("Slurm cluster"), parent)
{
    setObjectName("slurmSettings");
    auto* form = new QFormLayout(this);
    m_partition = new QLineEdit(this);
    m_partition->setObjectName("slurmPartition");
    m_partition->setPlaceholderText(tr("the cluster's default"));
    form->addRow(tr("Partition"), m_partition);
    m_time = new QLineEdit(this);
    m_time->setObjectName("slurmTime");
    m_time->setPlaceholderText(tr("from the phase's wall-clock limit"));
    m_time->setToolTip(tr("--time of each job: minutes, MM:SS, HH:MM:SS or D-HH[:MM[:SS]]"));
    form->addRow(tr("Time limit"), m_time);
    m_account = new QLineEdit(this);
    m_account->setObjectName("slurmAccount");
    m_account->setPlaceholderText(tr("your default account"));
    form->addRow(tr("Account"), m_account);
    m_extraArgs = new QLineEdit(this);
    m_extraArgs->setObjectName("slurmExtraArgs");
    m_extraArgs->setPlaceholderText(tr("e.g. --qos=high --constraint=avx2"));
    m_extraArgs->setToolTip(tr("Given to srun as they are, split on spaces"));
    form->addRow(tr("Extra srun arguments"), m_extraArgs);
    m_attempts = new QSpinBox(this);
    m_attempts->setObjectName("slurmAttempts");
    m_attempts->setRange(1, 100);
    m_attempts->setValue(engine::SlurmSettings{}.attempts);
    m_attempts->setToolTip(tr("A phase whose job is lost (node failure, preemption, time limit, "
                              "scancel) runs at most this often in all"));
    form->addRow(tr("Attempts"), m_attempts);
}

engine::SlurmSettings SlurmSettingsBox::settings() const
{
    engine::SlurmSettings s;
    s.partition = m_partition->text().trimmed().toStdString();
    s.account = m_account->text().trimmed().toStdString();
    s.time = m_time->text().trimmed().toStdString();
    if (!s.time.empty())
        if (const std::string problem = engine::slurmTimeProblem(s.time); !problem.empty())
            throw engine::InputError("Time limit: " + problem);
    for (const QString& arg : m_extraArgs->text().split(' ', Qt::SkipEmptyParts))
        s.extraArgs.push_back(arg.toStdString());
    s.attempts = m_attempts->value();
    return s;
}

} // namespace clade::ui
