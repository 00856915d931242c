#pragma once

#include "engine/sandbox/SandboxResult.h"
#include "engine/sandbox/SandboxSpec.h"

#include <string>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// The version of the phase stream this build speaks. The engine and the `clade phase-run`
/// on a compute node must agree: a node with another Clade answers with a clear error.
inline constexpr int kPhaseStreamVersion = 1;

/// Frame types of a phase stream besides the entry frames (TreePack.h). The engine sends
/// Header, then per mount a Mount frame and its entries, then Go. The node answers with
/// Placement as soon as it starts, SandboxGaps, Output while the command runs, and at the end Result,
/// Stdout, Stderr, then per writable mount a Mount frame and its entries, then End. A
/// stream without End was cut: the phase was lost, not finished.
namespace PhaseFrame {
inline constexpr char Header = 'H';
inline constexpr char Mount = 'M';
inline constexpr char Go = 'G';
inline constexpr char Placement = 'P';
inline constexpr char SandboxGaps = 'S'; ///< the node's sandbox and what it cannot enforce there
inline constexpr char Output = 'O';
inline constexpr char Result = 'R';
inline constexpr char Stdout = '1';
inline constexpr char Stderr = '2';
inline constexpr char Failure = 'X'; ///< the node could not run the phase; payload says why
inline constexpr char End = 'Z';
} // namespace PhaseFrame

nlohmann::json limitsToJson(const SandboxLimits& limits);
/// Missing fields keep their defaults, so a newer engine's extra limits do not break.
SandboxLimits limitsFromJson(const nlohmann::json& json);

/// The Header frame: everything of `spec` but the mounts' host paths (the node makes its
/// own) and liveOutput (the node streams output back instead).
nlohmann::json specToJson(const SandboxSpec& spec, const std::string& sandboxBackend);
/// The spec a node runs, its mounts' host paths left empty for the node to fill in.
/// Throws std::runtime_error naming what is missing.
SandboxSpec specFromJson(const nlohmann::json& json, std::string* sandboxBackend);

/// The Result frame: `result` without stdoutText and stderrText, which travel as frames of
/// their own (they are bytes, not necessarily text).
nlohmann::json resultToJson(const SandboxResult& result);
SandboxResult resultFromJson(const nlohmann::json& json);

/// The engine's whole request: Header, each mount's files (packTree()), Go. Throws
/// std::runtime_error when a mount cannot be read.
std::string encodePhaseRequest(const SandboxSpec& spec, const std::string& sandboxBackend);

std::string limitHitName(LimitHit limit);
LimitHit limitHitFromName(const std::string& name);

} // namespace clade::engine
