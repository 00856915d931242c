#pragma once

#include <QString>

namespace clade::app {

/// clade(1) in troff (man macros): every verb of the VerbTable with its positionals and
/// options, as their declarations describe them, and the environment and files clade uses.
QString manPage();

} // namespace clade::app
