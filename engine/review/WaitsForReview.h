#pragma once

#include "engine/store/Node.h"

namespace clade::engine {

/// Whether `node` waits for a person: a proposal in awaiting_approval, or an evaluated node
/// whose keep decision is held (FlagHeld, a score jump or a guard worsening under a review policy). The one rule
/// for the review queue, the run's facts (engine/run/RunFacts.h) and every window.
bool waitsForReview(const Node& node);

} // namespace clade::engine
