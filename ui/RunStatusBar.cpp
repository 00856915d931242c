#include "ui/RunStatusBar.h"

#include "ui/ClusterStrip.h"
#include "ui/ReadableProgressBar.h"

#include <QLabel>

namespace clade::ui {

QString formatDuration(double seconds)
{
    const auto s = static_cast<long long>(seconds + 0.5);
    if (s >= 3600)
        return QString("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
    if (s >= 60)
        return QString("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
    return QString("%1 s").arg(s);
}

RunStatusBar::RunStatusBar(QWidget* parent) : QStatusBar(parent)
{
    m_owner = new QLabel(this);
    m_iterations = new ReadableProgressBar(this);
    m_iterations->setObjectName("iterationProgress");
    m_iterations->setMaximumWidth(220);
    // Wide enough for its text, which reads over the bar rather than beside it.
    m_iterations->setMinimumWidth(
        m_iterations->fontMetrics().horizontalAdvance(tr("%1 / %2 children").arg(9999).arg(9999)) + 24);
    m_iterations->setTextVisible(true);
    m_time = new QLabel(this);
    m_cost = new QLabel(this);
    m_queue = new QLabel(this);
    m_cluster = new ClusterStrip(this);
    addWidget(m_owner, 1);
    addPermanentWidget(m_cluster);
    addPermanentWidget(m_queue);
    addPermanentWidget(m_time);
    addPermanentWidget(m_cost);
    addPermanentWidget(m_iterations);
    clearRun();
}

void RunStatusBar::clearRun()
{
    m_owner->setText(tr("No run open"));
    m_iterations->hide();
    m_time->clear();
    m_cost->clear();
    m_queue->clear();
    m_cluster->clearRun();
}

void RunStatusBar::followCluster(models::RunFollower* follower)
{
    m_cluster->follow(follower);
}

void RunStatusBar::setOwner(const QString& text)
{
    m_owner->setText(text);
}

void RunStatusBar::setProgress(const engine::RunProgress& p)
{
    m_iterations->show();
    m_iterations->setRange(0, std::max(1, p.iterationBudget));
    m_iterations->setValue(std::min(p.children, std::max(1, p.iterationBudget)));
    m_iterations->setFormat(tr("%1 / %2 children").arg(p.children).arg(p.iterationBudget));
    m_time->setText(p.maxSeconds > 0 ? tr("time %1 of %2")
                                           .arg(formatDuration(p.elapsedSeconds),
                                                formatDuration(p.maxSeconds))
                                     : tr("time %1").arg(formatDuration(p.elapsedSeconds)));
    m_cost->setText(p.maxCost > 0
                        ? tr("cost $%1 of $%2").arg(p.costUsed, 0, 'f', 2).arg(p.maxCost, 0, 'f', 2)
                        : tr("cost $%1").arg(p.costUsed, 0, 'f', 2));
    // Work held for a person is named, so a run that seems idle says what it waits for.
    const QString review = p.awaitingReview > 0
                               ? tr(" · %1 await review").arg(p.awaitingReview) +
                                     (p.waitingForReview ? tr(" (waiting)") : QString())
                               : QString();
    m_queue->setText(tr("%1 running · %2 queued%3%4")
                         .arg(p.running)
                         .arg(p.queued)
                         .arg(review)
                         .arg(p.paused ? tr(" · paused") : QString()));
}

} // namespace clade::ui
