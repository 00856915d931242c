#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/store/Node.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// One version read from another system's run, before it becomes a Clade node.
struct ImportedNode {
    std::string sourceId;  ///< the id the source system gave it (shown in the description)
    int parent = -1;       ///< index of the primary parent in ImportedRun::nodes; -1: the root
    std::vector<int> extraParents; ///< inspiration / crossover edges (indices)
    /// The node's code as files (relative path -> content), or, when `patch` is set, its
    /// change as a unified diff applied to the primary parent's code (DGM, HGM).
    std::map<std::string, std::string> files;
    std::optional<std::string> patch;
    NodeStatus status = NodeStatus::Evaluated;
    unsigned flags = 0; ///< NodeFlag bits (kept: in the source's final archive)
    std::optional<double> score; ///< primary metric; nullopt: no score (NaN, missing, buggy)
    std::map<std::string, double> metrics;
    std::map<std::string, double> results; ///< per task
    std::string description;
    std::string error;
    ProposerRecord proposer{"imported", {}, 0, 0, 0};
    double createdAt = 0;
    bool placeholder = false; ///< the source names it as a parent but does not hold it
    /// Text kept with the node as artifacts (name -> content): its original record
    /// ("source.json"), transcripts, logs.
    std::map<std::string, std::string> artifacts;
};

/// Another system's run, read into memory; ImportWriter turns it into a run folder.
struct ImportedRun {
    std::string format;                 ///< "adas", "aide", ...
    std::filesystem::path source;       ///< the file or folder it was read from
    std::string name;                   ///< the run's name in Clade
    std::string primaryMetric = "score";
    Direction direction = Direction::Maximize;
    std::vector<ImportedNode> nodes;    ///< nodes[0] is the root
    std::vector<std::string> warnings;  ///< integrity problems found while reading
};

} // namespace clade::engine
