#include "ui/ColorLegend.h"

#include "ui/InsightText.h"
#include "ui/ScoreColorMap.h"
#include "ui/TreePainter.h"

#include <QPainter>

namespace clade::ui {
namespace {

using models::ColorClass;

constexpr int kPad = 8;
constexpr int kBarWidth = 150;
constexpr int kLine = 15;
constexpr int kWidth = 250;
const ColorClass kStatuses[] = {ColorClass::Failed, ColorClass::Rejected,
                                ColorClass::AwaitingApproval, ColorClass::Evaluating,
                                ColorClass::Unscored};

} // namespace

ColorLegend::ColorLegend(QWidget* parent) : QWidget(parent)
{
    setAttribute(Qt::WA_TransparentForMouseEvents); // an overlay: clicks reach the tree
}

void ColorLegend::setScene(std::shared_ptr<const models::TreeScene> scene)
{
    m_hasScores = scene && scene->hasColorRange();
    // Left is the worst value, right the best (the colour key runs that way).
    m_min = m_hasScores ? scene->colorWorst() : 0;
    m_max = m_hasScores ? scene->colorBest() : 0;
    m_lowerIsBetter = scene && !scene->higherIsBetter();
    m_cladeEstimate = scene && scene->colorBy() == models::ColorBy::CladeEstimate;
    const engine::StrategyInsight* insight = scene ? scene->insight() : nullptr;
    m_islandMark = insight && insight->elites;
    m_stageMark = insight && !insight->stageEnds.empty();
    m_guardMark = scene && scene->hasGuards();
    update();
}

QSize ColorLegend::sizeHint() const
{
    // Title, bar, min/max, three rows of status swatches, four rows of marks, and a row
    // for each mark only some runs have.
    const int optionalRows =
        (m_stageMark ? kLine : 0) + (m_islandMark ? kLine : 0) + (m_guardMark ? kLine : 0);
    return {kWidth, kPad * 2 + kLine + 10 + kLine + 3 * kLine + 4 * kLine + 4 + optionalRows};
}

void ColorLegend::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QColor panel = ScoreColorMap::canvas().darker(130);
    panel.setAlpha(225);
    p.setPen(QColor(0x55, 0x5a, 0x62));
    p.setBrush(panel);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);

    QFont font = p.font();
    font.setPointSizeF(8);
    p.setFont(font);
    p.setPen(ScoreColorMap::text());
    int y = kPad + 10;
    p.drawText(kPad, y, m_cladeEstimate ? tr("clade estimate (hgm)")
                        : m_lowerIsBetter ? tr("score (lower is better)")
                                          : tr("score"));
    y += 4;
    const QRectF bar(kPad, y, kBarWidth, 10);
    p.setPen(Qt::NoPen);
    p.setBrush(ScoreColorMap::gradient(bar.topLeft(), bar.topRight()));
    p.drawRect(bar);
    y += 10 + 12;
    p.setPen(ScoreColorMap::text());
    if (m_hasScores) {
        p.drawText(kPad, y, QString::number(m_min, 'g', 3));
        const QString max = QString::number(m_max, 'g', 3);
        p.drawText(int(bar.right()) - p.fontMetrics().horizontalAdvance(max), y, max);
    } else {
        p.drawText(kPad, y, tr("no scores yet"));
    }

    // Status swatches, two per row.
    y += 6;
    const int column = (kWidth - 2 * kPad) / 2;
    for (int i = 0; i < 5; ++i) {
        const ColorClass cls = kStatuses[i];
        const QPointF c(kPad + 5 + (i % 2) * column, y + (i / 2) * kLine + 5);
        QColor outline = ScoreColorMap::outline(cls);
        const bool hollow = cls == ColorClass::AwaitingApproval || cls == ColorClass::Unscored;
        p.setPen(outline.alpha() ? QPen(outline, 1.8) : QPen(Qt::NoPen));
        if (cls == ColorClass::Evaluating)
            p.setBrush(QBrush(QColor(ScoreColorMap::classRgb(cls)), Qt::BDiagPattern));
        else
            p.setBrush(hollow ? QColor(0x33, 0x37, 0x3d) : QColor(ScoreColorMap::classRgb(cls)));
        p.drawEllipse(c, 4.5, 4.5);
        p.setPen(ScoreColorMap::text());
        p.drawText(QPointF(c.x() + 9, c.y() + 4), ScoreColorMap::label(cls));
    }
    y += 3 * kLine;

    // Marks: best ring and path, kept, reverted, pinned, secondary parent.
    const QPointF best(kPad + 5, y + 5);
    p.setPen(QPen(ScoreColorMap::bestPath(), 2));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(best, 4.5, 4.5);
    p.setPen(ScoreColorMap::text());
    p.drawText(QPointF(best.x() + 9, best.y() + 4), tr("best + path"));
    const QPointF kept(kPad + 5 + column, y + 5);
    p.setPen(Qt::NoPen);
    p.setBrush(ScoreColorMap::kept());
    p.drawEllipse(kept, 3.5, 3.5);
    p.setPen(ScoreColorMap::text());
    p.drawText(QPointF(kept.x() + 9, kept.y() + 4), tr("kept"));
    y += kLine;
    const QPointF reverted(kPad + 5, y + 5);
    p.setPen(QPen(ScoreColorMap::reverted(), 2));
    p.drawLine(reverted + QPointF(-4, 4), reverted + QPointF(4, -4));
    p.setPen(ScoreColorMap::text());
    p.drawText(QPointF(reverted.x() + 9, reverted.y() + 4), tr("reverted"));
    const QPointF pinned(kPad + 5 + column, y + 5);
    const QPointF triangle[3] = {pinned + QPointF(-4, -3), pinned + QPointF(4, -3),
                                 pinned + QPointF(0, 4)};
    p.setPen(Qt::NoPen);
    p.setBrush(ScoreColorMap::pinned());
    p.drawPolygon(triangle, 3);
    p.setPen(ScoreColorMap::text());
    p.drawText(QPointF(pinned.x() + 9, pinned.y() + 4), tr("pinned"));
    y += kLine;
    const QPointF secondary(kPad + 5, y + 5);
    QColor dash = ScoreColorMap::secondaryEdge();
    p.setPen(QPen(dash, 1.5, Qt::DashLine));
    p.drawLine(secondary + QPointF(-5, 0), secondary + QPointF(5, 0));
    p.setPen(ScoreColorMap::text());
    p.drawText(QPointF(secondary.x() + 9, secondary.y() + 4), tr("second parent"));
    const QPointF folded(kPad + 5 + column, y + 2);
    const QPointF fan[3] = {folded, folded + QPointF(-4, 7), folded + QPointF(4, 7)};
    p.setBrush(Qt::NoBrush);
    p.drawPolygon(fan, 3);
    p.drawText(QPointF(folded.x() + 9, folded.y() + 7), tr("folded clade (+n)"));
    y += kLine;
    const QPointF held(kPad + 5, y + 5);
    QPen heldPen(ScoreColorMap::held(), 1.5, Qt::DashLine);
    heldPen.setDashPattern({2, 1.5});
    p.setPen(heldPen);
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(held, 4.5, 4.5);
    p.setPen(ScoreColorMap::text());
    p.drawText(QPointF(held.x() + 9, held.y() + 4), tr("keep held"));
    const QPointF starred(kPad + 5 + column, y + 5);
    TreePainter::paintStar(p, starred, 5);
    p.setPen(ScoreColorMap::text());
    p.drawText(QPointF(starred.x() + 9, starred.y() + 4), tr("starred"));

    if (m_stageMark) {
        y += kLine;
        const QPointF mark(kPad + 5, y + 5);
        const QRectF ring(mark.x() - 5, mark.y() - 5, 10, 10);
        QColor track = ScoreColorMap::text();
        track.setAlpha(50);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(track, 1.8));
        p.drawEllipse(ring);
        p.setPen(QPen(ScoreColorMap::stage(), 1.8, Qt::SolidLine, Qt::FlatCap));
        p.drawArc(ring, 90 * 16, -5760 * 2 / 3);
        p.setPen(ScoreColorMap::text());
        p.drawText(QPointF(mark.x() + 9, mark.y() + 4), tr("evaluation stage reached (ring: 2 of 3)"));
    }
    if (m_islandMark) {
        y += kLine;
        const QPointF mark(kPad + 5, y + 5);
        p.setPen(Qt::NoPen);
        p.setBrush(islandColor(0, 5));
        p.drawRoundedRect(QRectF(mark.x() - 5, mark.y() - 4, 10, 8), 2, 2);
        p.setPen(ScoreColorMap::text());
        p.drawText(QPointF(mark.x() + 9, mark.y() + 4), tr("island (tag; * = root, seeds all)"));
    }
    if (m_guardMark) {
        y += kLine;
        const QPointF mark(kPad + 5, y + 5);
        TreePainter::paintGuardShield(p, mark, 11);
        p.setPen(ScoreColorMap::text());
        p.drawText(QPointF(mark.x() + 9, mark.y() + 4), tr("fails a guard (hover: which, why)"));
    }
}

} // namespace clade::ui
