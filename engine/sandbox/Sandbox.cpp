#include "engine/sandbox/Sandbox.h"

#include "engine/sandbox/BwrapSandbox.h"
#include "engine/sandbox/RlimitSandbox.h"

#include <stdexcept>

namespace clade::engine {

std::unique_ptr<Sandbox> makeSandbox(const std::string& backend)
{
    if (backend.empty() || backend == "bwrap")
        return std::make_unique<BwrapSandbox>();
    if (backend == "unsafe-rlimits")
        return std::make_unique<RlimitSandbox>();
    throw std::invalid_argument("unknown sandbox backend '" + backend +
                                "' (expected bwrap or unsafe-rlimits)");
}

} // namespace clade::engine
