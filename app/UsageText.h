#pragma once

#include <QString>

namespace clade::app {

/// `clade --help`: every verb of the VerbTable with its positionals and every option its
/// parser accepts, made from the verbs' declarations so it cannot drift from them.
QString usageText();

} // namespace clade::app
