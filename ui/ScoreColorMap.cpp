#include "ui/ScoreColorMap.h"

#include <algorithm>
#include <array>

namespace clade::ui {
namespace {

using models::ColorClass;

// Viridis by the polynomial fit of Matt Zucker (shadertoy "viridis approximation"); a
// 256-entry table built once so the far-zoom rasteriser does a lookup per node.
std::array<QRgb, 256> makeTable()
{
    std::array<QRgb, 256> table{};
    for (int i = 0; i < 256; ++i) {
        const double t = 0.1 + 0.9 * i / 255.0;
        auto poly = [t](double c0, double c1, double c2, double c3, double c4, double c5,
                        double c6) {
            const double v = c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * (c5 + t * c6)))));
            return std::clamp(static_cast<int>(v * 255.0 + 0.5), 0, 255);
        };
        const int r = poly(0.2777273272234177, 0.1050930431085774, -0.3308618287255563,
                           -4.634230498983486, 6.228269936347081, 4.776384997670288,
                           -5.435455855934631);
        const int g = poly(0.005407344544966578, 1.404613529898575, 0.214847559468213,
                           -5.799100973351585, 14.17993336680509, -13.74514537774601,
                           4.645852612178535);
        const int b = poly(0.3340998053353061, 1.384590162594685, 0.09509516302823659,
                           -19.33244095627987, 56.69055260068105, -65.35303263337234,
                           26.3124352495832);
        table[static_cast<size_t>(i)] = qRgb(r, g, b);
    }
    return table;
}

const std::array<QRgb, 256>& table()
{
    static const std::array<QRgb, 256> t = makeTable();
    return t;
}

QRgb blend(QRgb a, QRgb b, int weightOfA) // weight in 0..256
{
    auto mix = [&](int x, int y) { return (x * weightOfA + y * (256 - weightOfA)) >> 8; };
    return qRgb(mix(qRed(a), qRed(b)), mix(qGreen(a), qGreen(b)), mix(qBlue(a), qBlue(b)));
}

} // namespace

QRgb ScoreColorMap::scoreRgb(float t)
{
    const int i = std::clamp(static_cast<int>(t * 255.f + 0.5f), 0, 255);
    return table()[static_cast<size_t>(i)];
}

QRgb ScoreColorMap::classRgb(ColorClass colorClass, float key)
{
    switch (colorClass) {
    case ColorClass::Scored: return scoreRgb(key);
    case ColorClass::Unscored: return qRgb(0x8a, 0x90, 0x98);
    case ColorClass::Evaluating: return qRgb(0x4f, 0xc3, 0xf7);
    case ColorClass::AwaitingApproval: return qRgb(0xff, 0x98, 0x00);
    case ColorClass::Failed: return qRgb(0xa0, 0x5e, 0x5e);
    case ColorClass::Rejected: return qRgb(0x5f, 0x62, 0x68);
    }
    return qRgb(0x80, 0x80, 0x80);
}

QRgb ScoreColorMap::fillRgb(const models::SceneNode& node, bool dimmed)
{
    const QRgb fill = classRgb(node.colorClass, node.colorKey);
    return dimmed ? blend(fill, canvas().rgb(), 70) : fill;
}

QColor ScoreColorMap::outline(ColorClass colorClass)
{
    switch (colorClass) {
    case ColorClass::AwaitingApproval: return QColor(0xff, 0x98, 0x00);
    case ColorClass::Evaluating: return QColor(0x4f, 0xc3, 0xf7);
    case ColorClass::Unscored: return QColor(0xb0, 0xb6, 0xbe);
    default: return Qt::transparent;
    }
}

QString ScoreColorMap::label(ColorClass colorClass)
{
    switch (colorClass) {
    case ColorClass::Scored: return QStringLiteral("scored");
    case ColorClass::Unscored: return QStringLiteral("not scored");
    case ColorClass::Evaluating: return QStringLiteral("evaluating");
    case ColorClass::AwaitingApproval: return QStringLiteral("awaiting approval");
    case ColorClass::Failed: return QStringLiteral("failed");
    case ColorClass::Rejected: return QStringLiteral("rejected");
    }
    return {};
}

QLinearGradient ScoreColorMap::gradient(QPointF from, QPointF to)
{
    QLinearGradient gradient(from, to);
    for (int i = 0; i <= 16; ++i)
        gradient.setColorAt(i / 16.0, QColor(scoreRgb(i / 16.f)));
    return gradient;
}

} // namespace clade::ui
