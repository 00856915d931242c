#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// How phases reach a Slurm cluster (`--executor slurm`, run.json "executor"). Each phase
/// is started with `srun` from this machine, as a step of the run's allocation or as a job
/// of its own; its files travel over srun's standard input and output, so no shared file
/// system is needed.
struct SlurmSettings {
    /// "steps" (default): one allocation held for the run, one CPU per worker, and each
    /// phase a job step in it. "jobs": each phase a job of its own (for phases whose
    /// resources differ, or sites that forbid holding an allocation). Figures:
    /// BENCHMARKS.md, "Slurm executor".
    std::string submit = "steps";
    std::string partition; ///< -p; empty: the cluster's default
    std::string account;   ///< -A; empty: the user's default
    /// --time of the allocation ("steps") or of each job ("jobs"), [D-]HH:MM:SS or minutes.
    /// Empty: the partition's default for the allocation; each phase's own wall-clock limit
    /// plus a minute for carrying its files, as a step's or a job's limit.
    std::string time;
    /// Given as they are (--qos=high, ...) to sbatch for the allocation ("steps") or to
    /// srun for each job ("jobs").
    std::vector<std::string> extraArgs;
    int attempts = 3; ///< a phase whose job is lost runs at most this often in all
    /// The clade program on the compute nodes; empty: the same path as this engine's.
    std::string cladeOnNodes;

    bool operator==(const SlurmSettings&) const = default;
};

/// Where a run's phases run: "local" (this host's sandbox) or "slurm".
struct ExecutorSettings {
    std::string kind = "local";
    SlurmSettings slurm;

    bool isLocal() const { return kind == "local"; }
    nlohmann::json toJson() const;
    /// Missing fields keep their defaults (run.json of an older Clade has no "executor").
    /// InputError names `file` and the field (after `fieldPrefix`: "executor." in run.json)
    /// for a wrong type or an unknown kind.
    static ExecutorSettings fromJson(const nlohmann::json& json, const std::string& file,
                                     const std::string& fieldPrefix = "executor.");

    bool operator==(const ExecutorSettings&) const = default;
};

/// Why `time` is not a Slurm time limit; empty when it is.
std::string slurmTimeProblem(const std::string& time);

} // namespace clade::engine
