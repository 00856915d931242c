#pragma once
// The toy agent of the review tests (tst_evaluator's, with toy::kReviewPropose as its
// improver), written into a folder by the tests that need a run with risky proposals or
// score jumps.

#include "engine/util/AtomicFile.h"
#include "support/ToyHarness.h"

#include <filesystem>
#include <string>

namespace testsupport {

/// Writes the agent into `dir` and returns it; `mode` is kReviewPropose's @MODE@
/// ("risky-odd", "harmless" or "jump").
inline std::filesystem::path makeReviewToyAgent(const std::filesystem::path& dir,
                                                const std::string& mode)
{
    using clade::engine::writeFileAtomically;
    std::filesystem::create_directories(dir / "harness");
    writeFileAtomically(dir / "harness" / "solve.py", toy::kSolve);
    writeFileAtomically(dir / "harness" / "score.py", toy::kScore);
    writeFileAtomically(dir / "answer.py", toy::kHonest);
    std::string propose = toy::kReviewPropose;
    propose.replace(propose.find("@MODE@"), 6, mode);
    writeFileAtomically(dir / "propose.py", propose);
    writeFileAtomically(dir / "clade.json",
                        "{\"name\": \"toy\", \"evolvable\": [\"answer.py\"], \"harness\": \"harness\",\n"
                        " \"protected\": [\"propose.py\", \"harness/\"],\n"
                        " \"propose\": {\"command\": [\"/usr/bin/python3\", \"/agent/propose.py\"]},\n"
                        " \"solve\": {\"command\": [\"/usr/bin/python3\", \"/harness/solve.py\", \"{tasks}\"]},\n"
                        " \"score\": {\"command\": [\"/usr/bin/python3\", \"/harness/score.py\", \"{tasks}\"]},\n"
                        " \"tasks\": [\"t1\", \"t2\", \"t3\"]}\n");
    return dir;
}

} // namespace testsupport
