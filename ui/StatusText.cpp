#include "ui/StatusText.h"

namespace clade::ui {

QString statusText(engine::NodeStatus status)
{
    return QString::fromStdString(engine::toString(status)).replace('_', ' ');
}

QString statusColorName(engine::NodeStatus status)
{
    switch (status) {
    case engine::NodeStatus::Evaluated:
        return "#1a7f37";
    case engine::NodeStatus::Failed:
        return "#b3261e";
    case engine::NodeStatus::Rejected:
        return "#6e6e6e";
    case engine::NodeStatus::AwaitingApproval:
        return "#b35c00";
    case engine::NodeStatus::Evaluating:
        return "#0b57d0";
    case engine::NodeStatus::Proposed:
        return "#444444";
    }
    return "#444444";
}

} // namespace clade::ui
