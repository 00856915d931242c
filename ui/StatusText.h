#pragma once

#include "engine/store/Node.h"

#include <QString>

namespace clade::ui {

/// How a node status reads in the GUI ("awaiting approval", not "awaiting_approval").
QString statusText(engine::NodeStatus status);
/// A colour name for status text, readable on a light background.
QString statusColorName(engine::NodeStatus status);

} // namespace clade::ui
