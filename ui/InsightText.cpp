#include "ui/InsightText.h"

#include <QCoreApplication>
#include <QStringList>

namespace clade::ui {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("clade::ui::InsightText", text);
}

} // namespace

QString binText(const engine::FeatureDimension& dimension, int bin)
{
    const double width = (dimension.max - dimension.min) / std::max(1, dimension.bins);
    const double from = dimension.min + width * bin;
    // The last bin also holds everything above the range (binOf clamps).
    if (bin + 1 >= dimension.bins)
        return QStringLiteral("≥ %1").arg(from, 0, 'g', 4);
    if (bin == 0)
        return QStringLiteral("< %1").arg(from + width, 0, 'g', 4);
    return QStringLiteral("%1–%2").arg(from, 0, 'g', 4).arg(from + width, 0, 'g', 4);
}

QString cellText(const std::vector<engine::FeatureDimension>& features, int cell)
{
    // Row-major, the first dimension varying slowest (cellOf).
    QStringList parts;
    int rest = cell;
    for (auto it = features.rbegin(); it != features.rend(); ++it) {
        const int bins = std::max(1, it->bins);
        parts.prepend(QStringLiteral("%1 %2").arg(QString::fromStdString(it->metric),
                                                  binText(*it, rest % bins)));
        rest /= bins;
    }
    return parts.join(QStringLiteral(", "));
}

QColor islandColor(int island, int islands)
{
    if (island < 0)
        return QColor(0xb0, 0xb4, 0xba); // the root belongs to every island
    // Hues spread evenly, starting from orange so the first island does not look like an
    // error; saturation and value stay readable on the dark canvas.
    const int hue = (30 + island * 360 / std::max(1, islands)) % 360;
    return QColor::fromHsv(hue, 150, 235);
}

QString insightText(const engine::StrategyInsight& insight, const engine::NodeInsight& node)
{
    QStringList parts;
    if (node.cladeEstimate) {
        const double results = node.cladeSuccesses + node.cladeFailures;
        parts << (node.cladeNodes == 1 ? tr("clade estimate %1 (Beta mean over %2 task results in 1 node)")
                                       : tr("clade estimate %1 (Beta mean over %2 task results in %3 nodes)"))
                     .arg(*node.cladeEstimate, 0, 'f', 3)
                     .arg(results, 0, 'g', 6)
                     .arg(node.cladeNodes);
    }
    if (node.island >= -1) {
        parts << (node.island < 0 ? tr("seeds every island")
                                  : tr("island %1").arg(node.island + 1));
        if (node.cell >= 0 && insight.elites)
            parts << tr("cell %1").arg(cellText(insight.elites->features, node.cell));
        if (!node.eliteOf.empty()) {
            QStringList islands;
            for (const int i : node.eliteOf)
                islands << QString::number(i + 1);
            parts << (node.eliteOf.size() == 1 ? tr("elite of island %1") : tr("elite of islands %1"))
                         .arg(islands.join(QStringLiteral(", ")));
        } else if (node.cell >= 0) {
            parts << tr("not an elite");
        }
    }
    if (node.stages > 0)
        parts << tr("stage %1 of %2 (%3 of %4 tasks)")
                     .arg(node.stage)
                     .arg(node.stages)
                     .arg(node.stageTasksDone)
                     .arg(node.stageTasksEnd);
    return parts.join(QStringLiteral(" · "));
}

} // namespace clade::ui
