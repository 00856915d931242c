#pragma once

namespace clade::engine {

/// Why a use is risky: the words every language scanner puts in RiskyReference::why, and
/// a "risky-call" finding shows after the name ("adds os.system (starts a process)"). One
/// list, so the same risk reads the same in every language.
namespace RiskLabel {
inline constexpr const char* StartsProcess = "starts a process";
inline constexpr const char* RemovesFiles = "removes files";
inline constexpr const char* OpensNetwork = "opens a network connection";
inline constexpr const char* LoadsNative = "loads native code";
inline constexpr const char* RunsDynamicCode = "runs code built at run time";
inline constexpr const char* ImportsDynamically = "imports code by a name chosen at run time";
/// A getattr on a risky module with a name the scanner cannot know (Python).
inline constexpr const char* ComputedName = "reaches into a risky module by a computed name";
} // namespace RiskLabel

/// Why a keep waits for a person, as the run's record says it ("score jump held for review:
/// …"): one label per finding kind found after evaluation (ReviewHolds::holdRiskyKeep).
namespace KeepRiskLabel {
inline constexpr const char* ScoreJump = "score jump";           ///< "score-jump"
inline constexpr const char* GuardWorsening = "guard worsening"; ///< "guard-worsening"
} // namespace KeepRiskLabel

} // namespace clade::engine
