#include "ui/BranchDialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace clade::ui {

BranchDialog::BranchDialog(int nodeId, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Branch from node #%1").arg(nodeId));
    auto* layout = new QVBoxLayout(this);
    auto* text = new QLabel(tr("Pin node #%1 as the parent of the next expansions:").arg(nodeId), this);
    text->setWordWrap(true);
    layout->addWidget(text);
    m_once = new QRadioButton(tr("&Once"), this);
    m_once->setObjectName("branchOnce");
    m_once->setChecked(true);
    layout->addWidget(m_once);
    auto* countRow = new QHBoxLayout;
    m_count = new QRadioButton(tr("&This many times:"), this);
    m_count->setObjectName("branchCount");
    m_times = new QSpinBox(this);
    m_times->setObjectName("branchTimes");
    m_times->setRange(2, 10000);
    m_times->setValue(5);
    m_times->setEnabled(false);
    countRow->addWidget(m_count);
    countRow->addWidget(m_times);
    countRow->addStretch(1);
    layout->addLayout(countRow);
    m_untilUnpinned = new QRadioButton(tr("&Until unpinned"), this);
    m_untilUnpinned->setObjectName("branchUntilUnpinned");
    layout->addWidget(m_untilUnpinned);
    connect(m_count, &QRadioButton::toggled, m_times, &QSpinBox::setEnabled);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

int BranchDialog::times() const
{
    if (m_untilUnpinned->isChecked())
        return 0;
    return m_count->isChecked() ? m_times->value() : 1;
}

} // namespace clade::ui
