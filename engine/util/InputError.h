#pragma once

#include <stdexcept>
#include <string>

namespace clade::engine {

/// Bad input from the user or from a file the user supplied (a manifest, a run folder,
/// a harness that breaks its contract). The command line turns it into exit status 2;
/// the message always names the file, and where it applies the field and what was expected.
class InputError : public std::runtime_error {
public:
    explicit InputError(const std::string& message) : std::runtime_error(message) {}

    /// "<file>: field '<field>': expected <expected>" — the shape every validator uses.
    static InputError field(const std::string& file, const std::string& field,
                            const std::string& expected)
    {
        return InputError(file + ": field '" + field + "': expected " + expected);
    }
};

} // namespace clade::engine
