#include "engine/review/WaitsForReview.h"

namespace clade::engine {

bool waitsForReview(const Node& node)
{
    return node.status == NodeStatus::AwaitingApproval || node.hasFlag(FlagHeld);
}

} // namespace clade::engine
