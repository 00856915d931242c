#include "ui/TreeFilterBar.h"

#include "ui/StatusText.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTimer>
#include <QToolButton>

namespace clade::ui {
namespace {

QDoubleSpinBox* scoreBound(QWidget* parent, const QString& anyText)
{
    auto* box = new QDoubleSpinBox(parent);
    // The lowest value stands for "no bound" (Qt's special-value text convention).
    box->setRange(-1e9, 1e9);
    box->setDecimals(4);
    box->setSingleStep(0.01);
    box->setValue(-1e9);
    box->setSpecialValueText(anyText);
    box->setMinimumWidth(90);
    return box;
}

} // namespace

TreeFilterBar::TreeFilterBar(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    m_text = new QLineEdit(this);
    m_text->setObjectName("treeSearch");
    m_text->setPlaceholderText(tr("Search changes, tags and notes…  (Enter: next match)"));
    m_text->setClearButtonEnabled(true);
    layout->addWidget(m_text, 3);

    layout->addWidget(new QLabel(tr("Score"), this));
    m_min = scoreBound(this, tr("min"));
    m_max = scoreBound(this, tr("max"));
    layout->addWidget(m_min);
    layout->addWidget(new QLabel(tr("to"), this));
    layout->addWidget(m_max);

    m_statuses = new QToolButton(this);
    m_statuses->setText(tr("Status ▾"));
    m_statuses->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_statuses);
    using engine::NodeStatus;
    for (NodeStatus status : {NodeStatus::Proposed, NodeStatus::AwaitingApproval, NodeStatus::Evaluating,
                              NodeStatus::Evaluated, NodeStatus::Failed, NodeStatus::Rejected}) {
        QAction* action = menu->addAction(statusText(status));
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, [this, status](bool on) {
            const unsigned bit = models::TreeFilter::statusBit(status);
            m_statusMask = on ? (m_statusMask | bit) : (m_statusMask & ~bit);
            changed();
        });
    }
    m_statuses->setMenu(menu);
    layout->addWidget(m_statuses);

    auto* previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+F3)"));
    auto* next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (F3)"));
    layout->addWidget(previous);
    layout->addWidget(next);
    m_count = new QLabel(this);
    m_count->setMinimumWidth(90);
    layout->addWidget(m_count);

    m_colorByLabel = new QLabel(tr("Colour"), this);
    layout->addWidget(m_colorByLabel);
    m_colorBy = new QComboBox(this);
    m_colorBy->setObjectName("colorBy");
    m_colorBy->addItem(tr("Score"), int(models::ColorBy::Score));
    m_colorBy->addItem(tr("Clade estimate"), int(models::ColorBy::CladeEstimate));
    m_colorBy->setToolTip(tr("Score: each node's own score. Clade estimate: hgm's estimate of how "
                             "promising the node's whole clade is (the mean of the Beta posterior "
                             "over every task result in it), which is what hgm expands by."));
    layout->addWidget(m_colorBy);
    setCladeEstimatesAvailable(false);
    connect(m_colorBy, &QComboBox::currentIndexChanged, this, [this] {
        Q_EMIT colorByChanged(static_cast<models::ColorBy>(m_colorBy->currentData().toInt()));
    });

    // Typing re-filters 100,000 nodes off the GUI thread; wait for a pause in typing.
    m_typing = new QTimer(this);
    m_typing->setSingleShot(true);
    m_typing->setInterval(150);
    connect(m_typing, &QTimer::timeout, this, &TreeFilterBar::changed);
    connect(m_text, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_text, &QLineEdit::returnPressed, this, &TreeFilterBar::nextMatch);
    connect(m_min, &QDoubleSpinBox::valueChanged, this, &TreeFilterBar::changed);
    connect(m_max, &QDoubleSpinBox::valueChanged, this, &TreeFilterBar::changed);
    connect(next, &QToolButton::clicked, this, &TreeFilterBar::nextMatch);
    connect(previous, &QToolButton::clicked, this, &TreeFilterBar::previousMatch);
}

models::TreeFilter TreeFilterBar::filter() const
{
    models::TreeFilter f;
    f.text = m_text->text();
    if (m_min->value() > m_min->minimum())
        f.minScore = m_min->value();
    if (m_max->value() > m_max->minimum())
        f.maxScore = m_max->value();
    f.statuses = m_statusMask;
    return f;
}

void TreeFilterBar::setMatchCount(int matches, bool active)
{
    m_count->setText(active ? tr("%n match(es)", nullptr, matches) : QString());
}

void TreeFilterBar::setCladeEstimatesAvailable(bool available)
{
    m_colorByLabel->setVisible(available);
    m_colorBy->setVisible(available);
    if (!available)
        m_colorBy->setCurrentIndex(0);
}

void TreeFilterBar::changed()
{
    Q_EMIT filterChanged(filter());
}

} // namespace clade::ui
