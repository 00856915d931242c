#pragma once

#include <QStringList>

namespace clade::app {

// The values of options that take one of a fixed set, for the parser's help, `clade --help`,
// the man page and the bash completion. Sets the engine lists are read from it; the engine
// checks the others where it uses them (RunCreator, makeSandbox, ...), without a list to
// read, so they are spelled here once, each through the engine's own spelling where it has one.

QStringList strategyChoices();     ///< engine::strategyNames()
QStringList proposerChoices();     ///< what RunCreator's validateSettings accepts
QStringList sandboxChoices();      ///< what engine::makeSandbox accepts
QStringList reviewChoices();       ///< engine::toString(ReviewPolicy)
QStringList llmProviderChoices();  ///< llm::providerName(ProviderKind)
QStringList importFormatChoices(); ///< engine::importFormatNames()
QStringList explorerTabChoices();  ///< the explorer's docks, as MainWindow::raiseDock matches them

} // namespace clade::app
