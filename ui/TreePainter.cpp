#include "ui/TreePainter.h"

#include "ui/InsightText.h"
#include "ui/ScoreColorMap.h"
#include "ui/TreeLabelCache.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>

namespace clade::ui {
namespace {

using models::ColorClass;
using models::SceneNode;

constexpr double kDotsBelow = 7;   // px between neighbours: below, nodes are dots
constexpr double kFullFrom = 22;   // px: from here, circles with marks
constexpr double kLabelsFrom = 34; // px per column: room for an id beside a node

// Writes into a 32-bit image with clipping; the far-zoom rasteriser draws only axis-aligned
// runs, so it needs nothing more.
class Raster {
public:
    explicit Raster(QImage& image)
        : m_bits(reinterpret_cast<QRgb*>(image.bits())),
          m_stride(image.bytesPerLine() / 4), m_w(image.width()), m_h(image.height())
    {
    }
    void hline(int y, int x0, int x1, QRgb c)
    {
        if (y < 0 || y >= m_h)
            return;
        x0 = std::max(x0, 0);
        x1 = std::min(x1, m_w - 1);
        QRgb* row = m_bits + y * m_stride;
        for (int x = x0; x <= x1; ++x)
            row[x] = c;
    }
    void vline(int x, int y0, int y1, QRgb c)
    {
        if (x < 0 || x >= m_w)
            return;
        y0 = std::max(y0, 0);
        y1 = std::min(y1, m_h - 1);
        for (int y = y0; y <= y1; ++y)
            m_bits[y * m_stride + x] = c;
    }
    void block(int x, int y, int size, QRgb c)
    {
        const int half = size / 2;
        for (int dy = 0; dy < size; ++dy)
            hline(y - half + dy, x - half, x - half + size - 1, c);
    }

private:
    QRgb* m_bits;
    int m_stride;
    int m_w;
    int m_h;
};

// Cuts a line to `box` (Liang-Barsky); false when it misses. Dashed pens are stroked along
// the whole line before clipping, so a 100,000-pixel edge must be cut first.
bool clipLine(QLineF& line, const QRectF& box)
{
    double t0 = 0, t1 = 1;
    const double dx = line.dx(), dy = line.dy();
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {line.x1() - box.left(), box.right() - line.x1(), line.y1() - box.top(),
                         box.bottom() - line.y1()};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    const QPointF a = line.p1();
    line = QLineF(a + QPointF(dx * t0, dy * t0), a + QPointF(dx * t1, dy * t1));
    return true;
}

int ipx(double v)
{
    return static_cast<int>(std::floor(v));
}

} // namespace

TreePainter::TreePainter(const models::TreeScene& scene, const TreeTransform& transform)
    : m_scene(scene), m_t(transform)
{
}

TreePainter::Detail TreePainter::detailFor(const TreeTransform& t)
{
    const double spacing = std::min(t.sx, t.sy);
    return spacing < kDotsBelow ? Detail::Dots : spacing < kFullFrom ? Detail::Shapes : Detail::Full;
}

void TreePainter::setHighlight(int current, int compare)
{
    m_current = current;
    m_compare = compare;
}

TreePainter::Cull TreePainter::cullRect(const QRect& target) const
{
    // One layout unit of margin so edges and rings of nodes just outside are drawn.
    const QPointF a = m_t.toLayout(target.topLeft());
    const QPointF b = m_t.toLayout(target.bottomRight());
    return {float(a.x() - 1), float(a.y() - 1), float(b.x() + 1), float(b.y() + 1)};
}

void TreePainter::paint(QPainter& painter, const QRect& target, QImage& buffer) const
{
    const Cull cull = cullRect(target);
    switch (detailFor(m_t)) {
    case Detail::Dots:
        if (buffer.size() != target.size() || buffer.format() != QImage::Format_RGB32)
            buffer = QImage(target.size(), QImage::Format_RGB32);
        rasterize(buffer, cull);
        painter.drawImage(target.topLeft(), buffer);
        paintSecondary(painter, cull);
        break;
    case Detail::Shapes:
        painter.fillRect(target, ScoreColorMap::canvas());
        paintEdges(painter, cull);
        paintSecondary(painter, cull);
        paintBestPath(painter, cull);
        paintSquares(painter, cull);
        break;
    case Detail::Full:
        painter.fillRect(target, ScoreColorMap::canvas());
        paintEdges(painter, cull);
        paintSecondary(painter, cull);
        paintBestPath(painter, cull);
        paintFull(painter, cull);
        break;
    }
    paintRings(painter);
}

void TreePainter::rasterize(QImage& image, const Cull& cull) const
{
    image.fill(ScoreColorMap::canvas());
    Raster raster(image);
    const auto& nodes = m_scene.nodes();
    auto px = [&](float x) { return ipx(x * m_t.sx + m_t.ox); };
    auto py = [&](float y) { return ipx(y * m_t.sy + m_t.oy); };

    // Edges only when rows are far enough apart to show them as more than a smear.
    if (m_t.sy >= 2.5) {
        const QRgb edge = ScoreColorMap::edge().rgb();
        m_scene.forEachNodeIn(cull.x0, cull.y0, cull.x1, cull.y1, [&](int k) {
            const SceneNode& n = nodes[size_t(k)];
            if (n.parent >= 0)
                raster.vline(px(n.x), py(n.y - 0.5f), py(n.y), edge);
            if (n.firstChild >= 0)
                raster.vline(px(n.x), py(n.y), py(n.y + 0.5f), edge);
        });
        m_scene.forEachBarIn(cull.x0, cull.y0, cull.x1, cull.y1, [&](int p, float lo, float hi) {
            raster.hline(py(nodes[size_t(p)].y + 0.5f), px(lo), px(hi), edge);
        });
    }

    const int size = std::min(m_t.sx, m_t.sy) >= 4.5 ? 3 : std::min(m_t.sx, m_t.sy) >= 2.5 ? 2 : 1;
    // With a filter, dimmed nodes go first so that matches are drawn over them.
    const bool filtered = m_scene.filterActive();
    for (int pass = filtered ? 0 : 1; pass < 2; ++pass)
        m_scene.forEachNodeIn(cull.x0, cull.y0, cull.x1, cull.y1, [&](int k) {
            const SceneNode& n = nodes[size_t(k)];
            // Rejected nodes never ran: greyed like a filtered-out node, so live work stands out.
    const bool dimmed = n.has(models::MarkDimmed) || n.colorClass == ColorClass::Rejected;
            if (filtered && dimmed != (pass == 0))
                return;
            raster.block(px(n.x), py(n.y), size, ScoreColorMap::fillRgb(n, dimmed));
        });

    // The best path in gold over everything else, then the best node itself.
    const QRgb gold = ScoreColorMap::bestPath().rgb();
    const int best = m_scene.indexOf(m_scene.bestId());
    for (int k = best; k >= 0; k = nodes[size_t(k)].parent) {
        const SceneNode& n = nodes[size_t(k)];
        if (n.parent >= 0) {
            const SceneNode& p = nodes[size_t(n.parent)];
            raster.vline(px(n.x), py(n.y - 0.5f), py(n.y), gold);
            raster.hline(py(p.y + 0.5f), px(p.x), px(n.x), gold);
            raster.vline(px(p.x), py(p.y), py(p.y + 0.5f), gold);
        }
    }
    if (best >= 0) {
        const SceneNode& b = nodes[size_t(best)];
        raster.block(px(b.x), py(b.y), size + 4, gold);
        raster.block(px(b.x), py(b.y), size + 1, ScoreColorMap::fillRgb(b, false));
    }
}

void TreePainter::paintEdges(QPainter& painter, const Cull& cull) const
{
    const auto& nodes = m_scene.nodes();
    std::vector<QLineF> lines;
    lines.reserve(4096);
    m_scene.forEachNodeIn(cull.x0, cull.y0, cull.x1, cull.y1, [&](int k) {
        const SceneNode& n = nodes[size_t(k)];
        if (n.parent >= 0)
            lines.emplace_back(m_t.toPixels(n.x, n.y - 0.5), m_t.toPixels(n.x, n.y));
        if (n.firstChild >= 0)
            lines.emplace_back(m_t.toPixels(n.x, n.y), m_t.toPixels(n.x, n.y + 0.5));
    });
    m_scene.forEachBarIn(cull.x0, cull.y0, cull.x1, cull.y1, [&](int p, float lo, float hi) {
        const float y = nodes[size_t(p)].y + 0.5f;
        lines.emplace_back(m_t.toPixels(lo, y), m_t.toPixels(hi, y));
    });
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(QPen(ScoreColorMap::edge(), m_t.sy >= kFullFrom ? 1.5 : 1.0));
    painter.drawLines(lines.data(), int(lines.size()));
}

void TreePainter::paintBestPath(QPainter& painter, const Cull& cull) const
{
    const auto& nodes = m_scene.nodes();
    std::vector<QLineF> lines;
    for (int k = m_scene.indexOf(m_scene.bestId()); k >= 0; k = nodes[size_t(k)].parent) {
        const SceneNode& n = nodes[size_t(k)];
        if (n.parent < 0 || n.y < cull.y0 || n.y - 1 > cull.y1)
            continue;
        const SceneNode& p = nodes[size_t(n.parent)];
        const double bar = p.y + 0.5;
        lines.emplace_back(m_t.toPixels(p.x, p.y), m_t.toPixels(p.x, bar));
        lines.emplace_back(m_t.toPixels(p.x, bar), m_t.toPixels(n.x, bar));
        lines.emplace_back(m_t.toPixels(n.x, bar), m_t.toPixels(n.x, n.y));
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(QPen(ScoreColorMap::bestPath(), m_t.sy >= kFullFrom ? 3.0 : 2.0,
                        Qt::SolidLine, Qt::SquareCap));
    painter.drawLines(lines.data(), int(lines.size()));
}

void TreePainter::paintSecondary(QPainter& painter, const Cull& cull) const
{
    const auto& nodes = m_scene.nodes();
    const QRectF box(m_t.toPixels(cull.x0, cull.y0), m_t.toPixels(cull.x1, cull.y1));
    const bool far = detailFor(m_t) == Detail::Dots;
    // Far out, crossover edges are a faint solid web; closer, dashes. Qt strokes a dashed
    // pen slowly (tens of ms for a few thousand long lines), so the dashes are cut here
    // and drawn as one batch of solid segments.
    constexpr double kDash = 6, kGap = 4;
    constexpr int kMaxPassing = 60;
    int passing = 0;
    std::vector<QLineF> lines;
    for (const auto& e : m_scene.secondaryEdges()) {
        const SceneNode& a = nodes[size_t(e.from)];
        const SceneNode& b = nodes[size_t(e.to)];
        if (std::max(a.x, b.x) < cull.x0 || std::min(a.x, b.x) > cull.x1 ||
            std::max(a.y, b.y) < cull.y0 || std::min(a.y, b.y) > cull.y1)
            continue;
        // Edges that only pass through the view (both ends outside) tell little and, for
        // random crossover partners, are many: draw at most a few of them.
        const auto inside = [&](const SceneNode& n) {
            return n.x >= cull.x0 && n.x <= cull.x1 && n.y >= cull.y0 && n.y <= cull.y1;
        };
        if (!inside(a) && !inside(b) && ++passing > kMaxPassing)
            continue;
        QLineF line(m_t.toPixels(a.x, a.y), m_t.toPixels(b.x, b.y));
        if (!clipLine(line, box))
            continue;
        if (far) {
            lines.push_back(line);
            if (lines.size() > 400)
                return; // a dense web of crossings at far zoom is noise, and slow to blend
            continue;
        }
        const double length = line.length();
        const QPointF step = (line.p2() - line.p1()) / std::max(length, 1e-9);
        for (double s = 0; s < length; s += kDash + kGap)
            lines.emplace_back(line.p1() + step * s, line.p1() + step * std::min(s + kDash, length));
    }
    if (lines.empty())
        return;
    QColor colour = ScoreColorMap::secondaryEdge();
    colour.setAlpha(far ? 70 : 200);
    painter.setRenderHint(QPainter::Antialiasing, false);
    QPen pen(colour, detailFor(m_t) == Detail::Full ? 1.5 : 0.0);
    pen.setCosmetic(true);
    painter.setPen(pen);
    painter.drawLines(lines.data(), int(lines.size()));
}

void TreePainter::paintSquares(QPainter& painter, const Cull& cull) const
{
    // Batched by colour: 32 score levels and the status classes, each dimmed or not.
    constexpr int kLevels = 32;
    constexpr int kGroups = (kLevels + 6) * 2;
    std::array<std::vector<QRectF>, kGroups> groups;
    const double side = std::clamp(std::min(m_t.sx, m_t.sy) * 0.45, 3.0, 9.0);
    const auto& nodes = m_scene.nodes();
    std::vector<QPointF> guardFailed; // few: drawn one by one over the batches
    m_scene.forEachNodeIn(cull.x0, cull.y0, cull.x1, cull.y1, [&](int k) {
        const SceneNode& n = nodes[size_t(k)];
        const int level = n.colorClass == ColorClass::Scored
                              ? std::clamp(int(n.colorKey * kLevels), 0, kLevels - 1)
                              : kLevels + int(n.colorClass);
        const int group = level * 2 + (n.has(models::MarkDimmed) ? 1 : 0);
        const QPointF c = m_t.toPixels(n.x, n.y);
        groups[size_t(group)].emplace_back(c.x() - side / 2, c.y() - side / 2, side, side);
        if (n.has(models::MarkGuardFailed) && !n.has(models::MarkDimmed))
            guardFailed.push_back(c);
    });
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(Qt::NoPen);
    for (int g = 0; g < kGroups; ++g) {
        if (groups[size_t(g)].empty())
            continue;
        SceneNode probe;
        const int level = g / 2;
        probe.colorClass = level < kLevels ? ColorClass::Scored : ColorClass(level - kLevels);
        probe.colorKey = (level + 0.5f) / kLevels;
        painter.setBrush(QColor(ScoreColorMap::fillRgb(probe, g % 2 == 1)));
        painter.drawRects(groups[size_t(g)].data(), int(groups[size_t(g)].size()));
    }
    const int best = m_scene.indexOf(m_scene.bestId());
    if (best >= 0) {
        const QPointF c = m_t.toPixels(nodes[size_t(best)].x, nodes[size_t(best)].y);
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(ScoreColorMap::bestPath(), 2));
        painter.drawEllipse(c, side, side);
    }
    if (!guardFailed.empty()) {
        painter.setRenderHint(QPainter::Antialiasing, true);
        const double height = std::max(7.0, side * 1.1);
        for (const QPointF& c : guardFailed)
            paintGuardShield(painter, c + QPointF(-side / 2, -side / 2), height);
    }
}

void TreePainter::paintFull(QPainter& painter, const Cull& cull) const
{
    painter.setRenderHint(QPainter::Antialiasing, true);
    QFont font = painter.font();
    font.setPointSizeF(8);
    painter.setFont(font);
    TreeLabelCache frameOnly; // without the view's cache, labels are laid out for this frame
    TreeLabelCache& labels = m_labels ? *m_labels : frameOnly;
    labels.setFont(font);
    m_scene.forEachNodeIn(cull.x0, cull.y0, cull.x1, cull.y1,
                          [&](int k) { paintNode(painter, labels, m_scene.node(k), k); });
}

void TreePainter::paintNode(QPainter& painter, TreeLabelCache& labels, const SceneNode& n,
                            int index) const
{
    const QPointF c = m_t.toPixels(n.x, n.y);
    const double r = std::clamp(std::min(m_t.sx, m_t.sy) * 0.28, 5.0, 11.0);
    // Rejected nodes never ran: greyed like a filtered-out node, so live work stands out.
    const bool dimmed = n.has(models::MarkDimmed) || n.colorClass == ColorClass::Rejected;
    const QColor fill = QColor(ScoreColorMap::fillRgb(n, dimmed));
    QColor outline = ScoreColorMap::outline(n.colorClass);
    if (dimmed && outline.alpha())
        outline.setAlpha(90);

    if (n.has(models::MarkBest)) {
        painter.setPen(QPen(ScoreColorMap::bestPath(), 2.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(c, r + 4, r + 4);
    }
    switch (n.colorClass) {
    case ColorClass::Evaluating: // hatched: work in progress
        painter.setPen(QPen(outline, 1.5));
        painter.setBrush(QBrush(fill, Qt::BDiagPattern));
        break;
    case ColorClass::AwaitingApproval:
    case ColorClass::Unscored:
        painter.setPen(QPen(outline, n.colorClass == ColorClass::AwaitingApproval ? 2.5 : 1.5));
        painter.setBrush(QColor(0x33, 0x37, 0x3d));
        break;
    default:
        painter.setPen(QPen(QColor(0, 0, 0, 120), 1));
        painter.setBrush(fill);
    }
    painter.drawEllipse(c, r, r);

    // Marks sit on the rim so the fill colour stays readable.
    if (n.has(models::MarkKept)) {
        painter.setPen(QPen(ScoreColorMap::canvas(), 1));
        painter.setBrush(ScoreColorMap::kept());
        painter.drawEllipse(c + QPointF(r * 0.75, -r * 0.75), r * 0.38, r * 0.38);
    }
    if (n.has(models::MarkReverted)) {
        painter.setPen(QPen(ScoreColorMap::reverted(), 2.2, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(c + QPointF(-r, r), c + QPointF(r, -r));
    }
    if (n.has(models::MarkPinned)) {
        const QPointF tip = c + QPointF(-r * 0.8, -r * 0.8);
        const QPointF triangle[3] = {tip + QPointF(-r * 0.45, -r * 0.5),
                                     tip + QPointF(r * 0.45, -r * 0.5), tip + QPointF(0, r * 0.3)};
        painter.setPen(QPen(ScoreColorMap::canvas(), 1));
        painter.setBrush(ScoreColorMap::pinned());
        painter.drawPolygon(triangle, 3);
    }
    if (n.has(models::MarkHeld)) {
        // Dashed like a question still open: its keep decision waits for a person.
        QPen pen(ScoreColorMap::held(), 2, Qt::DashLine);
        pen.setDashPattern({2.5, 2});
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(c, r + 3.5, r + 3.5);
    }
    if (n.has(models::MarkStarred))
        paintStar(painter, c + QPointF(r * 0.8, r * 0.8), r * 0.55);
    if (const engine::NodeInsight* insight = m_scene.insightFor(n.id))
        paintInsight(painter, *insight, c, r, dimmed);
    if (n.has(models::MarkGuardFailed)) {
        // On the left rim, over the island tag if there is one: the verdict matters more.
        painter.save();
        if (dimmed)
            painter.setOpacity(0.35);
        paintGuardShield(painter, c + QPointF(-r * 1.02, -r * 0.05), std::max(10.0, r * 1.35));
        painter.restore();
    }
    if (n.has(models::MarkCollapsed)) {
        // A folded clade: a small fan under the node and how many nodes it hides.
        const QPointF base = c + QPointF(0, r + 2);
        const QPointF fan[3] = {base, base + QPointF(-r * 0.8, r * 0.9), base + QPointF(r * 0.8, r * 0.9)};
        painter.setPen(QPen(ScoreColorMap::text(), 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawPolygon(fan, 3);
        painter.setPen(ScoreColorMap::text());
        painter.drawText(base + QPointF(r, r + 2),
                         QStringLiteral("+%1").arg(m_scene.rollup(index).size - 1));
    }
    if (m_t.sx >= kLabelsFrom) {
        // Labels go beside the node when the gap to the next column holds them, else under
        // it when the gap to the next row does; never over a neighbour.
        const double room = m_t.sx - 2 * r - 6;
        const QFontMetrics metrics = painter.fontMetrics();
        QColor text = ScoreColorMap::text();
        if (dimmed)
            text.setAlpha(90);
        QStringList lines{QStringLiteral("#%1").arg(n.id)};
        if (n.score && m_t.sy >= kLabelsFrom)
            lines << QString::number(*n.score, 'g', 3);
        std::vector<const QStaticText*> laidOut;
        double widest = 0;
        for (const QString& line : lines) {
            laidOut.push_back(&labels.label(line));
            widest = std::max(widest, laidOut.back()->size().width());
        }
        const double lineHeight = metrics.height() - 2;
        const bool beside = widest <= room;
        const bool below = !beside && widest <= m_t.sx - 4 &&
                           m_t.sy >= 2 * r + lineHeight * lines.size() + 4;
        if (beside || below) {
            for (int k = 0; k < lines.size(); ++k) {
                text.setAlpha(k == 0 ? (dimmed ? 90 : 255) : (dimmed ? 70 : 170));
                painter.setPen(text);
                const QPointF baseline = beside ? c + QPointF(r + 4, -1 + 11 * k)
                                                : c + QPointF(-laidOut[k]->size().width() / 2.0,
                                                              r + lineHeight * (k + 1));
                // Static text is placed by its top left.
                painter.drawStaticText(baseline - QPointF(0, metrics.ascent()), *laidOut[k]);
            }
        }
    }
}

void TreePainter::paintInsight(QPainter& painter, const engine::NodeInsight& insight, QPointF c,
                               double r, bool dimmed) const
{
    if (insight.stages > 0) {
        // dgm's evaluation stage as a progress ring: a faint track, and an arc clockwise
        // from the top for the stages reached, so "passed every stage" reads as a full ring.
        const QRectF ring(c.x() - r - 2, c.y() - r - 2, 2 * r + 4, 2 * r + 4);
        QColor track = ScoreColorMap::text();
        track.setAlpha(dimmed ? 25 : 50);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(track, 2));
        painter.drawEllipse(ring);
        QColor arc = ScoreColorMap::stage();
        if (dimmed)
            arc.setAlpha(90);
        painter.setPen(QPen(arc, 2, Qt::SolidLine, Qt::FlatCap));
        const int span = -5760 * insight.stage / insight.stages; // 1/16 degree, clockwise
        painter.drawArc(ring, 90 * 16, span);
    }
    if (insight.island >= -1 && m_scene.insight() && m_scene.insight()->elites) {
        // The island as a small numbered tag under the node's lower left rim.
        const int islands = static_cast<int>(m_scene.insight()->elites->grids.size());
        const QString label = insight.island < 0 ? QStringLiteral("*") : QString::number(insight.island + 1);
        QFont font = painter.font();
        font.setPointSizeF(6.5);
        font.setBold(true);
        painter.save();
        painter.setFont(font);
        const double w = std::max(9.0, painter.fontMetrics().horizontalAdvance(label) + 4.0);
        const QRectF tag(c.x() - r - w * 0.4, c.y() + r * 0.35, w, 9);
        QColor fill = islandColor(insight.island, islands);
        if (dimmed)
            fill.setAlpha(90);
        painter.setPen(QPen(ScoreColorMap::canvas(), 1));
        painter.setBrush(fill);
        painter.drawRoundedRect(tag, 2.5, 2.5);
        painter.setPen(QColor(0x16, 0x18, 0x1c));
        painter.drawText(tag, Qt::AlignCenter, label);
        painter.restore();
    }
}

void TreePainter::paintStar(QPainter& painter, QPointF centre, double radius)
{
    QPolygonF star;
    for (int k = 0; k < 10; ++k) {
        const double angle = -M_PI / 2 + k * M_PI / 5;
        const double rk = k % 2 == 0 ? radius : radius * 0.45;
        star << centre + QPointF(rk * std::cos(angle), rk * std::sin(angle));
    }
    painter.setPen(QPen(ScoreColorMap::canvas(), 1));
    painter.setBrush(ScoreColorMap::starred());
    painter.drawPolygon(star);
}

void TreePainter::paintGuardShield(QPainter& painter, QPointF centre, double height)
{
    const double h = height / 2;
    const double w = height * 0.42;
    QPainterPath shield;
    shield.moveTo(centre + QPointF(-w, -h));
    shield.lineTo(centre + QPointF(w, -h));
    shield.lineTo(centre + QPointF(w, 0));
    shield.quadTo(centre + QPointF(w, h * 0.6), centre + QPointF(0, h));
    shield.quadTo(centre + QPointF(-w, h * 0.6), centre + QPointF(-w, 0));
    shield.closeSubpath();
    painter.setPen(QPen(ScoreColorMap::canvas(), 1));
    painter.setBrush(QColor(0xff, 0x63, 0x2e)); // red-orange: apart from reverted red and held orange
    painter.drawPath(shield);
    // The cross sits a little above the middle, where the shield is widest.
    const QPointF mid = centre + QPointF(0, -h * 0.12);
    const double arm = w * 0.5;
    painter.setPen(QPen(QColor(0xff, 0xf4, 0xe8), std::max(1.2, height / 9), Qt::SolidLine, Qt::RoundCap));
    painter.drawLine(mid + QPointF(-arm, -arm), mid + QPointF(arm, arm));
    painter.drawLine(mid + QPointF(-arm, arm), mid + QPointF(arm, -arm));
}

void TreePainter::paintRings(QPainter& painter) const
{
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setBrush(Qt::NoBrush);
    const double r = detailFor(m_t) == Detail::Full
                         ? std::clamp(std::min(m_t.sx, m_t.sy) * 0.28, 5.0, 11.0) + 6
                         : 7;
    for (const auto& [index, colour] : {std::pair{m_compare, ScoreColorMap::compare()},
                                        std::pair{m_current, ScoreColorMap::current()}}) {
        if (index < 0 || index >= m_scene.size())
            continue;
        const SceneNode& n = m_scene.node(index);
        painter.setPen(QPen(colour, 2.2));
        painter.drawEllipse(m_t.toPixels(n.x, n.y), r, r);
    }
}

TreeTransform TreePainter::paintOverview(QImage& image, const models::TreeScene& scene)
{
    TreeTransform t;
    const double margin = 4;
    t.sx = (image.width() - 2 * margin) / std::max(1, scene.columns() - 1);
    t.sy = (image.height() - 2 * margin) / std::max(1, scene.rows() - 1);
    t.sx = std::min(t.sx, 12.0); // a tiny tree stays small and centred, not blown up
    t.sy = std::min(t.sy, 12.0);
    t.ox = (image.width() - (scene.columns() - 1) * t.sx) / 2;
    t.oy = (image.height() - (scene.rows() - 1) * t.sy) / 2;
    if (image.format() != QImage::Format_RGB32)
        image = QImage(image.size(), QImage::Format_RGB32);
    TreePainter painter(scene, t);
    painter.rasterize(image, painter.cullRect(image.rect()));
    return t;
}

} // namespace clade::ui
