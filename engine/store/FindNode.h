#pragma once

#include "engine/store/Node.h"

#include <vector>

namespace clade::engine {

/// The node with `id` in `nodes` (ordered by id, as every reader returns them), or null.
/// Fast for the usual dense ids, where a node's index is its id.
const Node* findNode(const std::vector<Node>& nodes, int id);

} // namespace clade::engine
