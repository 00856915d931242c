#include "engine/review/ChangeSizeDetector.h"

namespace clade::engine {

std::vector<Finding> detectChangeSize(const ChangeSet& change, const Manifest& manifest)
{
    std::vector<Finding> findings;
    const int changed = change.insertions() + change.deletions();
    const int limit = manifest.review.maxChangedLines;
    if (changed > limit)
        findings.push_back({"diff-size", "", 0,
                            "changes " + std::to_string(changed) + " lines (" +
                                std::to_string(change.insertions()) + " added, " +
                                std::to_string(change.deletions()) + " removed), more than " +
                                std::to_string(limit) + " (clade.json review.max_changed_lines)",
                            ""});
    for (const FileChange& file : change.files) {
        if (file.binary && file.kind != FileChange::Kind::Deleted)
            findings.push_back({"binary-file", file.path, 0,
                                std::string(file.kind == FileChange::Kind::Added ? "adds" : "changes") +
                                    " the binary or oversized file '" + file.path +
                                    "', which cannot be reviewed as text",
                                ""});
    }
    for (const FileChange& file : change.files) {
        if (file.becameExecutable)
            findings.push_back({"exec-bit", file.path, 0,
                                "makes '" + file.path + "' executable", ""});
    }
    return findings;
}

} // namespace clade::engine
