#pragma once

#include "engine/run/RunConfig.h"
#include "engine/run/RunProgress.h"
#include "engine/store/Node.h"

#include <vector>

namespace clade::models {

/// Where a run stands, from its stored nodes alone: for a run this window follows but does
/// not drive (the engine's own RunProgress never reaches us then). Best is the highest
/// (or lowest, per the manifest) primary score among evaluated nodes.
engine::RunProgress runProgressOf(const std::vector<engine::Node>& nodes,
                                  const engine::RunConfig& config, double activeSeconds);

} // namespace clade::models
