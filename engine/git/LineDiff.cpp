#include "engine/git/LineDiff.h"

#include "engine/git/Error.h"
#include "engine/git/Library.h"

#include <git2.h>

namespace clade::git {

std::vector<int> addedLineNumbers(std::string_view oldText, std::string_view newText)
{
    ensureInitialized();
    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    options.context_lines = 0;
    std::vector<int> lines;
    const auto onLine = [](const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line,
                           void* payload) -> int {
        if (line->origin == GIT_DIFF_LINE_ADDITION)
            static_cast<std::vector<int>*>(payload)->push_back(line->new_lineno);
        return 0;
    };
    if (const int rc = git_diff_buffers(oldText.data(), oldText.size(), nullptr, newText.data(),
                                        newText.size(), nullptr, &options, nullptr, nullptr,
                                        nullptr, onLine, &lines);
        rc < 0)
        throwLastError(rc, "diff two texts");
    return lines;
}

} // namespace clade::git
