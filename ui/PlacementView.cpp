#include "ui/PlacementView.h"

#include "ui/RunStatusBar.h"

#include <QLabel>
#include <QVBoxLayout>

namespace clade::ui {
QString jobAndStep(const engine::PhasePlacement& where)
{
    if (where.jobId.empty())
        return QObject::tr("no job");
    QString text = QObject::tr("job %1").arg(QString::fromStdString(where.jobId));
    if (!where.stepId.empty())
        text += QObject::tr(" step %1").arg(QString::fromStdString(where.stepId));
    return text;
}

QString queueWaitText(double seconds)
{
    // Sub-second waits are the common case on an idle cluster: two decimals say how small.
    if (seconds < 60)
        return QString("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 2 : 1);
    return formatDuration(seconds);
}

PlacementView::PlacementView(QWidget* parent) : QGroupBox(tr("Ran on"), parent)
{
    setObjectName("ranOn");
    auto* layout = new QVBoxLayout(this);
    m_table = new QLabel(this);
    m_table->setObjectName("ranOnTable");
    m_table->setTextFormat(Qt::RichText);
    m_table->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setWordWrap(true);
    layout->addWidget(m_table);
    hide();
}

void PlacementView::setPlacements(const std::vector<engine::PlacedPhase>& placements)
{
    bool anyElsewhere = false;
    QString rows;
    m_lines.clear();
    for (const auto& placed : placements) {
        const engine::PhasePlacement& where = placed.where;
        if (where.ranHere())
            continue;
        anyElsewhere = true;
        const QStringList cells{QString::fromStdString(placed.phase), jobAndStep(where),
                                QString::fromStdString(where.host.empty() ? "–" : where.host),
                                tr("queued %1").arg(queueWaitText(where.queueSeconds))};
        m_lines << cells.join("  ");
        // Each cell keeps a gap before the next: hosts and waits are short words.
        rows += QString("<tr><td style=\"padding-right:10px\"><b>%1</b></td>"
                        "<td style=\"padding-right:10px\">%2</td>"
                        "<td style=\"padding-right:10px\">%3</td><td>%4</td></tr>")
                    .arg(cells[0].toHtmlEscaped(), cells[1].toHtmlEscaped(),
                         cells[2].toHtmlEscaped(), cells[3].toHtmlEscaped());
        // A lost attempt is why a phase took longer than its own run: said under it.
        for (const auto& lost : where.lost) {
            const QString line =
                tr("lost job %1 on %2: %3")
                    .arg(QString::fromStdString(lost.jobId),
                         lost.host.empty() ? tr("no host (never started)")
                                           : QString::fromStdString(lost.host),
                         QString::fromStdString(lost.why.empty() ? "–" : lost.why));
            m_lines << "  " + line;
            rows += QString("<tr><td></td><td colspan=\"3\" style=\"color:#b3261e\">%1</td></tr>")
                        .arg(line.toHtmlEscaped());
        }
    }
    setVisible(anyElsewhere);
    m_table->setText(anyElsewhere
                         ? "<table cellspacing=\"0\" cellpadding=\"3\">" + rows + "</table>"
                         : QString());
}

QString PlacementView::plainText() const
{
    return m_lines.join('\n');
}

} // namespace clade::ui
