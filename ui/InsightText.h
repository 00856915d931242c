#pragma once

#include "engine/strategy/StrategyInsight.h"

#include <QColor>
#include <QString>

namespace clade::ui {

/// What the run's strategy knows of one node, in words for the inspector and tooltips:
/// "clade estimate 0.74 (Beta mean over 37 task results in 5 nodes)", "island 3 · cell
/// diff_size 20–40 · elite of islands 3, 4", "stage 2 of 3 (60 of 60 tasks)". Islands
/// count from 1 here, as people count. Empty when there is nothing to say.
QString insightText(const engine::StrategyInsight& insight, const engine::NodeInsight& node);

/// A cell's feature ranges: "diff_size 20–40" (one per dimension, joined by ", ").
QString cellText(const std::vector<engine::FeatureDimension>& features, int cell);

/// The bounds of one bin of a feature dimension: "20–40".
QString binText(const engine::FeatureDimension& dimension, int bin);

/// A distinct colour per island, the same in the tree's badges and the elite grid view.
QColor islandColor(int island, int islands);

} // namespace clade::ui
