#pragma once

#include <map>
#include <string>
#include <vector>

namespace clade::engine {

/// An agent's evolvable files in memory: relative path ('/'-separated) -> content.
using FileSet = std::map<std::string, std::string>;

/// How a model wrote its edits. The LLM proposer names the format in its prompt; the model
/// does not always follow, so applyAnswer reads whichever it finds.
enum class EditFormat { WholeFiles, SearchReplace, UnifiedDiff };

/// "whole-file", "search-replace" or "unified-diff".
const char* editFormatName(EditFormat format);

/// A model's answer applied to a set of files, or why it could not be.
struct AppliedAnswer {
    bool ok = false;
    EditFormat format = EditFormat::WholeFiles; ///< the format the answer was read in
    FileSet files;                    ///< the input files with the edits applied (ok only)
    std::vector<std::string> changed; ///< paths created, modified or deleted, sorted
    std::vector<std::string> deleted; ///< sorted
    std::string error; ///< !ok: what did not apply, precise enough to show the model in a retry
};

/// Detects the answer's format and applies it to `files`. Formats are tried in this order,
/// the first one present wins:
///  1. SEARCH/REPLACE blocks (aider, OpenEvolve), each after an optional file path line;
///  2. a unified diff (`--- a/x` / `+++ b/x` / `@@` hunks; line numbers are only a hint);
///  3. whole files in fenced code blocks tagged with their path.
/// `defaultPath` is the file a block without a file name applies to (set when the prompt
/// showed exactly one file), else empty. Paths must be plain relative paths. An answer
/// whose edits change nothing is ok with `changed` empty: the caller decides.
AppliedAnswer applyAnswer(const std::string& answer, const FileSet& files,
                          const std::string& defaultPath);

} // namespace clade::engine
