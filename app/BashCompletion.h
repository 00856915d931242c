#pragma once

#include <QString>

namespace clade::app {

/// A bash completion script for clade: verbs, each verb's options, the values of options
/// that take one of a fixed set, and file or folder names where a value is a path; made
/// from the VerbTable and the verbs' declarations.
QString bashCompletion();

} // namespace clade::app
