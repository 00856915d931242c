#pragma once

namespace clade::git {

/// Initializes libgit2 once per process (safe to call from any thread, any number of
/// times) and turns on fsync of the object database and references, which libgit2
/// leaves off by default: a run's history must survive a power cut. Repository's
/// factories call it; shutdown is left to process exit. Throws GitException on failure.
void ensureInitialized();

} // namespace clade::git
