#pragma once

#include "engine/review/RiskyReference.h"

#include <string_view>
#include <vector>

namespace clade::engine {

/// Every use in Python `source` of something that starts processes, removes files, opens
/// network connections, loads native code or runs dynamic code.
///
/// Not a parser: a tokenizer (so comments and string contents never match) plus name
/// resolution that sees through the usual disguises: import aliases (`import subprocess
/// as sp`, `from os import system as s`), assignments (`run = os.system`), `__import__`
/// and `importlib.import_module` with constant names, `getattr` with a constant name,
/// `sys.modules[...]`, `vars(os)[...]`, `os.__dict__[...]`, `globals()[...]`. A constant
/// name may be built from string pieces ('sys' + 'tem', adjacent literals, escapes,
/// ''.join([...]), [::-1], chr(N)) or held in a variable assigned once. A `getattr` on a
/// risky module with a name that is not constant is itself reported. Aliases are resolved
/// for the whole file regardless of position: a reviewer cares about what the text can
/// do, not about Python's scoping rules.
std::vector<RiskyReference> scanPythonCalls(std::string_view source);

} // namespace clade::engine
