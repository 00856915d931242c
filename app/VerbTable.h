#pragma once

#include "app/VerbSpec.h"

#include <QString>

#include <vector>

namespace clade::app {

class VerbParser;

/// One verb of `clade`: the dispatcher, `clade --help`, the man page and the bash
/// completion are all made from this table and each verb's declared VerbSpec.
struct Verb {
    QString name;
    QString summary;               ///< one line in `clade --help` and the man page
    void (*declare)(VerbSpec&);    ///< description, positionals, options
    int (*run)(const VerbParser&); ///< after parsing; returns the exit status
};

/// Every verb, in the order help lists them.
const std::vector<Verb>& verbTable();
const Verb* findVerb(const QString& name);
/// The verb's command line, as its parser will accept it.
VerbSpec specOf(const Verb& verb);

} // namespace clade::app
