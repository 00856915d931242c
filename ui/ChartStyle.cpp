#include "ui/ChartStyle.h"

#include <QValueAxis>

namespace clade::ui {

QValueAxis* makeChartAxis(const QString& title)
{
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%.3g"));
    axis->setGridLineColor(QColor(0xea, 0xec, 0xef));
    axis->setMinorGridLineVisible(false);
    QFont font = axis->titleFont();
    font.setBold(false);
    axis->setTitleFont(font);
    return axis;
}

} // namespace clade::ui
