#pragma once

#include "engine/strategy/Strategy.h"

#include <optional>

namespace clade::engine {

/// Whether `node` may be named best or built on: evaluated, scored, not reverted, not
/// blocked (ArchiveView::blocked: held for review, or in a clade a person reverted), and
/// passing the view's guards (ArchiveView::passesGuards). Every strategy's "may build on
/// it" starts here.
bool isBestCandidate(const ArchiveView& view, const Node& node);

/// The best node: the highest oriented mean among the isBestCandidate() nodes scored on
/// every task of the run (among those scored on fewer only when none is). Strategies ask
/// it of their view; every reader of a run asks runBest() (engine/run/RunFacts.h), which
/// builds the view the engine decides with.
std::optional<int> bestNode(const ArchiveView& view);

} // namespace clade::engine
