#pragma once

namespace clade::engine {

/// The strategy name in an imported run's run.json. Another system searched that run, so
/// no Clade strategy can go on with it: it opens, inspects and exports like any other run
/// but cannot be resumed.
inline constexpr const char* kImportedStrategy = "imported";

} // namespace clade::engine
