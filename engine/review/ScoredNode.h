#pragma once

#include "engine/store/Node.h"

#include <cmath>

namespace clade::engine {

/// Whether a node's score can be compared at all: evaluated, with a finite primary score.
/// The review's comparisons with a parent (score jump, guard worsening) start here.
inline bool hasFiniteScore(const Node& node)
{
    return node.status == NodeStatus::Evaluated && node.score && std::isfinite(*node.score);
}

} // namespace clade::engine
