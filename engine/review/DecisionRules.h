#pragma once

#include "engine/store/Node.h"
#include "engine/store/RunStore.h"

#include <optional>
#include <string>

namespace clade::engine {

/// The branch pin: the node the next expansions start from, and how many remain
/// (-1: until unpinned). Kept in the run's meta table under "pin".
struct Pin {
    int node = -1;
    int remaining = 0;
};

std::optional<Pin> loadPin(RunStore& store);
/// The meta value for a pin ("" removes the key: no pin).
std::string pinMetaValue(const std::optional<Pin>& pin);

/// Why `decision` does not fit `node` as it is now ("node 7 is not awaiting approval"), or
/// an empty string when it does. Checked when a person asks, and again when the owner
/// applies it (the node may have moved on in between).
std::string whyDecisionDoesNotFit(const Node& node, const Decision& decision);

} // namespace clade::engine
