#include "engine/review/ProtectedPathDetector.h"

#include "engine/manifest/PathPattern.h"

namespace clade::engine {

std::vector<Finding> detectProtectedPaths(const ChangeSet& change, const Manifest& manifest)
{
    const std::optional<std::string> harness = manifest.harnessRelativePath();
    std::vector<Finding> findings;
    for (const FileChange& file : change.files) {
        for (const std::string* path : {&file.path, &file.oldPath}) {
            if (path->empty() || (path == &file.oldPath && *path == file.path))
                continue;
            // The harness is protected too; its own finding says more than a second one.
            if (harness && pathPatternCovers(*harness, *path)) {
                findings.push_back({"harness", *path, 0,
                                    "changes the evaluation harness ('" + *path +
                                        "'): the candidate could change how it is scored",
                                    ""});
            } else if (manifest.isProtected(*path)) {
                findings.push_back({"protected-path", *path, 0,
                                    "changes '" + *path +
                                        "', which clade.json lists as protected",
                                    ""});
            }
        }
    }
    return findings;
}

} // namespace clade::engine
